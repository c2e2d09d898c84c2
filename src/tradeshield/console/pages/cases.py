"""Cases: the list with its state filter, and one case with its rulings and timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Path, Query, Request, Response

from tradeshield.audit import service as audit
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import page_link, render
from tradeshield.console.routing import console_router
from tradeshield.db import utcnow
from tradeshield.evidence import service as evidence
from tradeshield.pagination import PageRequest
from tradeshield.shipments import service as shipments

if TYPE_CHECKING:  # entries come from audit.service; the table is not read here
    from tradeshield.audit.models import AuditEntry

router = console_router()

PAGE_SIZE = 25
TIMELINE_LIMIT = 100
Cursor = Annotated[str | None, Query(max_length=200)]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One audit entry of a case, read for people: what moved it, from where to where."""

    at: dt.datetime
    actor: str
    action: str
    moved_from: CaseState | None
    moved_to: CaseState | None
    reason: dict[str, Any] | None


def _state(value: Any) -> CaseState | None:
    return CaseState(value) if value in {state.value for state in CaseState} else None


def _timeline_entry(entry: AuditEntry) -> TimelineEntry:
    reason = entry.details.get("reason")
    return TimelineEntry(
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        moved_from=_state(entry.details.get("from")),
        moved_to=_state(entry.details.get("to")),
        reason=reason if isinstance(reason, dict) else None,
    )


@router.get("/cases")
def case_list(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    state: CaseState | None = None,
    cursor: Cursor = None,
) -> Response:
    found = cases.list_cases(session, scope, PageRequest(cursor, PAGE_SIZE), state=state)
    context = {
        "cases": found.items,
        "next_url": page_link(request, found.next_cursor),
        "states": list(CaseState),
        "chosen_state": state,
        "now": utcnow(),
    }
    return render(request, "cases.html", context)


@router.get("/cases/{case_id}")
def case_detail(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    case_id: Annotated[int, Path(gt=0)],
) -> Response:
    case = cases.get_case(session, scope, case_id)
    # The log is read newest first and shown oldest first, as a timeline reads.
    entries = audit.history(session, scope, "case", case.id, limit=TIMELINE_LIMIT)
    first_page = PageRequest(limit=PAGE_SIZE)
    context = {
        "case": case,
        "actions": cases.allowed_actions(case),
        "rulings": cases.rulings_of(session, scope, case.id),
        "timeline": [_timeline_entry(entry) for entry in reversed(entries)],
        "timeline_truncated": len(entries) == TIMELINE_LIMIT,
        "evidence": evidence.list_items(session, scope, first_page, case_id=case.id).items,
        "parcels": shipments.list_shipments(session, scope, first_page, case_id=case.id).items,
        "now": utcnow(),
    }
    return render(request, "case.html", context)
