"""The dashboard's live counts, read only through the modules' service list functions.

The services offer lists, not counts, so each figure counts one bounded page: at most
``CAP`` rows are read, and a figure that reached the cap is shown as "CAP+". That keeps a
dashboard refresh cheap and fixed in cost, whatever the size of the tenant, and never
claims more precision than it has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState
from tradeshield.cases.lifecycle import OPEN_STATES
from tradeshield.evidence import service as evidence
from tradeshield.jobs import service as jobs
from tradeshield.jobs.kinds import JobState
from tradeshield.pagination import PageOf, PageRequest
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import Direction, ShipmentStatus
from tradeshield.tenancy.scope import Scope

if TYPE_CHECKING:  # jobs come from jobs.service; the table is not read here
    from tradeshield.jobs.models import Job

CAP = 1000
RECENT_JOBS = 8
_UNDELIVERED = (ShipmentStatus.CREATED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.EXCEPTION)
# Open states in the order a case passes through them.
OPEN_ORDER = tuple(state for state in CaseState if state in OPEN_STATES)


@dataclass(frozen=True, slots=True)
class Count:
    value: int
    at_least: bool  # the count stopped at the cap; there may be more

    def __add__(self, other: Count) -> Count:
        return Count(self.value + other.value, self.at_least or other.at_least)


def _count(found: PageOf[Any]) -> Count:
    return Count(len(found.items), found.next_cursor is not None)


def _total(counts: Iterable[Count]) -> Count:
    return sum(counts, Count(0, False))


def _bounded() -> PageRequest:
    return PageRequest(limit=CAP)


@dataclass(frozen=True, slots=True)
class Dashboard:
    open_by_state: Sequence[tuple[CaseState, Count]]
    open_total: Count
    past_deadline: Count
    returns_in_transit: Count
    parcels_past_promise: Count
    evidence_items: Count
    jobs_running: Count
    recent_jobs: Sequence[Job]
    taken_at: dt.datetime


def _open_cases(session: Session, scope: Scope) -> list[tuple[CaseState, Count]]:
    return [
        (state, _count(cases.list_cases(session, scope, _bounded(), state=state)))
        for state in OPEN_ORDER
    ]


def _past_deadline(session: Session, scope: Scope, now: dt.datetime) -> Count:
    # Only open cases: a resolved case's deadline is its appeal window, not a missed one.
    return _total(
        _count(cases.list_cases(session, scope, _bounded(), state=state, deadline_before=now))
        for state in OPEN_ORDER
    )


def _parcels(session: Session, scope: Scope, now: dt.datetime) -> tuple[Count, Count]:
    returning = shipments.list_shipments(
        session, scope, _bounded(), direction=Direction.RETURN, status=ShipmentStatus.IN_TRANSIT
    )
    late = _total(
        _count(
            shipments.list_shipments(session, scope, _bounded(), status=status, promised_before=now)
        )
        for status in _UNDELIVERED
    )
    return _count(returning), late


def _jobs(session: Session, scope: Scope) -> tuple[Count, list[Job]]:
    # The job list has no state filter; running jobs are counted among the latest CAP.
    latest = jobs.list_jobs(session, scope, _bounded())
    running = sum(1 for job in latest.items if job.state is JobState.RUNNING)
    return Count(running, latest.next_cursor is not None), list(latest.items[:RECENT_JOBS])


def dashboard(session: Session, scope: Scope, now: dt.datetime) -> Dashboard:
    by_state = _open_cases(session, scope)
    returning, late = _parcels(session, scope, now)
    running, recent = _jobs(session, scope)
    return Dashboard(
        open_by_state=by_state,
        open_total=_total(count for _, count in by_state),
        past_deadline=_past_deadline(session, scope, now),
        returns_in_transit=returning,
        parcels_past_promise=late,
        evidence_items=_count(evidence.list_items(session, scope, _bounded())),
        jobs_running=running,
        recent_jobs=recent,
        taken_at=now,
    )
