"""Rules: the dispute rule packs (tables, clauses, test cases), the deadline policy, and the
latest rulings."""

from __future__ import annotations

from fastapi import Request, Response

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState
from tradeshield.cases.policy import load_policy
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import render
from tradeshield.console.routing import console_router
from tradeshield.pagination import PageRequest
from tradeshield.rules import service as rules
from tradeshield.rules.kinds import PackKind

router = console_router()

RECENT_RESOLVED = 10


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
    }
    return render(request, "rules_pack.html", context)
