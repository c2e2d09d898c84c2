"""The facts a ruling is made from, and the flat context the decision graphs read.

Pure: values in, values out. Facts the platform does not hold yet default to the answer
that favours nobody: no merchant commitment (the catalogue has no field for one yet), no
forensic report, no return check, no integrity tier. Item flags default to false, so a pack
row that needs a flag true only fires when someone stated it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from tradeshield.cases.kinds import CaseKind, ReasonCode
from tradeshield.catalog.industries import Industry
from tradeshield.rules.kinds import BuyerTier, Forgery, ReturnCheck, Settlement
from tradeshield.schema_types import AwareDatetime

_T0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Commitments(_Strict):
    """Service promises the merchant made on the listing."""

    freshness_guarantee: bool = False  # 坏果包赔 / freshness guaranteed on arrival
    seven_day_return_on_excluded: bool = False  # opted into 7-day returns on excluded goods
    authenticity_guarantee: bool = False  # 正品保障 / 假一赔三 style promise
    installation_included: bool = False  # delivery price includes installation


class Item(_Strict):
    """What is known about the goods in dispute; every flag is a statement someone made."""

    opened: bool = False
    seal_broken: bool = False  # hygiene seal of cosmetics, underwear, baby feeding items
    customised: bool = False
    activated: bool = False  # digital code redeemed, download started, account bound
    tags_removed: bool = False
    worn_or_washed: bool = False
    material_claim: bool = False  # buyer disputes the stated material or composition
    lab_test_failed: bool = False  # an accredited test contradicts the listing
    certificate_missing: bool = False  # jewellery/appliance certificate not supplied
    ccc_missing: bool = False  # e-bike or appliance without the CCC mark
    battery_noncompliant: bool = False  # e-bike battery over GB 17761 limits or uncertified
    speed_over_limit: bool = False  # e-bike exceeds 25 km/h as delivered
    modified_by_buyer: bool = False
    purchase_proof_missing: bool = False  # daigou: no receipt or customs record
    fitment_confirmed: bool = False  # auto parts: merchant confirmed the vehicle fit
    installed_by_merchant: bool = False
    appointment_missed_by: str | None = None  # "merchant" | "buyer" for installation visits
    outer_packaging_damaged: bool = False  # noted on signing or in the arrival video
    signed_without_inspection: bool = False
    vet_certificate: bool = False  # a vet's record of the animal's condition
    expired_on_arrival: bool = False
    underweight: bool = False
    used_or_refurbished_undisclosed: bool = False
    within_warranty: bool = True


class CaseFacts(_Strict):
    kind: CaseKind = CaseKind.REFUND_ONLY
    reason: ReasonCode = ReasonCode.QUALITY_ISSUE
    industry: Industry = Industry.ELECTRONICS
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    order_amount_minor: StrictInt = Field(default=10000, ge=0)
    claimed_amount_minor: StrictInt = Field(default=10000, ge=0)
    offer_amount_minor: StrictInt | None = Field(default=None, ge=0)
    ordered_at: AwareDatetime = _T0
    promised_delivery_at: AwareDatetime | None = None
    delivered_at: AwareDatetime | None = _T0 + dt.timedelta(days=2)
    claimed_at: AwareDatetime = _T0 + dt.timedelta(days=2, hours=12)
    affected_share: float | None = Field(default=None, ge=0, le=1)
    photos: int = Field(default=1, ge=0)
    has_video: bool = False
    merchant_reported_forgery: bool = False
    forgery: Forgery = Forgery.NONE
    forgery_score: float | None = Field(default=None, ge=0, le=1)
    return_verification: ReturnCheck | None = None
    buyer_integrity_tier: BuyerTier | None = None
    settlement: Settlement | None = None
    appeal_count: int = Field(default=0, ge=0)
    price_error: bool = False  # merchant reports the listed price was mis-set
    price_ratio: float | None = Field(default=None, ge=0)  # price paid / usual price
    stock_out: bool = False  # merchant cannot ship what was sold
    commitments: Commitments = Commitments()
    item: Item = Item()

    @model_validator(mode="after")
    def _amounts_and_times_agree(self) -> CaseFacts:
        if self.claimed_amount_minor > self.order_amount_minor:
            raise ValueError("claimed_amount_minor exceeds order_amount_minor")
        if self.delivered_at is not None and self.delivered_at < self.ordered_at:
            raise ValueError("delivered_at is before ordered_at")
        return self


def _hours(later: dt.datetime | None, earlier: dt.datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return round((later - earlier).total_seconds() / 3600, 2)


def context_of(facts: CaseFacts) -> dict[str, Any]:
    """The flat JSON object every decision graph reads (times become hours)."""
    data = facts.model_dump(mode="json")
    late_until = facts.delivered_at or facts.claimed_at
    data.update(
        delivered=facts.delivered_at is not None,
        hours_after_delivery=_hours(facts.claimed_at, facts.delivered_at),
        hours_late=_hours(late_until, facts.promised_delivery_at),
        hours_after_order=_hours(facts.claimed_at, facts.ordered_at),
        forensic_report=facts.forgery is not Forgery.NONE,
        claim_share=(
            facts.claimed_amount_minor / facts.order_amount_minor
            if facts.order_amount_minor
            else 0.0
        ),
    )
    return data


_FACT_NAMES = tuple(CaseFacts.model_fields)


def inputs_of(context: dict[str, Any]) -> dict[str, Any]:
    """The facts part of a context, as stored with a ruling (the derived hours left out)."""
    return {name: context[name] for name in _FACT_NAMES}
