"""Adjudication: which packs apply to a case, whose answer wins, and the ruling that follows.

Pure apart from reading the text catalogue. Packs are asked in precedence order (see
``kinds.Precedence``) and the first that answers decides; packs below it are not asked. A
case no pack answers is escalated to a person with that reason; it is never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tradeshield.cases.kinds import LiableParty, Outcome
from tradeshield.i18n.catalog import reason
from tradeshield.rules.engine import Verdict, verdict_of
from tradeshield.rules.facts import CaseFacts, context_of, inputs_of
from tradeshield.rules.kinds import NextStep
from tradeshield.rules.library import Library
from tradeshield.rules.packs import Clause, Pack, PackMeta

DOMAIN = "rules"
_PAID_IN_FULL = (Outcome.FULL_REFUND, Outcome.RETURN_THEN_REFUND)


@dataclass(frozen=True)
class RulingValue:
    """A ruling before it is stored: everything needed to explain and replay it."""

    outcome: Outcome
    liable_party: LiableParty
    amount_minor: int
    currency: str
    clause_ids: list[str]
    reasons: list[dict[str, str]]
    next_steps: list[dict[str, Any]]
    versions: dict[str, str]  # every pack consulted -> its version
    inputs: dict[str, Any]  # the facts, as given
    decided_by_pack: str | None = None
    record_against_account: bool = False
    consulted: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "liable_party": self.liable_party.value,
            "amount_minor": self.amount_minor,
            "currency": self.currency,
            "clause_ids": list(self.clause_ids),
            "reasons": list(self.reasons),
            "next_steps": list(self.next_steps),
            "versions": dict(self.versions),
            "inputs": dict(self.inputs),
            "decided_by_pack": self.decided_by_pack,
            "record_against_account": self.record_against_account,
        }


def candidates(
    library: Library, context: dict[str, Any], pins: Mapping[str, str] | None = None
) -> list[Pack]:
    """The packs that apply, in the order they are asked; ``pins`` picks versions by id."""
    if not pins:
        chosen = [library.active[pack_id] for pack_id in library.applicable_ids(context)]
    else:
        chosen = []
        for pack_id, active in library.active.items():
            pack = library.pack(pack_id, pins[pack_id]) if pack_id in pins else active
            if library.applies(pack, context):
                chosen.append(pack)
    return sorted(chosen, key=lambda p: (p.meta.rank, p.meta.order, p.meta.id))


def adjudicate(
    library: Library, facts: CaseFacts, pins: Mapping[str, str] | None = None
) -> RulingValue:
    context = context_of(facts)
    asked: list[Pack] = []
    for pack in candidates(library, context, pins):
        asked.append(pack)
        verdict = library.evaluate(pack, context)
        if verdict is not None:
            return ruling_from(library, facts, verdict, asked, context)
    return escalation(facts, asked, "no_rule_matched", context)


def adjudicate_many(
    library: Library, facts: Sequence[CaseFacts], pins: Mapping[str, str] | None = None
) -> list[RulingValue]:
    """The same rulings as ``adjudicate`` one by one, with one engine call per pack per round."""
    contexts = [context_of(f) for f in facts]
    queues = [candidates(library, c, pins) for c in contexts]
    positions = [0] * len(facts)
    verdicts: list[Verdict | None] = [None] * len(facts)
    waiting = [i for i, queue in enumerate(queues) if queue]
    while waiting:
        by_pack: dict[str, list[int]] = defaultdict(list)
        for i in waiting:
            by_pack[queues[i][positions[i]].key].append(i)
        for key, indexes in by_pack.items():
            pack = queues[indexes[0]][positions[indexes[0]]]
            results = library.engine.evaluate_many(key, [contexts[i] for i in indexes])
            for i, result in zip(indexes, results, strict=True):
                verdicts[i] = verdict_of(pack.meta.id, pack.meta.version, result)
                positions[i] += 1
        waiting = [i for i in waiting if verdicts[i] is None and positions[i] < len(queues[i])]
    rulings = []
    for i, item in enumerate(facts):
        asked = queues[i][: positions[i]]
        found = verdicts[i]
        if found is None:
            rulings.append(escalation(item, asked, "no_rule_matched", contexts[i]))
        else:
            rulings.append(ruling_from(library, item, found, asked, contexts[i]))
    return rulings


def _amount(verdict: Verdict, facts: CaseFacts) -> int | None:
    if verdict.outcome in _PAID_IN_FULL:
        return facts.claimed_amount_minor
    if verdict.outcome is Outcome.PARTIAL_REFUND:
        share = verdict.ratio if verdict.ratio is not None else facts.affected_share
        return None if share is None else round(facts.claimed_amount_minor * share)
    return 0


def _money(amount: int) -> str:
    return f"{amount // 100}.{amount % 100:02d}"


@lru_cache(maxsize=4096)
def _text(code: str, **params: Any) -> dict[str, str]:
    return reason(code, DOMAIN, **params)


def _step(code: NextStep | None, hours: int | None) -> list[dict[str, Any]]:
    if code is None:
        return []
    return [{**_text(f"step.{code.value}", hours=hours or 0), "deadline_hours": hours}]


_CLAUSE_REASONS: dict[tuple[str, str], dict[str, str]] = {}


def _clause_reason(meta: PackMeta, clause: Clause) -> dict[str, str]:
    key = (f"{meta.id}@{meta.version}", clause.id)
    if key not in _CLAUSE_REASONS:
        _CLAUSE_REASONS[key] = _clause_text(meta, clause)
    return _CLAUSE_REASONS[key]


def _clause_text(meta: PackMeta, clause: Clause) -> dict[str, str]:
    return {
        "code": clause.id,
        "zh": f"{meta.title_zh}（{clause.id}）：{clause.zh}",
        "en": f"{meta.title_en} ({clause.id}): {clause.en}",
    }


def ruling_from(
    library: Library,
    facts: CaseFacts,
    verdict: Verdict,
    asked: Sequence[Pack],
    context: dict[str, Any],
) -> RulingValue:
    amount = _amount(verdict, facts)
    if amount is None:
        return escalation(facts, asked, "partial_without_share", context)
    pack = library.pack(verdict.pack, verdict.version)
    clause = pack.clauses[verdict.clause]
    reasons = [
        _text(f"ruled.{verdict.outcome.value}", amount=_money(amount), currency=facts.currency),
        _text(f"liable.{verdict.liable.value}"),
        _clause_reason(pack.meta, clause),
    ]
    if verdict.record_against_account:
        reasons.append(_text("recorded_against_account"))
    return RulingValue(
        outcome=verdict.outcome,
        liable_party=verdict.liable,
        amount_minor=amount,
        currency=facts.currency,
        clause_ids=[clause.id],
        reasons=reasons,
        next_steps=_step(verdict.next_step, verdict.deadline_hours),
        versions={p.meta.id: p.meta.version for p in asked},
        inputs=inputs_of(context),
        decided_by_pack=pack.key,
        record_against_account=verdict.record_against_account,
        consulted=[p.key for p in asked],
    )


def escalation(
    facts: CaseFacts, asked: Sequence[Pack], code: str, context: dict[str, Any]
) -> RulingValue:
    """A person decides: no pack answered, or its answer could not be turned into money."""
    packs = ", ".join(p.key for p in asked) or "-"
    return RulingValue(
        outcome=Outcome.ESCALATE,
        liable_party=LiableParty.NONE,
        amount_minor=0,
        currency=facts.currency,
        clause_ids=[],
        reasons=[_text(code, packs=packs)],
        next_steps=_step(NextStep.PLATFORM_REVIEW, 72),
        versions={p.meta.id: p.meta.version for p in asked},
        inputs=inputs_of(context),
        consulted=[p.key for p in asked],
    )
