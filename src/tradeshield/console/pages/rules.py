"""Rules: the dispute rule packs (tables, clauses, test cases), the deadline policy, the
latest rulings, and the what-if replay of a pack version over past cases."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query, Request, Response

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState, Outcome
from tradeshield.cases.policy import load_policy
from tradeshield.catalog.industries import Industry
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import render
from tradeshield.console.routing import console_router
from tradeshield.db import utcnow
from tradeshield.pagination import PageRequest
from tradeshield.rules import service as rules
from tradeshield.rules.kinds import PackKind
from tradeshield.rules.replay import ChangedCase, ChangeDelta

router = console_router()

RECENT_RESOLVED = 10
DEFAULT_SINCE_DAYS = 180


@router.get("/rules")
def rules_page(request: Request, session: DbSession, scope: SignedIn) -> Response:
    policy = load_policy()
    resolved = cases.list_cases(
        session, scope, PageRequest(limit=RECENT_RESOLVED), state=CaseState.RESOLVED
    )
    # One ruling query per case shown, bounded by RECENT_RESOLVED.
    decided = [(case, cases.latest_ruling(session, case.id)) for case in resolved.items]
    packs = rules.list_packs()
    context = {
        "policy": policy,
        "hours": [(state, policy.hours[state]) for state in CaseState if state in policy.hours],
        "decided": decided,
        "industry_packs": [p for p in packs if p.meta.kind is PackKind.INDUSTRY],
        "scenario_packs": [p for p in packs if p.meta.kind is PackKind.SCENARIO],
        "versions": {p.meta.id: rules.versions_of(p.meta.id) for p in packs},
    }
    return render(request, "rules.html", context)


@router.get("/rules/packs/{pack_id}")
def pack_page(
    request: Request, pack_id: str, scope: SignedIn, version: str | None = None
) -> Response:
    pack = rules.get_pack(pack_id, version)
    results = {r.case: r for r in rules.library().run_cases(pack)}
    context = {
        "pack": pack,
        "in_force": rules.get_pack(pack_id).meta.version,
        "versions": rules.versions_of(pack_id),
        "results": results,
        "since": _default_since(),
    }
    return render(request, "rules_pack.html", context)


def _default_since() -> dt.date:
    return (utcnow() - dt.timedelta(days=DEFAULT_SINCE_DAYS)).date()


def _industry(name: str) -> Industry | str:
    return Industry(name) if name in {i.value for i in Industry} else name


def _change_row(key: str, delta: ChangeDelta) -> tuple[Outcome, Outcome, ChangeDelta]:
    """``"escalate -> partial_refund"`` as two outcomes a template can label."""
    before, _, after = key.partition(" -> ")
    return Outcome(before), Outcome(after), delta


def _sample_row(changed: ChangedCase) -> tuple[ChangedCase, Outcome, Outcome, Industry | str]:
    before, after = Outcome(changed.outcome_before), Outcome(changed.outcome_after)
    return changed, before, after, _industry(changed.industry)


@router.get("/rules/replay")
def replay_page(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    pack: Annotated[str, Query(min_length=1, max_length=60)],
    version: Annotated[str | None, Query(max_length=40)] = None,
    since: dt.date | None = None,
) -> Response:
    """What-if: the cases opened since a day, ruled under the pack in force and under
    ``version``; reads only, so it is a plain link that can be shared."""
    chosen = rules.get_pack(pack, version or None)
    start = since or _default_since()
    report = rules.replay(
        session, scope, pack, chosen.meta.version, dt.datetime.combine(start, dt.time(), dt.UTC)
    )
    context = {
        "pack": chosen,
        "versions": rules.versions_of(pack),
        "since": start,
        "report": report,
        "currency": min(report.currencies) if report.currencies else "CNY",
        "changes": [_change_row(key, delta) for key, delta in sorted(report.by_change.items())],
        "industries": [
            (_industry(name), delta) for name, delta in sorted(report.by_industry.items())
        ],
        "sample": [_sample_row(changed) for changed in report.changed_sample],
    }
    return render(request, "rules_replay.html", context)
