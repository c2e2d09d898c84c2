"""A real Celery worker on the machine's Redis runs a job scheduled through the service."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from tests.factories import make_marketplace, open_case

from tradeshield.cases.kinds import CaseState
from tradeshield.cases.models import Case
from tradeshield.db import session_factory
from tradeshield.jobs import service as jobs
from tradeshield.jobs.kinds import JobState
from tradeshield.jobs.models import Job
from tradeshield.jobs.runners import CeleryRunner, get_runner
from tradeshield.settings import get_settings

pytestmark = pytest.mark.integration
REDIS_URL = os.environ.get("TRADESHIELD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def celery_worker(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    redis.Redis.from_url(REDIS_URL).ping()
    queue = f"tradeshield-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("TRADESHIELD_BROKER_URL", REDIS_URL)
    monkeypatch.setenv("TRADESHIELD_CELERY_QUEUE", queue)
    monkeypatch.setenv("TRADESHIELD_DATABASE_URL", engine.url.render_as_string(False))
    get_settings.cache_clear()
    get_runner.cache_clear()
    sys.modules.pop("tradeshield.jobs.celery_app", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "tradeshield", "worker", "--concurrency", "1"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
        if worker.returncode not in (0, -15):
            print(output.decode(errors="replace"))
        get_runner.cache_clear()
        sys.modules.pop("tradeshield.jobs.celery_app", None)


def _wait_for(engine: Engine, job_id: int, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with session_factory(engine)() as fresh:
            job = fresh.get(Job, job_id)
            if job is not None and job.state in (JobState.SUCCEEDED, JobState.FAILED):
                return job
        time.sleep(0.25)
    raise AssertionError(f"job {job_id} did not finish in {seconds} s")


def test_worker_runs_deadline_sweep_job(
    celery_worker: None, engine: Engine, session: Session
) -> None:
    assert isinstance(get_runner(), CeleryRunner)
    market = make_marketplace(session)
    case = open_case(session, market, opened_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    job = jobs.schedule(session, market.keys.scope.tenant_id, "cases.sweep_deadlines", {})
    session.commit()
    done = _wait_for(engine, job.id)
    assert done.state is JobState.SUCCEEDED, done.error
    assert done.result == {"moved": 1}
    with session_factory(engine)() as fresh:
        swept = fresh.get(Case, case.id)
        assert swept is not None
        assert swept.state is CaseState.RESOLVED
