"""Integrity's console forms: start a market recompute and follow its job, rescore one
account, decide an appeal.

Operators only, as in the API: the service refuses other keys and the pages offer the forms
to operators alone. Each form goes through the same service functions as
``POST /v1/integrity/recompute``, ``/accounts/{id}/rescore`` and ``/appeals/{id}/decision``;
the request commits once, then the browser is sent back (post, redirect, get). The
recompute job starts after that commit and its page polls the job's progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Form, Path, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.navigation import PREFIX
from tradeshield.console.rendering import render
from tradeshield.console.routing import console_router
from tradeshield.errors import NotFound
from tradeshield.integrity import service
from tradeshield.jobs import service as jobs
from tradeshield.jobs.kinds import JobState
from tradeshield.tenancy.scope import Scope

if TYPE_CHECKING:
    from tradeshield.jobs.models import Job

router = console_router()
Id = Annotated[int, Path(gt=0)]
POLL_SECONDS = 2
FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


def _back(path: str) -> Response:
    return RedirectResponse(f"{PREFIX}{path}", status_code=303)


def _recompute_job(session: Session, scope: Scope, job_id: int) -> Job:
    scope.require_operator()
    job = jobs.get_job(session, scope, job_id)
    if job.name != service.RECOMPUTE_JOB:
        raise NotFound(f"job {job_id} is not an integrity recompute")
    return job


def _job_context(job: Job) -> dict[str, object]:
    return {"job": job, "finished": job.state in FINISHED, "poll_seconds": POLL_SECONDS}


@router.post("/integrity/recompute")
def start_recompute(session: DbSession, scope: SignedIn) -> Response:
    job = service.schedule_recompute(session, scope)
    session.commit()
    return _back(f"/integrity/recompute/{job.id}")


@router.get("/integrity/recompute/{job_id}")
def recompute_page(request: Request, session: DbSession, scope: SignedIn, job_id: Id) -> Response:
    job = _recompute_job(session, scope, job_id)
    return render(request, "integrity_recompute.html", _job_context(job))


@router.get("/integrity/recompute/{job_id}/progress")
def recompute_progress(
    request: Request, session: DbSession, scope: SignedIn, job_id: Id
) -> Response:
    """The job's state alone, for the page to poll until the job has finished."""
    job = _recompute_job(session, scope, job_id)
    return render(request, "_integrity_job.html", _job_context(job))


@router.post("/integrity/accounts/{buyer_id}/rescore")
def rescore(session: DbSession, scope: SignedIn, buyer_id: Id) -> Response:
    scope.require_operator()  # the service lets any writing key rescore; the console does not
    service.require_buyer(session, scope, buyer_id)
    service.rescore_buyer(session, scope, buyer_id)
    session.commit()
    return _back(f"/integrity/accounts/{buyer_id}?done=rescored")


@router.post("/integrity/appeals/{appeal_id}/decision")
def decide_appeal(
    session: DbSession,
    scope: SignedIn,
    appeal_id: Id,
    upheld: Annotated[bool, Form()],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    service.settle_appeal(session, scope, appeal_id, upheld, note)
    session.commit()
    return _back(f"/integrity/appeals?done={'upheld' if upheld else 'rejected'}")
