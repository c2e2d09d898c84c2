"""Account integrity use-cases: recompute the market, rescore one account, read scores,
rings and the review queue, and tell other modules how far to trust a buyer.

Writes happen in the caller's transaction; the shell commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.buyers import service as buyers_service
from tradeshield.errors import Forbidden, NotFound
from tradeshield.integrity.account_features import account_features
from tradeshield.integrity.appeals import (
    appeal_bonus_points,
    decide_appeal,
    list_appeals,
    open_appeal,
)
from tradeshield.integrity.history import load_history
from tradeshield.integrity.kinds import TIER_ORDER, ActionKind, ActionState, RecomputeStage, Tier
from tradeshield.integrity.model import IntegrityModel, load_model
from tradeshield.integrity.models import (
    IntegrityAction,
    IntegrityAppeal,
    IntegrityRing,
    IntegrityScore,
)
from tradeshield.integrity.pipeline import MarketAssessment, assess_market
from tradeshield.integrity.policy import IntegrityPolicy, load_policy
from tradeshield.integrity.reasons import explain
from tradeshield.integrity.ring_features import RING_COLUMNS
from tradeshield.integrity.scoring import ScoredMarket, score_accounts
from tradeshield.integrity.sources import load_market
from tradeshield.integrity.store import (
    ScoreRow,
    add_score,
    replace_rings,
    sync_actions,
    write_scores,
)
from tradeshield.jobs import service as jobs
from tradeshield.tenancy.scope import Scope

if TYPE_CHECKING:
    from tradeshield.jobs.models import Job

__all__ = ["decide_appeal", "list_appeals", "open_appeal"]

Progress = Callable[[RecomputeStage, float], None]
RECOMPUTE_JOB = "integrity.recompute"
LINKED_LIMIT = 200


@dataclass(frozen=True, slots=True)
class RecomputeSummary:
    accounts: int
    rings: int
    tiers: dict[str, int]
    actions_opened: int
    actions_lifted: int
    as_of: dt.datetime
    versions: dict[str, str]


@dataclass(frozen=True, slots=True)
class TierDecision:
    """What another module needs: the tier, its actions, and the score it came from."""

    buyer_id: int
    tier: Tier
    level: float | None  # None: the account has not been scored yet (treated as normal)
    actions: list[ActionKind]
    score_id: int | None


def versions_of(model: IntegrityModel, policy: IntegrityPolicy) -> dict[str, str]:
    return {"model": model.version, "policy": policy.version}


def _epoch(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _score_rows(
    assessment_features: Any, scored: ScoredMarket, model: IntegrityModel
) -> list[ScoreRow]:
    names = [*model.features, "against_buyer_365d", "ring_claimed_minor"]
    names = list(dict.fromkeys(names + [r.feature for r in load_policy().hard_rules]))
    values = {n: np.asarray(assessment_features[n]) for n in names}
    rings = list(assessment_features["ring_key"])
    rows = []
    for i, buyer_id in enumerate(scored.buyer_ids.tolist()):
        inputs = {n: float(values[n][i]) for n in names}
        rows.append(
            ScoreRow(
                buyer_id=int(buyer_id), level=float(scored.levels[i]), tier=scored.tiers[i],
                log_odds=float(scored.log_odds[i]), ring_key=rings[i],
                reasons=explain(scored.reason_codes[i], inputs), inputs=inputs,
            )
        )  # fmt: skip
    return rows


def assess_tenant(session: Session, scope: Scope) -> MarketAssessment:
    """Read the tenant's market and score it, writing nothing (the slow, read-only half)."""
    scope.require_operator()
    model, policy = load_model(), load_policy()
    frames = load_market(session, scope.tenant_id)
    bonus = appeal_bonus_points(session, scope.tenant_id, policy)
    return assess_market(frames, frames.latest_event_s(), model, policy, bonus)


def store_assessment(
    session: Session, scope: Scope, assessment: MarketAssessment
) -> RecomputeSummary:
    """Keep the scores and rings of an assessment and bring actions in line with it."""
    scope.require_operator()
    model, policy = load_model(), load_policy()
    versions = versions_of(model, policy)
    as_of = _epoch(assessment.as_of)
    rows = _score_rows(assessment.features, assessment.scores, model)
    write_scores(session, scope.tenant_id, rows, versions, as_of, whole_market=True)
    replace_rings(session, scope.tenant_id, assessment.rings, versions)
    tiers = {r.buyer_id: r.tier for r in rows}
    opened, lifted = sync_actions(session, scope.tenant_id, tiers, policy)
    counts = {t.value: 0 for t in TIER_ORDER}
    for tier in tiers.values():
        counts[tier.value] += 1
    rings = len(assessment.rings)
    summary = RecomputeSummary(len(rows), rings, counts, opened, lifted, as_of, versions)
    details = {"accounts": len(rows), "rings": rings, "tiers": counts,
               "as_of": as_of.isoformat(), "versions": versions}  # fmt: skip
    audit.record(session, scope, "integrity", scope.tenant_id, "recomputed", details)
    return summary


def recompute(session: Session, scope: Scope, progress: Progress | None = None) -> RecomputeSummary:
    """Score every account of the tenant, find rings, and bring actions in line."""
    report = progress or (lambda stage, share: None)
    report(RecomputeStage.FEATURES, 0.0)
    assessment = assess_tenant(session, scope)
    report(RecomputeStage.STORE, 0.6)
    summary = store_assessment(session, scope, assessment)
    report(RecomputeStage.STORE, 1.0)
    return summary


def schedule_recompute(session: Session, scope: Scope) -> Job:
    scope.require_operator()
    return jobs.schedule(session, scope.tenant_id, RECOMPUTE_JOB, {"actor": scope.actor})


def current_score(session: Session, scope: Scope, buyer_id: int) -> IntegrityScore | None:
    # The newest score is the current one; asking by buyer alone keeps to the buyer index.
    query = select(IntegrityScore).where(
        IntegrityScore.tenant_id == scope.tenant_id, IntegrityScore.buyer_id == buyer_id
    )
    newest = session.scalars(query.order_by(IntegrityScore.id.desc()).limit(1)).first()
    return newest if newest is not None and newest.current else None


def rescore_buyer(session: Session, scope: Scope, buyer_id: int) -> IntegrityScore:
    """The incremental path: rescore one account after an event, keeping its ring columns."""
    scope.require_write()
    model, policy = load_model(), load_policy()
    history = load_history(session, scope.tenant_id, buyer_id)
    if history is None:
        raise NotFound(f"buyer {buyer_id} does not exist")
    previous = current_score(session, scope, buyer_id)
    latest = [o.placed_s for o in history.orders] + [c.opened_s for c in history.claims]
    latest += [c.ruled_s for c in history.claims if c.ruled_s is not None]
    floor = int(previous.as_of.timestamp()) if previous is not None else 0
    as_of = max([floor, *latest]) if latest or floor else int(dt.datetime.now(dt.UTC).timestamp())
    features = account_features(history, as_of, policy.time)
    kept = previous.inputs if previous is not None else {}
    for column in RING_COLUMNS:
        features[column] = float(kept.get(column, 0.0))
    columns: dict[str, Any] = {"buyer_id": np.array([buyer_id])}
    columns.update({name: np.array([value]) for name, value in features.items()})
    bonus = appeal_bonus_points(session, scope.tenant_id, policy, buyer_id)
    scored = score_accounts(columns, model, policy, bonus)
    columns["ring_key"] = [previous.ring_key if previous else None]
    row = _score_rows(columns, scored, model)[0]
    versions = versions_of(model, policy)
    score = add_score(session, scope.tenant_id, row, versions, _epoch(as_of), previous)
    sync_actions(session, scope.tenant_id, {buyer_id: row.tier}, policy, {buyer_id: score.id})
    return score


def tier_for_buyer(session: Session, scope: Scope, buyer_id: int) -> TierDecision:
    """How far to trust a buyer, for any module of the tenant (merchant keys included)."""
    score = current_score(session, scope, buyer_id)
    active = session.scalars(
        select(IntegrityAction.kind).where(
            IntegrityAction.tenant_id == scope.tenant_id,
            IntegrityAction.buyer_id == buyer_id,
            IntegrityAction.state == ActionState.ACTIVE,
        )
    ).all()
    if score is None:
        return TierDecision(buyer_id, Tier.NORMAL, None, sorted(active), None)
    return TierDecision(buyer_id, score.tier, score.level, sorted(active), score.id)


def tiers_above_normal(session: Session, tenant_id: int) -> dict[int, Tier]:
    """Every account of the tenant whose current tier is not normal, for callers that keep a
    short-lived copy (checkout); any other account is normal."""
    query = select(IntegrityScore.buyer_id, IntegrityScore.tier).where(
        IntegrityScore.tenant_id == tenant_id,
        IntegrityScore.current.is_(True),
        IntegrityScore.tier != Tier.NORMAL,
    )
    return {int(buyer_id): tier for buyer_id, tier in session.execute(query)}


def require_buyer(session: Session, scope: Scope, buyer_id: int) -> None:
    """Raise NotFound unless the buyer is an account of this tenant."""
    if buyers_service.registration_of(session, scope.tenant_id, buyer_id) is None:
        raise NotFound(f"buyer {buyer_id} does not exist")


def _require_platform(scope: Scope) -> None:
    if scope.merchant_id is not None:
        raise Forbidden("a merchant key sees a buyer's tier only, through tier_for_buyer")


def score_history(
    session: Session, scope: Scope, buyer_id: int, limit: int = 50
) -> list[IntegrityScore]:
    _require_platform(scope)
    query = select(IntegrityScore).where(
        IntegrityScore.tenant_id == scope.tenant_id, IntegrityScore.buyer_id == buyer_id
    )
    return list(session.scalars(query.order_by(IntegrityScore.id.desc()).limit(limit)))


def actions_of(session: Session, scope: Scope, buyer_id: int) -> list[IntegrityAction]:
    query = select(IntegrityAction).where(
        IntegrityAction.tenant_id == scope.tenant_id, IntegrityAction.buyer_id == buyer_id
    )
    return list(session.scalars(query.order_by(IntegrityAction.id.desc())))


def review_queue(
    session: Session, scope: Scope, limit: int = 50, offset: int = 0
) -> tuple[list[IntegrityScore], int]:
    """Current scores in the queue's tiers, lowest level first, and how many there are."""
    _require_platform(scope)
    policy = load_policy()
    start = TIER_ORDER.index(policy.queue.min_tier)
    where = (
        IntegrityScore.tenant_id == scope.tenant_id,
        IntegrityScore.current.is_(True),
        IntegrityScore.tier.in_(TIER_ORDER[start:]),
    )
    total = session.scalar(select(func.count()).select_from(IntegrityScore).where(*where)) or 0
    query = select(IntegrityScore).where(*where).order_by(IntegrityScore.level, IntegrityScore.id)
    return list(session.scalars(query.limit(limit).offset(offset))), int(total)


def list_rings(
    session: Session, scope: Scope, limit: int = 50, offset: int = 0
) -> list[IntegrityRing]:
    _require_platform(scope)
    query = select(IntegrityRing).where(IntegrityRing.tenant_id == scope.tenant_id)
    ordered = query.order_by(
        IntegrityRing.abuse_share.desc(), IntegrityRing.size.desc(), IntegrityRing.id
    )
    return list(session.scalars(ordered.limit(limit).offset(offset)))


def get_ring(session: Session, scope: Scope, ring_id: int) -> IntegrityRing:
    _require_platform(scope)
    ring = session.get(IntegrityRing, ring_id)
    if ring is None or ring.tenant_id != scope.tenant_id:
        raise NotFound(f"ring {ring_id} does not exist")
    return ring


def ring_of(session: Session, scope: Scope, ring_key: str) -> IntegrityRing | None:
    query = select(IntegrityRing).where(
        IntegrityRing.tenant_id == scope.tenant_id, IntegrityRing.ring_key == ring_key
    )
    return session.scalars(query.limit(1)).first()


def levels_of(session: Session, scope: Scope, buyer_ids: list[int]) -> dict[int, IntegrityScore]:
    if not buyer_ids:
        return {}
    query = select(IntegrityScore).where(
        IntegrityScore.tenant_id == scope.tenant_id,
        IntegrityScore.current.is_(True),
        IntegrityScore.buyer_id.in_(buyer_ids),
    )
    return {s.buyer_id: s for s in session.scalars(query)}


def linked_accounts(session: Session, scope: Scope, buyer_id: int) -> dict[int, list[str]]:
    """Other accounts sharing an identifier hash with this one, with the kinds shared."""
    _require_platform(scope)
    linked = buyers_service.linked_buyers(session, scope.tenant_id, buyer_id, LINKED_LIMIT)
    return {other: [str(kind) for kind in kinds] for other, kinds in linked.items()}


def settle_appeal(
    session: Session, scope: Scope, appeal_id: int, upheld: bool, note: str
) -> IntegrityAppeal:
    """Decide an open appeal (operators only). Upholding lifts the action and rescores the
    account at once, so the appeal's bonus shows in its level without waiting for a recompute.
    """
    appeal = decide_appeal(session, scope, appeal_id, upheld, note)
    if upheld:
        rescore_buyer(session, scope, appeal.buyer_id)
    return appeal
