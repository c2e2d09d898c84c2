"""Features: the bulk (Polars) and one-account (Python) paths agree, and respect ``as_of``."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy.orm import Session

from tests.integrity.conftest import Demo
from tradeshield.integrity.account_features import (
    AccountHistory,
    ClaimEvent,
    OrderEvent,
    account_features,
)
from tradeshield.integrity.features import DAY, FEATURE_NAMES, bulk_features
from tradeshield.integrity.frames import (
    ACCOUNTS_SCHEMA,
    CLAIMS_SCHEMA,
    IDENTIFIERS_SCHEMA,
    PURCHASES_SCHEMA,
    MarketFrames,
)
from tradeshield.integrity.history import load_history
from tradeshield.integrity.policy import load_policy
from tradeshield.integrity.sources import load_market

NOW = 1_790_000_000


def test_bulk_and_single_account_features_agree_on_a_demo_market(demo: Demo) -> None:
    policy = load_policy().time
    with Session(demo.engine) as session:
        frames = load_market(session, demo.scope.tenant_id)
        as_of = frames.latest_event_s()
        bulk = bulk_features(frames, as_of, policy)
        claimants = frames.claims["buyer_id"].unique().sort().to_list()[:40]
        quiet = bulk["buyer_id"].to_list()[:10]
        # Buyers the warehouse's return checks found a mismatch for, confirmed or not.
        mismatched = frames.mismatches["buyer_id"].unique().sort().to_list()[:20]
        assert mismatched, "the demo's return checks found no mismatch"
        found = bulk.filter(pl.col("buyer_id").is_in(mismatched))["mismatches_found_365d"]
        assert found.min() >= 1
        for buyer_id in claimants + quiet + mismatched:
            history = load_history(session, demo.scope.tenant_id, buyer_id)
            assert history is not None
            one = account_features(history, as_of, policy)
            row = bulk.filter(pl.col("buyer_id") == buyer_id).row(0, named=True)
            for name in FEATURE_NAMES:
                assert one[name] == pytest.approx(row[name], rel=1e-9, abs=1e-9), name


def _frames(orders: list[tuple[int, int]], claims: list[dict[str, object]]) -> MarketFrames:
    return MarketFrames(
        accounts=pl.DataFrame(
            {"buyer_id": [1], "registered_s": [NOW - 500 * DAY]}, schema=ACCOUNTS_SCHEMA
        ),
        orders=pl.DataFrame(
            {
                "buyer_id": [1] * len(orders),
                "order_id": list(range(1, len(orders) + 1)),
                "placed_s": [p for p, _ in orders],
                "total_minor": [t for _, t in orders],
                "category": [0] * len(orders),
            },
            schema={
                "buyer_id": pl.Int64,
                "order_id": pl.Int64,
                "placed_s": pl.Int64,
                "total_minor": pl.Int64,
                "category": pl.Int32,
            },
        ),
        claims=pl.DataFrame(claims, schema=CLAIMS_SCHEMA),
        identifiers=pl.DataFrame(schema=IDENTIFIERS_SCHEMA),
        purchases=pl.DataFrame(schema=PURCHASES_SCHEMA),
    )


def test_events_after_as_of_and_rulings_not_yet_made_are_not_counted() -> None:
    policy = load_policy().time
    claim = {
        "buyer_id": 1, "order_id": 1, "opened_s": NOW - 10 * DAY, "is_refund_only": True,
        "is_return": False, "claimed_minor": 500, "order_total_minor": 1000,
        "delivered_s": NOW - 11 * DAY, "ruled_s": NOW + DAY, "against_buyer": True,
        "forgery_suspected": False,
    }  # fmt: skip
    frames = _frames([(NOW - 20 * DAY, 1000), (NOW + 5 * DAY, 9999)], [claim])
    row = bulk_features(frames, NOW, policy).row(0, named=True)
    assert row["orders_30d"] == 1
    assert row["order_value_365d"] == 1000
    assert row["refund_only_30d"] == 1
    assert row["against_buyer_365d"] == 0  # the ruling comes tomorrow
    later = bulk_features(frames, NOW + 2 * DAY, policy).row(0, named=True)
    assert later["against_buyer_365d"] == 1


def test_windows_split_old_and_recent_orders() -> None:
    policy = load_policy().time
    history = AccountHistory(
        registered_s=NOW - 800 * DAY,
        orders=[OrderEvent(NOW - d * DAY, 100, d % 3) for d in (1, 40, 100, 400)],
        claims=[ClaimEvent(NOW - DAY, True, False, 100, 100, None, None, False, False)],
    )
    features = account_features(history, NOW, policy)
    assert (features["orders_30d"], features["orders_90d"], features["orders_365d"]) == (1, 2, 3)
    assert features["refund_only_rate_90d"] == pytest.approx(0.5)
    assert features["quick_claim_share_365d"] == 0  # never delivered: not a quick claim
