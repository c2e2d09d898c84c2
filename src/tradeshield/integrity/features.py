"""Per-account behaviour features over rolling 30/90/365-day windows, in bulk (Polars).

Every feature only sees what was known at ``as_of``: orders placed, claims opened and
rulings made at or before it. That is what lets the model be trained on an earlier cut-off
and checked on what happened afterwards. ``account_features.py`` computes the same numbers
for one account in plain Python (the incremental path); a test holds the two together.
"""

from __future__ import annotations

import math

import polars as pl

from tradeshield.integrity.frames import MarketFrames
from tradeshield.integrity.policy import TimePolicy

DAY = 86_400
WINDOWS = (30, 90, 365)
QUICK_CLAIM_SECONDS = 48 * 3600

ORDER_FEATURES = [f"orders_{w}d" for w in WINDOWS] + [
    "order_value_365d", "category_spread_365d", "night_share_365d", "burst_orders",
    "decayed_orders",
]  # fmt: skip
CLAIM_FEATURES = [
    *(f"refund_only_{w}d" for w in WINDOWS),
    *(f"claims_{w}d" for w in WINDOWS),
    *(f"against_buyer_{w}d" for w in WINDOWS),
    "returns_365d", "claimed_minor_90d", "claimed_minor_365d", "ruled_365d",
    "returns_ruled_against_365d", "confirmed_forgeries_365d", "forgery_suspected_365d",
    "quick_claims_365d", "claim_value_ratio_sum_365d", "decayed_against",
]  # fmt: skip
# Return checks (the returns module): every buyer-liable mismatch the check found, and those
# the merchant confirmed.
MISMATCH_FEATURES = ["mismatches_found_365d", "confirmed_mismatches_365d"]
DERIVED_FEATURES = [
    "refund_only_rate_90d", "refund_only_rate_365d", "ruled_against_share_365d",
    "claim_to_order_value_365d", "quick_claim_share_365d", "account_age_days",
]  # fmt: skip
FEATURE_NAMES = ORDER_FEATURES + CLAIM_FEATURES + MISMATCH_FEATURES + DERIVED_FEATURES


def decay_rate(time_policy: TimePolicy) -> float:
    """Per-second rate at which an event's weight halves every half-life."""
    return math.log(2) / (time_policy.half_life_days * DAY)


def _within(age: pl.Expr, days: int) -> pl.Expr:
    return (age >= 0) & (age < days * DAY)


def _order_aggregates(frames: MarketFrames, as_of: int, time_policy: TimePolicy) -> pl.DataFrame:
    age = pl.lit(as_of) - pl.col("placed_s")
    local_hour = ((pl.col("placed_s") + time_policy.local_utc_offset_hours * 3600) // 3600) % 24
    night = (local_hour >= time_policy.night_start_hour) & (local_hour < time_policy.night_end_hour)
    new_account = (pl.col("placed_s") - pl.col("registered_s")) < time_policy.new_account_days * DAY
    in_year = _within(age, 365)
    orders = frames.orders.join(frames.accounts, on="buyer_id", how="left")
    return orders.group_by("buyer_id").agg(
        *(_within(age, w).sum().alias(f"orders_{w}d") for w in WINDOWS),
        pl.col("total_minor").filter(in_year).sum().alias("order_value_365d"),
        pl.col("category").filter(in_year).n_unique().alias("category_spread_365d"),
        (night & in_year).sum().alias("night_orders_365d"),
        (new_account & in_year).sum().alias("burst_orders"),
        (-age.cast(pl.Float64) * decay_rate(time_policy)).exp().filter(age >= 0).sum()
        .alias("decayed_orders"),
    )  # fmt: skip


def _claim_aggregates(frames: MarketFrames, as_of: int, time_policy: TimePolicy) -> pl.DataFrame:
    age = pl.lit(as_of) - pl.col("opened_s")
    ruled_age = pl.lit(as_of) - pl.col("ruled_s")
    # A ruling counts only once it was made, and ages from the day it was made.
    against = pl.col("against_buyer") & ruled_age.is_not_null() & (ruled_age >= 0)
    in_year = _within(age, 365)
    against_year = against & _within(ruled_age, 365)
    quick = (pl.col("opened_s") - pl.col("delivered_s")) <= QUICK_CLAIM_SECONDS
    ratio = pl.col("claimed_minor") / pl.max_horizontal(pl.col("order_total_minor"), 1)
    return frames.claims.group_by("buyer_id").agg(
        *((pl.col("is_refund_only") & _within(age, w)).sum().alias(f"refund_only_{w}d")
          for w in WINDOWS),
        *(_within(age, w).sum().alias(f"claims_{w}d") for w in WINDOWS),
        *((against & _within(ruled_age, w)).sum().alias(f"against_buyer_{w}d") for w in WINDOWS),
        (pl.col("is_return") & in_year).sum().alias("returns_365d"),
        pl.col("claimed_minor").filter(_within(age, 90)).sum().alias("claimed_minor_90d"),
        pl.col("claimed_minor").filter(in_year).sum().alias("claimed_minor_365d"),
        _within(ruled_age, 365).sum().alias("ruled_365d"),
        (against_year & pl.col("is_return")).sum().alias("returns_ruled_against_365d"),
        (against_year & pl.col("forgery_suspected")).sum().alias("confirmed_forgeries_365d"),
        (pl.col("forgery_suspected") & in_year).sum().alias("forgery_suspected_365d"),
        (quick.fill_null(False) & in_year).sum().alias("quick_claims_365d"),
        ratio.filter(in_year).sum().alias("claim_value_ratio_sum_365d"),
        (-ruled_age.cast(pl.Float64) * decay_rate(time_policy)).exp().filter(against).sum()
        .alias("decayed_against"),
    )  # fmt: skip


def _mismatch_aggregates(frames: MarketFrames, as_of: int) -> pl.DataFrame:
    in_year = _within(pl.lit(as_of) - pl.col("checked_s"), 365)
    return frames.mismatches.group_by("buyer_id").agg(
        in_year.sum().alias("mismatches_found_365d"),
        (in_year & pl.col("confirmed")).sum().alias("confirmed_mismatches_365d"),
    )


def _ratio(numerator: str, denominator: str) -> pl.Expr:
    return pl.col(numerator) / pl.max_horizontal(pl.col(denominator), 1)


def bulk_features(frames: MarketFrames, as_of: int, time_policy: TimePolicy) -> pl.DataFrame:
    """One row per account (every account, also those without orders), FEATURE_NAMES columns."""
    accounts = frames.accounts.filter(pl.col("registered_s") <= as_of)
    joined = (
        accounts.join(_order_aggregates(frames, as_of, time_policy), on="buyer_id", how="left")
        .join(_claim_aggregates(frames, as_of, time_policy), on="buyer_id", how="left")
        .join(_mismatch_aggregates(frames, as_of), on="buyer_id", how="left")
        .fill_null(0)
    )
    derived = joined.with_columns(
        _ratio("refund_only_90d", "orders_90d").alias("refund_only_rate_90d"),
        _ratio("refund_only_365d", "orders_365d").alias("refund_only_rate_365d"),
        _ratio("against_buyer_365d", "ruled_365d").alias("ruled_against_share_365d"),
        _ratio("claim_value_ratio_sum_365d", "claims_365d").alias("claim_to_order_value_365d"),
        _ratio("quick_claims_365d", "claims_365d").alias("quick_claim_share_365d"),
        _ratio("night_orders_365d", "orders_365d").alias("night_share_365d"),
        ((pl.lit(as_of) - pl.col("registered_s")) / DAY).alias("account_age_days"),
    )
    return derived.select(
        pl.col("buyer_id"), *(pl.col(name).cast(pl.Float64) for name in FEATURE_NAMES)
    ).sort("buyer_id")
