"""API shapes of the returns module."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.returns.kinds import (
    AppealStatus,
    AppealSubject,
    ClaimStatus,
    LiableParty,
    PhotoAngle,
    PolicyDecision,
    SerialFormat,
    UnitStage,
    VerificationResult,
)
from tradeshield.schema_types import InModel, OutModel, PositiveId, Sha256Hex


class PhotoRef(InModel):
    angle: PhotoAngle
    sha256: Sha256Hex


class UnitEvidenceIn(InModel):
    order_id: PositiveId
    shipment_id: PositiveId | None = None
    stage: UnitStage
    unit_index: int = Field(default=0, ge=0, le=999)
    serial: str | None = Field(default=None, max_length=40)
    serial_format: SerialFormat | None = None
    anti_counterfeit_code: str | None = Field(default=None, max_length=64)
    seal_id: str | None = Field(default=None, max_length=64)
    seal_intact: bool | None = None
    weight: str | float | None = Field(
        default=None, description="'1.2 kg', '350 g', '2.5 lb', '12 oz', or a number"
    )
    weight_unit: str | None = Field(default=None, max_length=10)
    dimensions_mm: list[int] = Field(default_factory=list, max_length=3)
    photos: list[PhotoRef] = Field(default_factory=list, max_length=20)
    packing_video_sha256: Sha256Hex | None = None
    accessories: list[str] = Field(default_factory=list, max_length=30)
    damage_noted: bool = False
    read_label: bool = Field(default=True, description="OCR the label photo for the serial")


class UnitEvidenceOut(OutModel):
    id: int
    order_id: int
    shipment_id: int | None
    stage: UnitStage
    unit_index: int
    serial: str | None
    serial_format: SerialFormat
    anti_counterfeit_code: str | None
    seal_id: str | None
    seal_intact: bool | None
    weight_grams: int | None
    dimensions_mm: list[Any]
    photos: list[dict[str, Any]]
    packing_video_sha256: str | None
    accessories: list[str]
    damage_noted: bool
    recorded_by: str
    recorded_at: dt.datetime


class PhotoStoredOut(OutModel):
    sha256: str
    media_type: str | None
    size_bytes: int


class LabelReadingOut(OutModel):
    sha256: str
    serial: str
    serial_format: SerialFormat
    confidence: float
    text: str


class VerifyIn(InModel):
    order_id: PositiveId
    return_shipment_id: PositiveId | None = None
    unit_index: int = Field(default=0, ge=0, le=999)


class VerificationOut(OutModel):
    id: int
    order_id: int
    buyer_id: int
    return_shipment_id: int | None
    shipped_evidence_id: int
    returned_evidence_id: int
    result: VerificationResult
    checks: list[dict[str, Any]]
    reasons: list[dict[str, Any]]
    liable_party: LiableParty
    liability_reasons: list[dict[str, Any]]
    clause_ids: list[str]
    versions: dict[str, Any]
    confirmed: bool
    created_at: dt.datetime


class CourierClaimOut(OutModel):
    id: int
    verification_id: int
    carrier: str
    tracking_number: str
    status: ClaimStatus
    reasons: list[dict[str, Any]]
    package_sha256: str | None
    created_at: dt.datetime


class ChainBreakOut(OutModel):
    seq: int
    problem: str


class ChainReportOut(OutModel):
    links: int
    head: str
    intact: bool
    broken: ChainBreakOut | None


class ChainHeadOut(OutModel):
    """Keep this outside the database: a later check with it as an anchor proves the chain
    up to ``seq`` was not rewritten since."""

    tenant_id: int
    seq: int
    entry_hash: str
    published_at: dt.datetime


class ChainAnchorIn(InModel):
    seq: int = Field(ge=0)
    entry_hash: Sha256Hex


class ChainVerifyIn(InModel):
    anchors: list[ChainAnchorIn] = Field(default_factory=list, max_length=10_000)


class PurchaseCheckIn(InModel):
    buyer_id: PositiveId | None = None
    buyer_external_ref: str | None = Field(default=None, max_length=100)
    product_id: PositiveId
    quantity: int = Field(default=1, ge=1, le=10_000)
    integrity_tier: str | None = Field(default=None, max_length=30)


class PurchaseAnswerOut(OutModel):
    decision: PolicyDecision
    limits: dict[str, Any]
    reasons: list[dict[str, Any]]
    restriction_ids: list[int]
    policy_version: str


class RestrictionOut(OutModel):
    id: int
    buyer_id: int
    verification_id: int | None
    level: str
    reasons: list[dict[str, Any]]
    policy_version: str
    expires_at: dt.datetime
    lifted_at: dt.datetime | None
    created_at: dt.datetime


class AppealIn(InModel):
    subject: AppealSubject
    subject_id: PositiveId
    statement: str = Field(min_length=1, max_length=2000)


class AppealDecisionIn(InModel):
    upheld: bool
    note: str = Field(default="", max_length=2000)


class AppealOut(OutModel):
    id: int
    subject: AppealSubject
    subject_id: int
    statement: str
    status: AppealStatus
    decision_note: str
    decided_at: dt.datetime | None
    created_at: dt.datetime


class ClearIdentifier(InModel):
    kind: IdentifierKind
    value: str = Field(min_length=1, max_length=500)


class PublishIn(InModel):
    case_id: PositiveId
    identifiers: list[ClearIdentifier] = Field(min_length=1, max_length=20)
    reason_codes: list[str] = Field(min_length=1, max_length=10)


class ConsortiumQueryIn(InModel):
    identifiers: list[ClearIdentifier] = Field(default_factory=list, max_length=10)
    hashes: list[Sha256Hex] = Field(default_factory=list, max_length=10)


class ConsortiumEntryOut(OutModel):
    id: int
    publisher_tenant_id: int
    case_id: int
    reason_codes: list[str]
    evidence_package_sha256: str
    expires_at: dt.datetime
    removed_at: dt.datetime | None
    removal_reason: str
    created_at: dt.datetime


class ConsortiumHitOut(OutModel):
    entry_id: int
    reason_codes: list[str]
    evidence_package_sha256: str
    publisher_tenant_id: int
    expires_at: dt.datetime
    matched_kinds: list[str]


class ConfirmOut(OutModel):
    verification: VerificationOut
    restriction: RestrictionOut | None
