"""Scheduling jobs inside a transaction; they are dispatched only once it has committed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tradeshield.errors import NotFound
from tradeshield.jobs.models import Job
from tradeshield.jobs.registry import names
from tradeshield.jobs.runners import get_runner
from tradeshield.pagination import PageOf, PageRequest, keyset_page
from tradeshield.tenancy.scope import Scope

_PENDING = "tradeshield_jobs_to_dispatch"


def schedule(session: Session, tenant_id: int | None, name: str, payload: dict[str, Any]) -> Job:
    if name not in names():
        raise NotFound(f"no job named {name!r}")
    job = Job(tenant_id=tenant_id, name=name, payload={**payload, "tenant_id": tenant_id})
    session.add(job)
    session.flush()
    session.info.setdefault(_PENDING, []).append(job.id)
    return job


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    pending: list[int] = session.info.pop(_PENDING, [])
    if not pending:
        return
    engine = session.get_bind()
    runner = get_runner()
    for job_id in pending:
        runner.dispatch(job_id, engine)  # type: ignore[arg-type]


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def get_job(session: Session, scope: Scope, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.tenant_id not in (None, scope.tenant_id):
        raise NotFound(f"job {job_id} does not exist")
    return job


def list_jobs(session: Session, scope: Scope, page: PageRequest) -> PageOf[Job]:
    query = select(Job).where(Job.tenant_id == scope.tenant_id)
    return keyset_page(session, query, Job.id, page)
