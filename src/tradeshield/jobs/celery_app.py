"""The Celery adapter: one task that runs a job by id, and a beat schedule for sweeps.

Start a worker with ``tradeshield worker`` (or ``celery -A tradeshield.jobs.celery_app worker``).
"""

from __future__ import annotations

from celery import Celery

from tradeshield.db import get_engine
from tradeshield.jobs.execution import run_job
from tradeshield.settings import get_settings

settings = get_settings()
app = Celery("tradeshield", broker=settings.broker_url, backend=None)
app.conf.update(
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    task_default_queue=settings.celery_queue,
    broker_connection_retry_on_startup=True,
    beat_schedule={
        "sweep-case-deadlines": {
            "task": "tradeshield.sweep_deadlines",
            "schedule": settings.sweep_interval_seconds,
        }
    },
)


@app.task(name="tradeshield.run_job")
def run_job_task(job_id: int) -> str:
    return run_job(job_id, get_engine()).value


@app.task(name="tradeshield.sweep_deadlines")
def sweep_deadlines_task() -> None:
    from tradeshield.db import unit_of_work
    from tradeshield.jobs.service import schedule

    with unit_of_work() as session:
        schedule(session, None, "cases.sweep_deadlines", {})
