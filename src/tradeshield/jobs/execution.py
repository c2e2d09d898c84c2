"""Running one job by id: its own transactions for state, progress and the work itself."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, update

from tradeshield.db import session_factory, utcnow
from tradeshield.jobs.kinds import JobState
from tradeshield.jobs.models import Job
from tradeshield.jobs.registry import lookup

log = logging.getLogger(__name__)


def _set(engine: Engine, job_id: int, **values: object) -> None:
    with session_factory(engine)() as session, session.begin():
        session.execute(update(Job).where(Job.id == job_id).values(**values))


def run_job(job_id: int, engine: Engine) -> JobState:
    """Run the job; a failure is recorded on the job, never raised to the runner."""
    make_session = session_factory(engine)
    with make_session() as session:
        job = session.get(Job, job_id)
        if job is None or job.state is not JobState.QUEUED:
            return job.state if job else JobState.FAILED
        name, payload = job.name, dict(job.payload)
    _set(engine, job_id, state=JobState.RUNNING, started_at=utcnow())

    def progress(fraction: float) -> None:
        _set(engine, job_id, progress=max(0.0, min(1.0, fraction)))

    try:
        result = lookup(name)(make_session, payload, progress)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, name)
        _set(engine, job_id, state=JobState.FAILED, error=repr(exc), finished_at=utcnow())
        return JobState.FAILED
    _set(
        engine,
        job_id,
        state=JobState.SUCCEEDED,
        progress=1.0,
        result=result,
        finished_at=utcnow(),
    )
    return JobState.SUCCEEDED
