"""Rule packs and adjudication as the rest of TradeShield uses them.

``adjudicate_facts`` rules on facts given in full (no storage). ``rule_case`` gathers a
case's facts (the case, its order and parcel through ``cases.service``, the forensic reports
through ``forensics.service``, the order's latest return check through ``returns.service``,
the buyer's tier through ``integrity.service``), adds what the caller knows (item
statements, merchant commitments, or a fact it overrides), rules, and has ``cases.service``
store the ruling. ``rerule_under_review`` does the same after new evidence, storing nothing
when the facts and the outcome are unchanged. ``replay`` re-rules past cases under another
pack version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy.orm import Session

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState
from tradeshield.errors import Invalid, NotFound
from tradeshield.forensics import service as forensics
from tradeshield.integrity import service as integrity
from tradeshield.pagination import PageRequest
from tradeshield.returns import service as returns
from tradeshield.rules.adjudication import RulingValue, adjudicate, adjudicate_many
from tradeshield.rules.facts import CaseFacts
from tradeshield.rules.forensic_facts import forgery_facts
from tradeshield.rules.library import CaseResult, Library, default_library
from tradeshield.rules.packs import Pack
from tradeshield.rules.replay import ReplayReport, compare
from tradeshield.rules.return_facts import return_check
from tradeshield.tenancy.scope import Scope

REPLAY_BATCH = 500


def library() -> Library:
    return default_library()


def list_packs() -> list[Pack]:
    packs = library().active.values()
    return sorted(packs, key=lambda p: (p.meta.kind.value, p.meta.id))


def get_pack(pack_id: str, version: str | None = None) -> Pack:
    try:
        return library().pack(pack_id, version)
    except KeyError as exc:
        raise NotFound(str(exc.args[0])) from exc


def versions_of(pack_id: str) -> list[Pack]:
    get_pack(pack_id)
    found = library().versions[pack_id].values()
    return sorted(found, key=lambda p: (p.meta.effective, p.meta.version))


def run_pack_tests() -> list[CaseResult]:
    lib = library()
    return [r for found in lib.versions.values() for p in found.values() for r in lib.run_cases(p)]


def _facts(data: dict[str, Any]) -> CaseFacts:
    try:
        return CaseFacts.model_validate(data)
    except ValueError as exc:
        raise Invalid(f"facts: {exc}") from exc


def adjudicate_facts(facts: CaseFacts, pins: dict[str, str] | None = None) -> RulingValue:
    for pack_id, version in (pins or {}).items():
        get_pack(pack_id, version)
    return adjudicate(library(), facts, pins)


def _return_and_buyer_facts(session: Session, scope: Scope, case_id: int) -> dict[str, Any]:
    """The latest return check of the case's order and the buyer's integrity tier.

    A buyer never scored and under no action has no tier (null), not ``normal``: the facts
    say what is known.
    """
    case = cases.get_case(session, scope, case_id)
    check = returns.latest_verification_of_order(session, scope, case.order_id)
    decision = integrity.tier_for_buyer(session, scope, case.buyer_id)
    known = decision.score_id is not None or bool(decision.actions)
    return {
        "return_verification": (
            return_check(check.result.value, check.liable_party.value) if check else None
        ),
        "buyer_integrity_tier": decision.tier.value if known else None,
    }


def gather_facts(
    session: Session, scope: Scope, case_id: int, additions: dict[str, Any] | None = None
) -> CaseFacts:
    """Everything recorded about the case, then what the caller adds on top."""
    data = cases.facts_of(session, scope, case_id)
    data.update(forgery_facts(forensics.reports_for_case(session, scope, case_id)))
    data.update(_return_and_buyer_facts(session, scope, case_id))
    for key, value in (additions or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return _facts(data)


def rule_case(
    session: Session,
    scope: Scope,
    case_id: int,
    additions: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> tuple[RulingValue, int]:
    """Rule a case by the packs and store the ruling; returns it with the stored ruling id."""
    value = adjudicate(library(), gather_facts(session, scope, case_id, additions))
    ruling = cases.record_rules_ruling(session, scope, case_id, value, now)
    return value, ruling.id


def rerule_under_review(
    session: Session, scope: Scope, case_id: int, now: dt.datetime | None = None
) -> int | None:
    """Rule again a case under review whose facts may have changed (a forensic report came in).

    Safe to repeat: when the facts and the outcome are those of the latest ruling nothing is
    stored. Returns the id of the ruling now in force, or None for a case not under review.
    """
    if cases.get_case(session, scope, case_id).state is not CaseState.UNDER_REVIEW:
        return None
    system = Scope.system(scope.tenant_id)
    value = adjudicate(library(), gather_facts(session, system, case_id))
    latest = cases.latest_ruling(session, case_id)
    if (
        latest is not None
        and latest.outcome is value.outcome
        and latest.inputs.get("facts") == value.inputs
    ):
        return latest.id
    return cases.record_rules_ruling(session, system, case_id, value, now).id


def rule_if_under_review(session: Session, scope: Scope, case_id: int) -> None:
    """A case that just went to review (escalation, forgery report, appeal) is ruled at once."""
    if cases.get_case(session, scope, case_id).state is CaseState.UNDER_REVIEW:
        rule_case(session, Scope.system(scope.tenant_id), case_id)


def _cases_since(session: Session, scope: Scope, since: dt.datetime) -> Iterator[int]:
    page = PageRequest(limit=200)
    while True:
        found = cases.list_cases(session, scope, page)
        for case in found.items:
            if case.opened_at >= since:
                yield case.id
        if not found.next_cursor:
            return
        page = PageRequest(cursor=found.next_cursor, limit=200)


def replay(
    session: Session,
    scope: Scope,
    pack_id: str,
    version: str | None,
    since: dt.datetime,
    progress: Callable[[int, int], None] | None = None,
) -> ReplayReport:
    """Re-rule every case opened since ``since`` under ``pack_id`` at ``version``.

    Both sides rule the dispute itself (how the case ended by agreement is left out), the
    baseline under the packs in force, the candidate with the one pack swapped; so the
    difference is the effect of that version alone.
    """
    candidate = get_pack(pack_id, version)
    baseline = get_pack(pack_id)
    report = ReplayReport(pack_id, candidate.meta.version, baseline.meta.version)
    case_ids = list(_cases_since(session, scope, since))
    pins = {pack_id: candidate.meta.version}
    for start in range(0, len(case_ids), REPLAY_BATCH):
        chunk = case_ids[start : start + REPLAY_BATCH]
        facts = [gather_facts(session, scope, case_id) for case_id in chunk]
        baseline_rulings = adjudicate_many(library(), facts)
        compare(report, baseline_rulings, adjudicate_many(library(), facts, pins), chunk)
        if progress is not None:
            progress(min(start + REPLAY_BATCH, len(case_ids)), len(case_ids))
    return report
