"""Writing scores, rings and actions: bulk for a recompute, one row for an incremental one.

Scores keep history: a new score clears ``current`` on the account's older ones. Actions
follow the tier: the ones the tier implies are opened, the ones it no longer implies are
lifted ("tier_improved"); an action lifted by an upheld appeal is not opened again by a
later score - a person decided it, and only a person reopens it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from tradeshield.db import utcnow
from tradeshield.integrity.kinds import ActionKind, ActionState, Tier
from tradeshield.integrity.models import IntegrityAction, IntegrityRing, IntegrityScore
from tradeshield.integrity.policy import IntegrityPolicy
from tradeshield.integrity.ring_features import RingSummary

INSERT_CHUNK = 5_000
APPEAL_UPHELD = "appeal_upheld"
FEW_ACCOUNTS = 100


@dataclass(frozen=True, slots=True)
class ScoreRow:
    buyer_id: int
    level: float
    tier: Tier
    log_odds: float
    ring_key: str | None
    reasons: list[dict[str, str]]
    inputs: dict[str, float]


def write_scores(
    session: Session,
    tenant_id: int,
    rows: Sequence[ScoreRow],
    versions: dict[str, Any],
    as_of: dt.datetime,
    whole_market: bool = False,
) -> None:
    """Add ``rows`` as the current scores; ``whole_market``: they cover every account."""
    now = utcnow()
    _retire_current(session, tenant_id, [r.buyer_id for r in rows], whole_market)
    payload = [
        {
            "tenant_id": tenant_id, "buyer_id": r.buyer_id, "level": r.level,
            "tier": r.tier, "log_odds": r.log_odds, "ring_key": r.ring_key,
            "reasons": r.reasons, "inputs": r.inputs, "versions": versions, "as_of": as_of,
            "current": True, "computed_at": now,
        }
        for r in rows
    ]  # fmt: skip
    for start in range(0, len(payload), INSERT_CHUNK):
        session.execute(insert(IntegrityScore), payload[start : start + INSERT_CHUNK])
    session.flush()


def _retire_current(
    session: Session, tenant_id: int, buyer_ids: list[int], whole_market: bool
) -> None:
    retire = update(IntegrityScore).values(current=False)
    if whole_market:
        session.execute(
            retire.where(IntegrityScore.tenant_id == tenant_id, IntegrityScore.current.is_(True))
        )
        return
    # Found through the per-buyer index, then retired by primary key: a filter on
    # ``current`` would lead the planner to the queue index and a scan of the tenant.
    for start in range(0, len(buyer_ids), INSERT_CHUNK):
        found = select(IntegrityScore.id, IntegrityScore.current).where(
            IntegrityScore.tenant_id == tenant_id,
            IntegrityScore.buyer_id.in_(buyer_ids[start : start + INSERT_CHUNK]),
        )
        ids = [score_id for score_id, current in session.execute(found) if current]
        if ids:
            session.execute(retire.where(IntegrityScore.id.in_(ids)))


def replace_rings(
    session: Session, tenant_id: int, rings: Sequence[RingSummary], versions: dict[str, Any]
) -> None:
    session.execute(delete(IntegrityRing).where(IntegrityRing.tenant_id == tenant_id))
    session.add_all(
        IntegrityRing(
            tenant_id=tenant_id, ring_key=r.ring_key, size=len(r.member_ids),
            component_size=r.component_size, confirmed_members=r.confirmed_members,
            abuse_share=r.abuse_share, claimed_minor_365d=r.claimed_minor_365d,
            member_ids=r.member_ids, edges=[list(e) for e in r.edges], versions=versions,
        )
        for r in rings
    )  # fmt: skip
    session.flush()


def add_score(
    session: Session,
    tenant_id: int,
    row: ScoreRow,
    versions: dict[str, Any],
    as_of: dt.datetime,
    previous: IntegrityScore | None,
) -> IntegrityScore:
    """The incremental path: one new current score, the previous one kept as history."""
    if previous is not None:
        previous.current = False
    score = IntegrityScore(
        tenant_id=tenant_id, buyer_id=row.buyer_id, level=row.level, tier=row.tier,
        log_odds=row.log_odds, ring_key=row.ring_key, reasons=row.reasons, inputs=row.inputs,
        versions=versions, as_of=as_of, current=True, computed_at=utcnow(),
    )  # fmt: skip
    session.add(score)
    session.flush()
    return score


def sync_actions(
    session: Session,
    tenant_id: int,
    tiers: dict[int, Tier],
    policy: IntegrityPolicy,
    score_ids: dict[int, int] | None = None,
) -> tuple[int, int]:
    """Open and lift actions so each account has exactly what its tier implies.

    Returns (opened, lifted). Only accounts whose tier implies an action, or which have an
    active one, are touched, so a whole-market recompute stays cheap.
    """
    query = select(IntegrityAction).where(
        IntegrityAction.tenant_id == tenant_id, IntegrityAction.state == ActionState.ACTIVE
    )
    few = list(tiers) if len(tiers) <= FEW_ACCOUNTS else None
    if few is not None:  # the incremental path: only this account's rows
        query = query.where(IntegrityAction.buyer_id.in_(few))
    active = session.scalars(query).all()
    held: dict[int, dict[ActionKind, IntegrityAction]] = {}
    for action in active:
        held.setdefault(action.buyer_id, {})[action.kind] = action
    scores = score_ids if score_ids is not None else _current_score_ids(session, tenant_id, tiers)
    kept_off = _lifted_by_appeal(session, tenant_id, few)
    opened = lifted = 0
    now = utcnow()
    for buyer_id in set(held) | {b for b, t in tiers.items() if policy.actions[t]}:
        if buyer_id not in tiers:
            continue
        wanted = set(policy.actions[tiers[buyer_id]])
        have = held.get(buyer_id, {})
        for kind in wanted - set(have) - kept_off.get(buyer_id, set()):
            session.add(
                IntegrityAction(
                    tenant_id=tenant_id, buyer_id=buyer_id, kind=kind,
                    state=ActionState.ACTIVE, score_id=scores.get(buyer_id), created_at=now,
                )
            )  # fmt: skip
            opened += 1
        for kind in set(have) - wanted:
            have[kind].state = ActionState.LIFTED
            have[kind].lifted_at = now
            have[kind].lifted_because = "tier_improved"
            lifted += 1
    session.flush()
    return opened, lifted


def _lifted_by_appeal(
    session: Session, tenant_id: int, few: list[int] | None
) -> dict[int, set[ActionKind]]:
    query = select(IntegrityAction.buyer_id, IntegrityAction.kind).where(
        IntegrityAction.tenant_id == tenant_id,
        IntegrityAction.lifted_because == APPEAL_UPHELD,
    )
    if few is not None:
        query = query.where(IntegrityAction.buyer_id.in_(few))
    found: dict[int, set[ActionKind]] = {}
    for buyer_id, kind in session.execute(query):
        found.setdefault(int(buyer_id), set()).add(kind)
    return found


def _current_score_ids(session: Session, tenant_id: int, tiers: dict[int, Tier]) -> dict[int, int]:
    restricted = [b for b, t in tiers.items() if t is not Tier.NORMAL]
    found: dict[int, int] = {}
    for start in range(0, len(restricted), INSERT_CHUNK):
        query = select(IntegrityScore.buyer_id, IntegrityScore.id).where(
            IntegrityScore.tenant_id == tenant_id,
            IntegrityScore.current.is_(True),
            IntegrityScore.buyer_id.in_(restricted[start : start + INSERT_CHUNK]),
        )
        found.update({int(b): int(i) for b, i in session.execute(query)})
    return found
