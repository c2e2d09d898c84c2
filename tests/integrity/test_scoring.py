"""Scores: one bad event does not ruin an account, trouble fades with good behaviour, and
the policy's hard rules and guard act as written."""

from __future__ import annotations

import polars as pl
import pytest

from tradeshield.errors import Invalid
from tradeshield.integrity.account_features import (
    AccountHistory,
    ClaimEvent,
    OrderEvent,
    account_features,
)
from tradeshield.integrity.features import DAY
from tradeshield.integrity.kinds import Tier
from tradeshield.integrity.model import load_model
from tradeshield.integrity.policy import POLICY_PATH, load_policy, parse_policy
from tradeshield.integrity.reasons import explain
from tradeshield.integrity.ring_features import RING_COLUMNS
from tradeshield.integrity.scoring import GUARD_CODE, score_accounts

NOW = 1_790_000_000
RESTRICTIVE = {Tier.PURCHASE_LIMIT, Tier.NO_REFUND_ONLY}


def _claim(
    days_ago: int, against: bool, refund_only: bool = True, forged: bool = False
) -> ClaimEvent:
    opened = NOW - days_ago * DAY
    return ClaimEvent(opened, refund_only, not refund_only, 5000, 6000, opened - DAY,
                      opened + 3 * DAY, against, forged)  # fmt: skip


def _score(history: AccountHistory, as_of: int = NOW, ring: dict[str, float] | None = None):  # type: ignore[no-untyped-def]
    policy, model = load_policy(), load_model()
    features = account_features(history, as_of, policy.time)
    for column in RING_COLUMNS:
        features[column] = (ring or {}).get(column, 0.0)
    frame = pl.DataFrame({"buyer_id": [1], **{k: [v] for k, v in features.items()}})
    return score_accounts(frame, model, policy), features


def _regular_buyer(days: int = 360, every: int = 12) -> AccountHistory:
    return AccountHistory(
        registered_s=NOW - 900 * DAY,
        orders=[OrderEvent(NOW - d * DAY - 3600 * 12, 8000, d % 5) for d in range(1, days, every)],
    )


def test_a_regular_buyer_is_normal_and_told_why() -> None:
    scored, features = _score(_regular_buyer())
    assert scored.tiers[0] is Tier.NORMAL
    assert scored.levels[0] >= load_policy().tiers.normal
    reasons = explain(scored.reason_codes[0], features)
    assert reasons[0]["code"] == "clean_history"
    assert reasons[0]["zh"]
    assert reasons[0]["en"]
    assert reasons[0]["zh"] != reasons[0]["en"]


def test_one_bad_event_does_not_ruin_an_account() -> None:
    history = _regular_buyer()
    history.claims.append(_claim(days_ago=20, against=True))
    scored, _ = _score(history)
    assert scored.tiers[0] not in RESTRICTIVE
    assert scored.tiers[0] in {Tier.NORMAL, Tier.MORE_EVIDENCE}


def test_trouble_fades_with_good_behaviour() -> None:
    history = _regular_buyer()
    history.claims += [_claim(days_ago=d, against=True) for d in (10, 20, 30)]
    history.claims += [_claim(days_ago=d, against=False) for d in (5, 15, 25, 35)]
    now_scored, _ = _score(history)
    # A year later, with a year of ordinary orders in between.
    later = NOW + 400 * DAY
    history.orders += [OrderEvent(NOW + d * DAY, 8000, d % 5) for d in range(1, 400, 12)]
    later_scored, _ = _score(history, as_of=later)
    assert now_scored.levels[0] < load_policy().tiers.more_evidence
    assert later_scored.levels[0] > now_scored.levels[0]
    assert later_scored.tiers[0] is Tier.NORMAL


def test_repeated_confirmed_forgery_hits_the_hard_rule_cap() -> None:
    history = _regular_buyer()
    history.claims += [_claim(days_ago=d, against=True, forged=True) for d in (10, 40, 70)]
    scored, _ = _score(history)
    assert "repeated_forgery" in scored.reason_codes[0]
    assert scored.levels[0] <= 15
    assert scored.tiers[0] is Tier.NO_REFUND_ONLY


def test_without_confirmed_outcomes_the_guard_stops_at_manual_review() -> None:
    history = AccountHistory(registered_s=NOW - 5 * DAY)
    history.orders = [OrderEvent(NOW - h * 3600, 20000, h % 7) for h in range(1, 40, 2)]
    history.claims = [
        ClaimEvent(NOW - h * 3600, True, False, 20000, 20000, NOW - h * 3600 - 600, None,
                   False, True)
        for h in range(1, 40, 2)
    ]  # fmt: skip
    scored, _ = _score(history, ring={"ring_size": 6.0, "ring_abuse_share": 0.0})
    assert scored.tiers[0] is Tier.MANUAL_REVIEW
    assert GUARD_CODE in scored.reason_codes[0]


def test_a_policy_with_floors_out_of_order_is_refused() -> None:
    text = POLICY_PATH.read_text(encoding="utf-8").replace("normal = 70", "normal = 10")
    with pytest.raises(Invalid, match="tier floors"):
        parse_policy(text)


def test_a_policy_with_an_unknown_action_is_refused() -> None:
    text = POLICY_PATH.read_text(encoding="utf-8").replace(
        'more_evidence = ["require_unboxing_video"]', 'more_evidence = ["ban_forever"]'
    )
    with pytest.raises(Invalid):
        parse_policy(text)
