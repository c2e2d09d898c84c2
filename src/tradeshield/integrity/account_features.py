"""The features of one account in plain Python: the incremental path, for one new event.

Same definitions as ``features.bulk_features`` (a test compares them on a demo market);
plain loops over one account's few dozen events are far cheaper than a columnar query.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tradeshield.integrity.features import (
    DAY,
    FEATURE_NAMES,
    QUICK_CLAIM_SECONDS,
    WINDOWS,
    decay_rate,
)
from tradeshield.integrity.policy import TimePolicy


@dataclass(frozen=True, slots=True)
class OrderEvent:
    placed_s: int
    total_minor: int
    category: int


@dataclass(frozen=True, slots=True)
class ClaimEvent:
    opened_s: int
    is_refund_only: bool
    is_return: bool
    claimed_minor: int
    order_total_minor: int
    delivered_s: int | None
    ruled_s: int | None
    against_buyer: bool
    forgery_suspected: bool


@dataclass(frozen=True, slots=True)
class MismatchEvent:
    checked_s: int
    confirmed: bool


@dataclass(slots=True)
class AccountHistory:
    registered_s: int
    orders: list[OrderEvent] = field(default_factory=list)
    claims: list[ClaimEvent] = field(default_factory=list)
    mismatches: list[MismatchEvent] = field(default_factory=list)


def _in(age: int, days: int) -> bool:
    return 0 <= age < days * DAY


def _order_part(history: AccountHistory, as_of: int, policy: TimePolicy) -> dict[str, float]:
    out = dict.fromkeys(
        [f"orders_{w}d" for w in WINDOWS] + ["order_value_365d", "burst_orders", "decayed_orders"],
        0.0,
    )
    rate = decay_rate(policy)
    categories: set[int] = set()
    night = 0
    for order in history.orders:
        age = as_of - order.placed_s
        if age < 0:
            continue
        out["decayed_orders"] += math.exp(-age * rate)
        for w in WINDOWS:
            out[f"orders_{w}d"] += _in(age, w)
        if not _in(age, 365):
            continue
        out["order_value_365d"] += order.total_minor
        categories.add(order.category)
        hour = ((order.placed_s + policy.local_utc_offset_hours * 3600) // 3600) % 24
        night += policy.night_start_hour <= hour < policy.night_end_hour
        burst = order.placed_s - history.registered_s < policy.new_account_days * DAY
        out["burst_orders"] += burst
    out["category_spread_365d"] = float(len(categories))
    out["night_orders_365d"] = float(night)
    return out


def _claim_part(history: AccountHistory, as_of: int, policy: TimePolicy) -> dict[str, float]:
    names = [n for n in FEATURE_NAMES if n.startswith(("refund_only_", "claims_", "against_"))]
    out = dict.fromkeys(names, 0.0)
    for name in (
        "returns_365d", "claimed_minor_90d", "claimed_minor_365d", "ruled_365d",
        "returns_ruled_against_365d", "confirmed_forgeries_365d", "forgery_suspected_365d",
        "quick_claims_365d", "claim_value_ratio_sum_365d", "decayed_against",
    ):  # fmt: skip
        out[name] = 0.0
    rate = decay_rate(policy)
    for claim in history.claims:
        _add_claim(out, claim, as_of, rate)
    return out


def _add_claim(out: dict[str, float], claim: ClaimEvent, as_of: int, rate: float) -> None:
    age = as_of - claim.opened_s
    for w in WINDOWS:
        out[f"refund_only_{w}d"] += claim.is_refund_only and _in(age, w)
        out[f"claims_{w}d"] += _in(age, w)
    if _in(age, 365):
        out["returns_365d"] += claim.is_return
        out["claimed_minor_365d"] += claim.claimed_minor
        out["forgery_suspected_365d"] += claim.forgery_suspected
        quick = claim.delivered_s is not None and (
            claim.opened_s - claim.delivered_s <= QUICK_CLAIM_SECONDS
        )
        out["quick_claims_365d"] += quick
        out["claim_value_ratio_sum_365d"] += claim.claimed_minor / max(claim.order_total_minor, 1)
    if _in(age, 90):
        out["claimed_minor_90d"] += claim.claimed_minor
    if claim.ruled_s is None or as_of - claim.ruled_s < 0:
        return
    ruled_age = as_of - claim.ruled_s
    out["ruled_365d"] += _in(ruled_age, 365)
    if not claim.against_buyer:
        return
    out["decayed_against"] += math.exp(-ruled_age * rate)
    for w in WINDOWS:
        out[f"against_buyer_{w}d"] += _in(ruled_age, w)
    if _in(ruled_age, 365):
        out["returns_ruled_against_365d"] += claim.is_return
        out["confirmed_forgeries_365d"] += claim.forgery_suspected


def _mismatch_part(history: AccountHistory, as_of: int) -> dict[str, float]:
    found = [m for m in history.mismatches if _in(as_of - m.checked_s, 365)]
    return {
        "mismatches_found_365d": float(len(found)),
        "confirmed_mismatches_365d": float(sum(m.confirmed for m in found)),
    }


def account_features(history: AccountHistory, as_of: int, policy: TimePolicy) -> dict[str, float]:
    """FEATURE_NAMES for one account as of ``as_of`` (epoch seconds)."""
    out = {
        **_order_part(history, as_of, policy),
        **_claim_part(history, as_of, policy),
        **_mismatch_part(history, as_of),
    }

    def ratio(numerator: str, denominator: str) -> float:
        return out[numerator] / max(out[denominator], 1.0)

    out["refund_only_rate_90d"] = ratio("refund_only_90d", "orders_90d")
    out["refund_only_rate_365d"] = ratio("refund_only_365d", "orders_365d")
    out["ruled_against_share_365d"] = ratio("against_buyer_365d", "ruled_365d")
    out["claim_to_order_value_365d"] = ratio("claim_value_ratio_sum_365d", "claims_365d")
    out["quick_claim_share_365d"] = ratio("quick_claims_365d", "claims_365d")
    out["night_share_365d"] = ratio("night_orders_365d", "orders_365d")
    out["account_age_days"] = (as_of - history.registered_s) / DAY
    return {name: float(out[name]) for name in FEATURE_NAMES}
