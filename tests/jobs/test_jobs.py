"""Jobs are dispatched only after the transaction that scheduled them commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from tests.factories import make_marketplace, open_case

from tradeshield.cases.kinds import CaseState
from tradeshield.cases.models import Case
from tradeshield.db import session_factory
from tradeshield.jobs import service as jobs
from tradeshield.jobs.kinds import JobState
from tradeshield.jobs.models import Job
from tradeshield.jobs.runners import InProcessRunner, get_runner


def _runner() -> InProcessRunner:
    runner = get_runner()
    assert isinstance(runner, InProcessRunner)
    return runner


def test_sweep_job_runs_after_commit_and_records_result(engine: Engine, session: Session) -> None:
    market = make_marketplace(session)
    long_ago = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    case = open_case(session, market, opened_at=long_ago)
    job = jobs.schedule(session, market.keys.scope.tenant_id, "cases.sweep_deadlines", {})
    session.commit()
    _runner().drain()
    with session_factory(engine)() as fresh:
        done = fresh.get(Job, job.id)
        assert done is not None
        assert done.state is JobState.SUCCEEDED
        assert done.result == {"moved": 1}
        assert done.progress == 1.0
        swept = fresh.get(Case, case.id)
        assert swept is not None
        assert swept.state is CaseState.RESOLVED


def test_rolled_back_transaction_dispatches_nothing(engine: Engine, session: Session) -> None:
    market = make_marketplace(session)
    session.commit()
    job = jobs.schedule(session, market.keys.scope.tenant_id, "cases.sweep_deadlines", {})
    job_id = job.id
    session.rollback()
    _runner().drain()
    with session_factory(engine)() as fresh:
        assert fresh.get(Job, job_id) is None
