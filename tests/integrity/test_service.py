"""The integrity service on a demo market: recompute, tiers for other modules, the
incremental path, and appeals that lift actions and count as a good signal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.integrity.conftest import Demo
from tradeshield.db import session_factory
from tradeshield.errors import Conflict, Forbidden, NotFound
from tradeshield.integrity import service
from tradeshield.integrity.kinds import ActionKind, ActionState, AppealState, Tier
from tradeshield.integrity.models import IntegrityAction, IntegrityRing, IntegrityScore
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope


def _recompute(demo: Demo) -> service.RecomputeSummary:
    with session_factory(demo.engine).begin() as session:
        return service.recompute(session, demo.scope)


def test_recompute_scores_every_account_with_versions_and_reasons(demo: Demo) -> None:
    summary = _recompute(demo)
    assert summary.accounts > 0
    assert sum(summary.tiers.values()) == summary.accounts
    assert summary.rings >= 1
    with session_factory(demo.engine)() as session:
        scores = session.scalars(select(IntegrityScore)).all()
        assert len(scores) == summary.accounts
        assert all(0 <= s.level <= 100 and s.reasons for s in scores)
        assert {tuple(s.versions) for s in scores} == {("model", "policy")}
        worst = min(scores, key=lambda s: s.level)
        assert worst.tier is not Tier.NORMAL
        assert worst.reasons[0]["code"] != "clean_history"
        rings = session.scalars(select(IntegrityRing)).all()
        assert all(r.size >= 3 and len(r.member_ids) == r.size for r in rings)


def test_a_second_recompute_keeps_history_and_one_current_score(demo: Demo) -> None:
    first = _recompute(demo)
    _recompute(demo)
    with session_factory(demo.engine)() as session:
        total = session.scalar(select(func.count()).select_from(IntegrityScore))
        current = session.scalar(
            select(func.count()).select_from(IntegrityScore).where(IntegrityScore.current)
        )
        assert (total, current) == (2 * first.accounts, first.accounts)
        opened = session.scalar(select(func.count()).select_from(IntegrityAction))
        assert opened == first.actions_opened  # the same tiers open nothing new


def test_tier_for_buyer_tells_a_merchant_key_the_tier_and_actions(demo: Demo) -> None:
    _recompute(demo)
    with session_factory(demo.engine)() as session:
        items, total = service.review_queue(session, demo.scope, limit=5)
        assert total >= len(items) > 0
        worst = items[0]
        shop = Scope(tenant_id=demo.scope.tenant_id, role=Role.MERCHANT, merchant_id=1)
        decision = service.tier_for_buyer(session, shop, worst.buyer_id)
        assert decision.tier is worst.tier
        assert decision.level == worst.level
        assert ActionKind.MANUAL_REVIEW in decision.actions
        with pytest.raises(Forbidden):
            service.review_queue(session, shop)


def test_an_unscored_buyer_is_normal(demo: Demo) -> None:
    with session_factory(demo.engine)() as session:
        decision = service.tier_for_buyer(session, demo.scope, 1)
    assert (decision.tier, decision.level, decision.actions) == (Tier.NORMAL, None, [])


def test_rescoring_one_account_matches_the_batch_score(demo: Demo) -> None:
    _recompute(demo)
    with session_factory(demo.engine).begin() as session:
        items, _ = service.review_queue(session, demo.scope, limit=3)
        before = {s.buyer_id: s.level for s in items}
        for buyer_id, level in before.items():
            again = service.rescore_buyer(session, demo.scope, buyer_id)
            assert again.level == pytest.approx(level, abs=0.1)
        with pytest.raises(NotFound):
            service.rescore_buyer(session, demo.scope, 10**9)


def test_an_upheld_appeal_lifts_the_action_and_raises_the_level(demo: Demo) -> None:
    _recompute(demo)
    make = session_factory(demo.engine)
    with make.begin() as session:
        items, _ = service.review_queue(session, demo.scope, limit=1)
        buyer_id, level = items[0].buyer_id, items[0].level
        action = next(
            a for a in service.actions_of(session, demo.scope, buyer_id)
            if a.kind is ActionKind.MANUAL_REVIEW
        )  # fmt: skip
        appeal = service.open_appeal(session, demo.scope, action.id, "the parcel really was empty")
        with pytest.raises(Conflict):
            service.open_appeal(session, demo.scope, action.id, "again")
        decided = service.decide_appeal(session, demo.scope, appeal.id, True, "courier confirmed")
        assert decided.state is AppealState.UPHELD
        with pytest.raises(Conflict):
            service.decide_appeal(session, demo.scope, appeal.id, False, "")
        rescored = service.rescore_buyer(session, demo.scope, buyer_id)
        assert rescored.level > level
        assert "upheld_appeal" in [r["code"] for r in rescored.reasons]
        action_id = action.id
    _recompute(demo)  # a later recompute does not reopen what a person lifted
    with make() as session:
        lifted = session.get(IntegrityAction, action_id)
        assert lifted is not None
        assert lifted.state is ActionState.LIFTED
        reopened = session.scalars(
            select(IntegrityAction).where(
                IntegrityAction.buyer_id == buyer_id,
                IntegrityAction.kind == ActionKind.MANUAL_REVIEW,
                IntegrityAction.state == ActionState.ACTIVE,
            )
        ).all()
        assert reopened == []


def test_appeals_are_checked(demo: Demo) -> None:
    with session_factory(demo.engine).begin() as session:
        with pytest.raises(NotFound):
            service.open_appeal(session, demo.scope, 999, "why")
        reader = Scope(tenant_id=demo.scope.tenant_id, role=Role.READ_ONLY)
        with pytest.raises(Forbidden):
            service.open_appeal(session, reader, 1, "why")
