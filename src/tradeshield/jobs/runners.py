"""Where jobs run: a thread pool in this process, or Celery workers on a broker."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import lru_cache
from typing import Protocol

from sqlalchemy import Engine

from tradeshield.jobs.execution import run_job
from tradeshield.settings import get_settings


class JobRunner(Protocol):
    def dispatch(self, job_id: int, engine: Engine) -> None: ...


class InProcessRunner:
    """Runs jobs on a small thread pool; ``drain`` waits for everything dispatched so far."""

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tradeshield-job")
        self._futures: list[Future[object]] = []
        self._lock = threading.Lock()

    def dispatch(self, job_id: int, engine: Engine) -> None:
        future: Future[object] = self._pool.submit(run_job, job_id, engine)
        with self._lock:
            self._futures = [f for f in self._futures if not f.done()]
            self._futures.append(future)

    def drain(self, timeout: float = 60.0) -> None:
        with self._lock:
            pending = list(self._futures)
        wait(pending, timeout=timeout)


class CeleryRunner:
    """Sends the job id to Celery; the worker reads everything else from the database."""

    def dispatch(self, job_id: int, engine: Engine) -> None:
        from tradeshield.jobs.celery_app import run_job_task

        run_job_task.delay(job_id)


@lru_cache(maxsize=1)
def get_runner() -> JobRunner:
    if get_settings().broker_url:
        return CeleryRunner()
    return InProcessRunner()
