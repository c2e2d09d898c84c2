"""The returns policy file, validated at load."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from tradeshield.errors import Invalid

POLICY_FILE = Path(__file__).parent / "policy" / "returns.toml"
REQUIRED_CLAUSES = frozenset({
    "buyer_item_changed_before_pickup", "buyer_returned_other_item", "buyer_seal_broken",
    "courier_weight_changed_in_transit", "courier_damage_scan", "merchant_shipped_wrong_unit",
    "merchant_no_shipping_evidence",
})  # fmt: skip


class VerificationPolicy(BaseModel, frozen=True, extra="forbid"):
    weight_tolerance_ratio: float = Field(gt=0, lt=1)
    weight_tolerance_min_grams: int = Field(ge=0)
    partial_min_weight_ratio: float = Field(gt=0, lt=1)
    photo_min_inlier_share: float = Field(gt=0, le=1)
    photo_min_inliers: int = Field(ge=4)
    photo_long_side: int = Field(ge=128)
    photo_max_features: int = Field(ge=100)


class LiabilityPolicy(BaseModel, frozen=True, extra="forbid"):
    pickup_tolerance_ratio: float = Field(gt=0, lt=1)
    transit_tolerance_ratio: float = Field(gt=0, lt=1)
    transit_tolerance_min_grams: int = Field(ge=0)
    shipped_declared_tolerance_ratio: float = Field(gt=0, lt=1)
    rule_pack: str
    clauses: dict[str, str]


class PurchasePolicy(BaseModel, frozen=True, extra="forbid"):
    window_days: int = Field(ge=1)
    limited_after: int = Field(ge=1)
    blocked_after: int = Field(ge=1)
    limited_days: int = Field(ge=1)
    blocked_days: int = Field(ge=1)
    max_quantity: int = Field(ge=1)
    prepayment_from_minor: int = Field(ge=0)
    limited_tiers: list[str]
    blocked_tiers: list[str]
    index_ttl_seconds: float = Field(gt=0, le=60)
    price_ttl_seconds: float = Field(gt=0, le=3600)


class ConsortiumPolicy(BaseModel, frozen=True, extra="forbid"):
    entry_days: int = Field(ge=1)
    bucket_capacity: int = Field(ge=1)
    refill_per_second: float = Field(gt=0)


class ReturnsPolicy(BaseModel, frozen=True, extra="forbid"):
    version: str = Field(min_length=1)
    verification: VerificationPolicy
    liability: LiabilityPolicy
    purchase: PurchasePolicy
    consortium: ConsortiumPolicy


def parse_policy(text: str) -> ReturnsPolicy:
    try:
        policy = ReturnsPolicy.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise Invalid(f"returns policy is not valid: {exc}") from None
    missing = REQUIRED_CLAUSES - set(policy.liability.clauses)
    if missing:
        raise Invalid(f"returns policy lacks liability clause(s): {', '.join(sorted(missing))}")
    if policy.purchase.blocked_after < policy.purchase.limited_after:
        raise Invalid("returns policy: blocked_after must not be below limited_after")
    return policy


@lru_cache(maxsize=4)
def load_policy(path: Path = POLICY_FILE) -> ReturnsPolicy:
    return parse_policy(path.read_text(encoding="utf-8"))
