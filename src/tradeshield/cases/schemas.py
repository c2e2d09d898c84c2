"""API shapes for cases, the actions taken on them, and their rulings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, StrictInt

from tradeshield.cases.kinds import (
    CaseKind,
    CaseState,
    DecidedBy,
    LiableParty,
    Outcome,
    Party,
    ReasonCode,
)
from tradeshield.cases.lifecycle import Action
from tradeshield.schema_types import (
    AwareDatetime,
    Currency,
    ExternalRef,
    InModel,
    MinorAmount,
    OutModel,
    PositiveId,
)
from tradeshield.shipments.schemas import ReturnShipmentIn


class CaseIn(InModel):
    order_id: PositiveId
    kind: CaseKind
    reason_code: ReasonCode
    claimed_amount_minor: MinorAmount
    currency: Currency
    description: str = Field(default="", max_length=5000)
    external_ref: ExternalRef | None = None
    opened_at: AwareDatetime | None = None


Note = Annotated[str, Field(default="", max_length=2000)]
EvidenceIds = Annotated[list[PositiveId], Field(default_factory=list, max_length=50)]


class MerchantAccept(InModel):
    action: Literal[Action.MERCHANT_ACCEPT]
    note: Note


class MerchantReject(InModel):
    action: Literal[Action.MERCHANT_REJECT]
    reason: str = Field(min_length=1, max_length=2000)
    evidence_ids: EvidenceIds


class MerchantOfferPartial(InModel):
    action: Literal[Action.MERCHANT_OFFER_PARTIAL]
    amount_minor: StrictInt = Field(gt=0)
    note: Note


class MerchantReportForgery(InModel):
    action: Literal[Action.MERCHANT_REPORT_FORGERY]
    evidence_ids: EvidenceIds
    note: Note


class BuyerAcceptOffer(InModel):
    action: Literal[Action.BUYER_ACCEPT_OFFER]


class BuyerEscalate(InModel):
    action: Literal[Action.BUYER_ESCALATE]
    reason: str = Field(min_length=1, max_length=2000)


class BuyerShipReturn(InModel):
    action: Literal[Action.BUYER_SHIP_RETURN]
    shipment: ReturnShipmentIn


class MerchantConfirmReturn(InModel):
    action: Literal[Action.MERCHANT_CONFIRM_RETURN]
    note: Note


class MerchantDisputeReturn(InModel):
    action: Literal[Action.MERCHANT_DISPUTE_RETURN]
    reason: str = Field(min_length=1, max_length=2000)
    evidence_ids: EvidenceIds


class PlatformRule(InModel):
    action: Literal[Action.PLATFORM_RULE]
    outcome: Outcome
    liable_party: LiableParty
    amount_minor: MinorAmount
    note: str = Field(min_length=1, max_length=2000)
    clause_ids: list[str] = Field(default_factory=list, max_length=50)


class AppealIn(InModel):
    action: Literal[Action.APPEAL]
    party: Literal[Party.BUYER, Party.MERCHANT]
    reason: str = Field(min_length=1, max_length=5000)
    evidence_ids: EvidenceIds


class Withdraw(InModel):
    action: Literal[Action.WITHDRAW]
    note: Note


CaseActionIn = Annotated[
    MerchantAccept
    | MerchantReject
    | MerchantOfferPartial
    | MerchantReportForgery
    | BuyerAcceptOffer
    | BuyerEscalate
    | BuyerShipReturn
    | MerchantConfirmReturn
    | MerchantDisputeReturn
    | PlatformRule
    | AppealIn
    | Withdraw,
    Field(discriminator="action"),
]


class CaseOut(OutModel):
    id: int
    external_ref: str | None
    order_id: int
    merchant_id: int
    buyer_id: int
    kind: CaseKind
    reason_code: ReasonCode
    description: str
    claimed_amount_minor: int
    currency: str
    state: CaseState
    deadline_at: dt.datetime | None
    offer_amount_minor: int | None
    forgery_suspected: bool
    appeal_count: int
    policy_version: str
    opened_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    allowed_actions: list[Action]


class ReasonOut(OutModel):
    code: str
    zh: str
    en: str


class RulingOut(OutModel):
    id: int
    case_id: int
    sequence: int
    outcome: Outcome
    liable_party: LiableParty
    amount_minor: int
    currency: str
    decided_by: DecidedBy
    reasons: list[ReasonOut]
    clause_ids: list[str]
    versions: dict[str, Any]
    inputs: dict[str, Any]
    supersedes_id: int | None
    created_at: dt.datetime
