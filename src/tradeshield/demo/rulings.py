"""Rulings of demo cases that resolved by "now", as the case service would store them.

Rulings that follow from a step itself (agreement, a missed deadline) come from
``cases.lifecycle.step``; rulings of the platform's dispute team turn abusive claims down
more often than honest ones, but not always.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from tradeshield.cases.kinds import DecidedBy, LiableParty, Outcome, ReasonCode
from tradeshield.cases.lifecycle import Action, liable_for, step
from tradeshield.demo import profiles
from tradeshield.demo.case_paths import Lifecycle
from tradeshield.demo.claims import KINDS, REASONS, Claims
from tradeshield.demo.market import Market
from tradeshield.demo.rows import Rows
from tradeshield.demo.sampling import Ints
from tradeshield.demo.timebase import NEVER, stamps
from tradeshield.i18n.catalog import reason as reason_text


class _Decision(NamedTuple):
    outcome: Outcome
    liable_party: LiableParty
    amount_minor: int
    decided_by: str
    reasons: str  # JSON


@lru_cache(maxsize=256)
def _reasons_json(code: str, hours: int | None, note: str | None) -> str:
    params: dict[str, Any] = {}
    if hours is not None:
        params["hours"] = hours
    if note is not None:
        params["note"] = note
    return json.dumps([reason_text(code, **params)])


def _platform_decision(
    u: float, v: float, abusive: bool, claimed: int, code: ReasonCode
) -> _Decision:
    notes = profiles.texts().platform_notes
    reasons = _reasons_json("platform_decision", None, notes[int(v * len(notes))])
    platform = DecidedBy.PLATFORM.value
    reject, partial = (0.55, 0.65) if abusive else (0.2, 0.45)
    if u < reject:
        liable = LiableParty.BUYER if abusive else LiableParty.NONE
        return _Decision(Outcome.REJECT, liable, 0, platform, reasons)
    if u < partial:
        half = max(claimed // 2, 1)
        return _Decision(Outcome.PARTIAL_REFUND, LiableParty.MERCHANT, half, platform, reasons)
    return _Decision(Outcome.FULL_REFUND, liable_for(code), claimed, platform, reasons)


def _decide(
    claims: Claims, life: Lifecycle, i: int, draws: list[float], abusive: bool, market: Market
) -> _Decision:
    path, index = life.ruling_path[i] or (None, 0)
    if path is None:
        raise RuntimeError(f"claim {i} has a ruling time but no ruling step")
    kind, code = KINDS[claims.kind[i]], REASONS[claims.reason[i]]
    claimed = int(claims.claimed[i])
    action = path.steps[index][0]
    if action is Action.PLATFORM_RULE:
        return _platform_decision(draws[0], draws[1], abusive, claimed, code)
    auto = step(kind, code, path.states[index], action).ruling
    if auto is None:
        raise RuntimeError(f"demo path {path.name} resolves without a ruling")
    amount = (life.offer[i] if auto.uses_offer_amount else None) or claimed
    by_deadline = auto.decided_by is DecidedBy.DEADLINE
    hours = market.policy.hours.get(path.states[index]) if by_deadline else None
    reasons = _reasons_json(auto.reason_code, hours, None)
    return _Decision(auto.outcome, auto.liable_party, amount, auto.decided_by.value, reasons)


def _facts(claims: Claims, life: Lifecycle, i: int) -> str:
    """The inputs a ruling stores, as the case service records them."""
    return json.dumps(
        {
            "kind": KINDS[claims.kind[i]].value,
            "reason_code": REASONS[claims.reason[i]].value,
            "claimed_amount_minor": int(claims.claimed[i]),
            "offer_amount_minor": life.offer[i],
            "forgery_suspected": bool(life.forged[i]),
            "appeal_count": 0,
        }
    )


def ruling_rows(
    rng: np.random.Generator, claims: Claims, life: Lifecycle, case_ids: Ints, market: Market
) -> Rows:
    ruled = np.flatnonzero(life.ruled_at != NEVER)
    draws = rng.random((len(ruled), 2)).tolist()
    abusive = claims.abusive
    decisions = [
        _decide(claims, life, i, u, bool(abusive[i]), market)
        for i, u in zip(ruled.tolist(), draws, strict=True)
    ]
    facts = [_facts(claims, life, i) for i in ruled.tolist()]
    return Rows("rulings", len(ruled), {
        "id": market.ids.take("rulings", len(ruled)), "tenant_id": market.tenant_id,
        "case_id": case_ids[ruled], "sequence": 1,
        "outcome": [d.outcome.value for d in decisions],
        "liable_party": [d.liable_party.value for d in decisions],
        "amount_minor": [d.amount_minor for d in decisions],
        "currency": "CNY", "decided_by": [d.decided_by for d in decisions],
        "reasons": [d.reasons for d in decisions], "clause_ids": "[]",
        "versions": json.dumps({"deadline_policy": market.policy.version}),
        "inputs": facts, "supersedes_id": None, "created_at": stamps(life.ruled_at[ruled]),
    })  # fmt: skip
