"""API shapes for rule packs, adjudication and replay."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from tradeshield.cases.kinds import LiableParty, Outcome
from tradeshield.rules.facts import CaseFacts, Commitments, Item
from tradeshield.rules.kinds import BuyerTier, ReturnCheck
from tradeshield.schema_types import AwareDatetime, InModel, OutModel


class AdjudicateIn(InModel):
    facts: CaseFacts
    pins: dict[str, str] = Field(
        default_factory=dict, description="pack id -> version to use instead of the one in force"
    )


class CaseAdjudicateIn(InModel):
    """What the platform knows beyond the recorded case; everything optional."""

    affected_share: float | None = Field(default=None, ge=0, le=1)
    photos: int | None = Field(default=None, ge=0)
    has_video: bool | None = None
    return_verification: ReturnCheck | None = None
    buyer_integrity_tier: BuyerTier | None = None
    price_error: bool | None = None
    price_ratio: float | None = Field(default=None, ge=0)
    stock_out: bool | None = None
    commitments: Commitments | None = None
    item: Item | None = None

    def additions(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class ReasonOut(OutModel):
    code: str
    zh: str
    en: str


class NextStepOut(ReasonOut):
    deadline_hours: int | None


class RulingValueOut(OutModel):
    outcome: Outcome
    liable_party: LiableParty
    amount_minor: int
    currency: str
    clause_ids: list[str]
    reasons: list[ReasonOut]
    next_steps: list[NextStepOut]
    versions: dict[str, str]
    inputs: dict[str, Any]
    decided_by_pack: str | None
    record_against_account: bool


class StoredRulingOut(RulingValueOut):
    ruling_id: int
    case_id: int


class ClauseOut(OutModel):
    id: str
    effective: dt.date
    source: str
    zh: str
    en: str


class TableOut(OutModel):
    node: str
    hit_policy: str
    inputs: list[tuple[str, str]]
    outputs: list[tuple[str, str]]
    rows: list[dict[str, str]]


class PackCaseOut(OutModel):
    name: str
    facts: dict[str, Any]
    expect: dict[str, Any]


class PackSummaryOut(OutModel):
    id: str
    kind: str
    version: str
    effective: dt.date
    title_zh: str
    title_en: str
    precedence: str
    versions: list[str]


class PackOut(PackSummaryOut):
    summary_zh: str
    summary_en: str
    sources: list[str]
    industries: list[str]
    reasons: list[str]
    kinds: list[str]
    when: list[str]
    clauses: list[ClauseOut]
    tables: list[TableOut]
    cases: list[PackCaseOut]
    decision: dict[str, Any]


class ReplayIn(InModel):
    pack: str = Field(min_length=1, max_length=60)
    version: str | None = Field(default=None, max_length=40)
    since: AwareDatetime


class IndustryDeltaOut(OutModel):
    cases: int
    changed: int
    money_delta_minor: int


class ChangeDeltaOut(OutModel):
    cases: int
    money_delta_minor: int


class ChangedCaseOut(OutModel):
    case_id: int
    industry: str
    outcome_before: str
    outcome_after: str
    amount_before_minor: int
    amount_after_minor: int
    currency: str


class ReplayOut(OutModel):
    pack: str
    version: str
    baseline_version: str
    cases: int
    changed_outcomes: int
    changed_amounts: int
    money_before_minor: int
    money_after_minor: int
    money_delta_minor: int
    by_outcome: dict[str, int]
    by_industry: dict[str, IndustryDeltaOut]
    by_change: dict[str, ChangeDeltaOut]  # outcome or amount changes, "before -> after"
    changed_sample: list[ChangedCaseOut]  # the first changed cases, to open and read
    currencies: list[str]  # of the cases replayed; the money sums add these up
