"""Routes for starting jobs and following their progress."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey, Paging
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.http.pages import Page, to_page
from tradeshield.jobs import service
from tradeshield.jobs.schemas import JobIn, JobOut

router = APIRouter(tags=["jobs"])


@router.post("/jobs", status_code=202, response_model=JobOut)
def start_job(
    body: JobIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    def produce() -> JobOut:
        scope.require_operator()
        return JobOut.model_validate(
            service.schedule(session, scope.tenant_id, body.name, body.payload)
        )

    return respond_once(session, scope, key, fingerprint("/jobs", body), produce, status_code=202)


@router.get("/jobs", response_model=Page[JobOut])
def list_jobs(session: DbSession, scope: CallerScope, page: Paging) -> Page[JobOut]:
    return to_page(service.list_jobs(session, scope, page), JobOut.model_validate)


@router.get("/jobs/{job_id}", response_model=JobOut)
def get_job(job_id: int, session: DbSession, scope: CallerScope) -> JobOut:
    return JobOut.model_validate(service.get_job(session, scope, job_id))
