"""Assistant: the queue of open cases with what may happen next and the time left."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.metrics import OPEN_ORDER
from tradeshield.console.rendering import page_link, render
from tradeshield.console.routing import console_router
from tradeshield.db import utcnow
from tradeshield.pagination import PageRequest

router = console_router()

PAGE_SIZE = 25


@router.get("/assistant")
def open_queue(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    state: CaseState = CaseState.AWAITING_MERCHANT,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    found = cases.list_cases(session, scope, PageRequest(cursor, PAGE_SIZE), state=state)
    context = {
        "rows": [(case, cases.allowed_actions(case)) for case in found.items],
        "next_url": page_link(request, found.next_cursor),
        "states": OPEN_ORDER,
        "chosen_state": state,
        "now": utcnow(),
    }
    return render(request, "assistant.html", context)
