"""Rulings of demo cases that resolved by "now", as the case service would store them.

Rulings that follow from a step itself (agreement, a missed deadline) are what the rule
packs' settlement rules give for the step ``cases.lifecycle.step`` names, with the packs'
clauses, reasons, versions and inputs, as ``cases.service`` stores an agreement. Rulings
of the platform's dispute team turn abusive claims down more often than honest ones, but
not always (the team knows what the demo's hidden labels stand for); each cites the
clauses the packs would apply to the dispute, so a reader can check the team against them.
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
from tradeshield.demo.ruling_facts import ChunkFacts, pack_rulings
from tradeshield.demo.sampling import Ints
from tradeshield.demo.timebase import NEVER, stamps
from tradeshield.i18n.catalog import reason as reason_text
from tradeshield.rules.adjudication import RulingValue


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


def _settlement(claims: Claims, life: Lifecycle, i: int) -> str | None:
    """How claim ``i`` ended without a contest, or None when the dispute team decided it."""
    path, index = life.ruling_path[i] or (None, 0)
    if path is None or path.steps[index][0] is Action.PLATFORM_RULE:
        return None
    kind, code = KINDS[claims.kind[i]], REASONS[claims.reason[i]]
    auto = step(kind, code, path.states[index], path.steps[index][0]).ruling
    return auto.reason_code if auto is not None else None


def _as_ruled(decision: _Decision, value: RulingValue) -> _Decision:
    return decision._replace(
        outcome=value.outcome, liable_party=value.liable_party, amount_minor=value.amount_minor
    )


def _cited(value: RulingValue) -> tuple[list[str], list[dict[str, str]]]:
    """The clauses a pack ruling cites and their texts (its other reasons state its outcome,
    which for a team decision is not the one stored)."""
    texts = [r for r in value.reasons if r.get("code") in value.clause_ids]
    return list(value.clause_ids), texts


def _stored(decision: _Decision, value: RulingValue, settled: bool, policy: str) -> list[str]:
    """``reasons``, ``clause_ids``, ``versions`` and ``inputs`` as JSON, like the service's."""
    first = json.loads(decision.reasons)
    clauses, cited = _cited(value)
    reasons = first + (value.reasons if settled else cited)
    versions = {"deadline_policy": policy, "rule_packs": dict(value.versions)}
    inputs = {"facts": value.inputs, "next_steps": value.next_steps if settled else []}
    return [json.dumps(part, ensure_ascii=False) for part in (reasons, clauses, versions, inputs)]


def ruling_rows(rng: np.random.Generator, chunk: ChunkFacts, case_ids: Ints) -> Rows:
    claims, life, market = chunk.claims, chunk.life, chunk.market
    ruled = np.flatnonzero(life.ruled_at != NEVER).tolist()
    draws = rng.random((len(ruled), 2)).tolist()
    abusive = claims.abusive
    decisions = [
        _decide(claims, life, i, u, bool(abusive[i]), market)
        for i, u in zip(ruled, draws, strict=True)
    ]
    settlements = [_settlement(claims, life, i) for i in ruled]
    values = pack_rulings(chunk, ruled, settlements)
    # A settlement is stored as the packs rule it (an exchange moves no money), as
    # cases.service stores an agreement; a team decision keeps the team's outcome.
    decisions = [
        _as_ruled(d, v) if s is not None else d
        for d, v, s in zip(decisions, values, settlements, strict=True)
    ]
    stored = [
        _stored(d, v, s is not None, market.policy.version)
        for d, v, s in zip(decisions, values, settlements, strict=True)
    ]
    reasons, clause_ids, versions, inputs = ([row[k] for row in stored] for k in range(4))
    return Rows("rulings", len(ruled), {
        "id": market.ids.take("rulings", len(ruled)), "tenant_id": market.tenant_id,
        "case_id": case_ids[ruled], "sequence": 1,
        "outcome": [d.outcome.value for d in decisions],
        "liable_party": [d.liable_party.value for d in decisions],
        "amount_minor": [d.amount_minor for d in decisions],
        "currency": "CNY", "decided_by": [d.decided_by for d in decisions],
        "reasons": reasons, "clause_ids": clause_ids, "versions": versions,
        "inputs": inputs, "supersedes_id": None,
        "created_at": stamps(life.ruled_at[np.asarray(ruled, dtype=np.int64)]),
    })  # fmt: skip
