"""Cases: the queue with its filters, and one case with its rulings, timeline and the forms
for the steps that may happen next (posted to ``case_actions``)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from fastapi import Path, Query, Request, Response
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseKind, CaseState
from tradeshield.cases.lifecycle import Action
from tradeshield.catalog.industries import Industry
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.pages.case_forms import (
    LIABLE_PARTIES,
    OUTCOMES,
    Problem,
    forms_for,
    may_adjudicate,
)
from tradeshield.console.rendering import page_link, render
from tradeshield.console.routing import console_router
from tradeshield.db import utcnow
from tradeshield.errors import Invalid
from tradeshield.evidence import service as evidence
from tradeshield.pagination import PageRequest
from tradeshield.shipments import service as shipments
from tradeshield.tenancy.scope import Scope

if TYPE_CHECKING:  # entries come from audit.service; the table is not read here
    from tradeshield.audit.models import AuditEntry

router = console_router()

PAGE_SIZE = 25
TIMELINE_LIMIT = 100
ADJUDICATED = "adjudicated"
Cursor = Annotated[str | None, Query(max_length=200)]
FilterValue = Annotated[str | None, Query(max_length=40)]
Choice = TypeVar("Choice", bound=enum.StrEnum)


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


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What the case queue is narrowed to; None is "all"."""

    state: CaseState | None
    kind: CaseKind | None
    industry: Industry | None
    shop: int | None
    overdue: bool  # only cases whose deadline has passed


def _chosen(kind: type[Choice], value: str | None) -> Choice | None:
    """A filter's value; an empty choice ("all") is no filter, a bad one a 422 page."""
    if not value:
        return None
    try:
        return kind(value)
    except ValueError as exc:
        raise Invalid(f"{value!r} is not a {kind.__name__}") from exc


@router.get("/cases")
def case_list(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    state: FilterValue = None,
    kind: FilterValue = None,
    industry: FilterValue = None,
    shop: Annotated[str | None, Query(max_length=12, pattern=r"^\d*$")] = None,
    overdue: bool = False,
    cursor: Cursor = None,
) -> Response:
    now = utcnow()
    chosen = QueueFilters(
        state=_chosen(CaseState, state),
        kind=_chosen(CaseKind, kind),
        industry=_chosen(Industry, industry),
        shop=int(shop) if shop else None,
        overdue=overdue,
    )
    found = cases.list_cases(
        session, scope, PageRequest(cursor, PAGE_SIZE), state=chosen.state,
        merchant_id=chosen.shop, deadline_before=now if overdue else None,
        kind=chosen.kind, industry=chosen.industry,
    )  # fmt: skip
    context = {
        "cases": found.items,
        "next_url": page_link(request, found.next_cursor),
        "states": list(CaseState),
        "kinds": list(CaseKind),
        "industries": list(Industry),
        "chosen": chosen,
        "now": now,
    }
    return render(request, "cases.html", context)


def _done(value: str | None) -> Action | str | None:
    """What the last form did, from the redirect after it: an action, or the packs' ruling."""
    if value == ADJUDICATED:
        return ADJUDICATED
    return Action(value) if value in {a.value for a in Action} else None


def case_page(
    request: Request,
    session: Session,
    scope: Scope,
    case_id: int,
    problem: Problem | None = None,
) -> Response:
    """The case with its rulings, evidence, parcels, timeline and the forms for what may
    happen next; ``problem`` is a refused action, shown above the forms."""
    case = cases.get_case(session, scope, case_id)
    # The log is read newest first and shown oldest first, as a timeline reads.
    entries = audit.history(session, scope, "case", case.id, limit=TIMELINE_LIMIT)
    first_page = PageRequest(limit=PAGE_SIZE)
    context = {
        "case": case,
        "actions": cases.allowed_actions(case),
        "forms": forms_for(scope, case),
        "may_adjudicate": may_adjudicate(scope, case),
        "outcomes": OUTCOMES,
        "liable_parties": LIABLE_PARTIES,
        "problem": problem,
        "done": _done(request.query_params.get("done")),
        "rulings": cases.rulings_of(session, scope, case.id),
        "timeline": [_timeline_entry(entry) for entry in reversed(entries)],
        "timeline_truncated": len(entries) == TIMELINE_LIMIT,
        "evidence": evidence.list_items(session, scope, first_page, case_id=case.id).items,
        "parcels": shipments.list_shipments(session, scope, first_page, case_id=case.id).items,
        "now": utcnow(),
    }
    return render(request, "case.html", context, problem.status if problem else 200)


@router.get("/cases/{case_id}")
def case_detail(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    case_id: Annotated[int, Path(gt=0)],
) -> Response:
    return case_page(request, session, scope, case_id)
