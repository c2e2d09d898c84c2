"""Rules: the deadline policy cases run under, and the latest rulings it produced."""

from __future__ import annotations

from fastapi import Request, Response

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState
from tradeshield.cases.policy import load_policy
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import render
from tradeshield.console.routing import console_router
from tradeshield.pagination import PageRequest

router = console_router()

RECENT_RESOLVED = 10


@router.get("/rules")
def rules(request: Request, session: DbSession, scope: SignedIn) -> Response:
    policy = load_policy()
    resolved = cases.list_cases(
        session, scope, PageRequest(limit=RECENT_RESOLVED), state=CaseState.RESOLVED
    )
    # One ruling query per case shown, bounded by RECENT_RESOLVED.
    decided = [(case, cases.latest_ruling(session, case.id)) for case in resolved.items]
    context = {
        "policy": policy,
        "hours": [(state, policy.hours[state]) for state in CaseState if state in policy.hours],
        "decided": decided,
    }
    return render(request, "rules.html", context)
