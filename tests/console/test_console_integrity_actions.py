"""Integrity's console forms on a scored demo market: an operator starts a recompute and
follows its job, rescores an account and decides appeals; other keys get no forms and are
refused, and so is a form posted from another site."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.console.console_data import sign_in
from tradeshield.app import create_app
from tradeshield.db import session_factory
from tradeshield.demo.service import generate
from tradeshield.integrity import service
from tradeshield.integrity.appeals import get_appeal
from tradeshield.integrity.kinds import ActionState, AppealState
from tradeshield.integrity.models import IntegrityAction
from tradeshield.jobs import service as jobs
from tradeshield.jobs.kinds import JobState
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope

DEMO_ORDERS = 3_000
JOB_WAIT_SECONDS = 120


class Market:
    def __init__(self, engine: Engine, scope: Scope, operator_key: str) -> None:
        self.engine, self.scope, self.operator_key = engine, scope, operator_key

    def session(self) -> Session:
        return session_factory(self.engine)()


@pytest.fixture
def market(engine: Engine) -> Market:
    summary = generate(engine, DEMO_ORDERS, 5)
    scope = Scope(tenant_id=summary.tenant_id, role=Role.OPERATOR, actor="test")
    with session_factory(engine).begin() as session:
        service.recompute(session, scope)
    return Market(engine, scope, summary.operator_key)


@pytest.fixture
def console(market: Market) -> TestClient:
    client = TestClient(create_app(market.engine), raise_server_exceptions=False)
    sign_in(client, market.operator_key)
    return client


def _post(client: TestClient, path: str, **form: str) -> httpx.Response:
    return client.post(f"/console{path}", data=form, follow_redirects=False)


def _active_action(market: Market) -> IntegrityAction:
    with market.session() as session:
        for score in service.review_queue(session, market.scope, limit=200)[0]:
            actions = service.actions_of(session, market.scope, score.buyer_id)
            active = [a for a in actions if a.state is ActionState.ACTIVE]
            if active:
                return active[0]
    raise AssertionError("the scored demo market has no active integrity action")


def _open_appeal(market: Market) -> tuple[int, IntegrityAction]:
    action = _active_action(market)
    with session_factory(market.engine).begin() as session:
        appeal = service.open_appeal(session, market.scope, action.id, "I returned the item.")
        return appeal.id, action


def test_operator_starts_a_recompute_and_its_page_follows_the_job_to_the_end(
    console: TestClient, market: Market
) -> None:
    assert 'action="/console/integrity/recompute"' in console.get("/console/integrity").text
    started = _post(console, "/integrity/recompute")
    assert started.status_code == 303
    job_path = started.headers["location"]
    found = re.fullmatch(r"/console/integrity/recompute/(\d+)", job_path)
    assert found is not None
    job_id = int(found.group(1))
    assert console.get(job_path).status_code == 200
    deadline = time.monotonic() + JOB_WAIT_SECONDS
    fragment = console.get(f"{job_path}/progress").text
    while "hx-get" in fragment and time.monotonic() < deadline:
        time.sleep(0.5)
        fragment = console.get(f"{job_path}/progress").text
    assert "hx-get" not in fragment, "the job page stops polling once the job has finished"
    assert "badge-succeeded" in fragment
    with market.session() as session:
        job = jobs.get_job(session, market.scope, job_id)
        assert job.state is JobState.SUCCEEDED
        assert job.progress == 1.0
        assert f"<dd>{job.result['accounts']}</dd>" in fragment
        _, queued = service.review_queue(session, market.scope, limit=1)
    assert queued > 0


def test_operator_rescores_one_account_and_sees_its_new_level(
    console: TestClient, market: Market
) -> None:
    with market.session() as session:
        buyer_id = service.review_queue(session, market.scope, limit=1)[0][0].buyer_id
        before = len(service.score_history(session, market.scope, buyer_id))
    page = console.get(f"/console/integrity/accounts/{buyer_id}").text
    assert f'action="/console/integrity/accounts/{buyer_id}/rescore"' in page
    answer = _post(console, f"/integrity/accounts/{buyer_id}/rescore")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/console/integrity/accounts/{buyer_id}?done=rescored"
    with market.session() as session:
        history = service.score_history(session, market.scope, buyer_id)
        current = service.current_score(session, market.scope, buyer_id)
    assert len(history) == before + 1
    assert current is not None
    assert current.id == history[0].id
    shown = console.get(answer.headers["location"]).text
    assert f"Rescored: level {current.level:.1f} now." in shown
    assert _post(console, "/integrity/accounts/99999999/rescore").status_code == 404


def test_operator_upholds_an_appeal_with_a_note_which_lifts_the_action(
    console: TestClient, market: Market
) -> None:
    appeal_id, action = _open_appeal(market)
    page = console.get("/console/integrity/appeals").text
    assert f'action="/console/integrity/appeals/{appeal_id}/decision"' in page
    answer = _post(
        console, f"/integrity/appeals/{appeal_id}/decision", upheld="true", note="Proof of return"
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/integrity/appeals?done=upheld"
    with market.session() as session:
        appeal = get_appeal(session, market.scope, appeal_id)
        lifted = session.get(IntegrityAction, action.id)
        history = service.score_history(session, market.scope, action.buyer_id)
    assert appeal.state is AppealState.UPHELD
    assert appeal.decision_note == "Proof of return"
    assert appeal.decided_by  # the signed-in key's actor
    assert lifted is not None
    assert lifted.state is ActionState.LIFTED
    assert "upheld_appeal" in [r["code"] for r in history[0].reasons]
    shown = console.get(answer.headers["location"]).text
    assert "Appeal upheld: the action is lifted and the account rescored." in shown
    assert "Proof of return" in shown


def test_operator_rejects_an_appeal_the_action_stays_and_a_second_decision_is_refused(
    console: TestClient, market: Market
) -> None:
    appeal_id, action = _open_appeal(market)
    path = f"/integrity/appeals/{appeal_id}/decision"
    answer = _post(console, path, upheld="false", note="Parcel weighed 40 g short")
    assert answer.headers["location"] == "/console/integrity/appeals?done=rejected"
    with market.session() as session:
        appeal = get_appeal(session, market.scope, appeal_id)
        kept = session.get(IntegrityAction, action.id)
    assert appeal.state is AppealState.REJECTED
    assert appeal.decision_note == "Parcel weighed 40 g short"
    assert kept is not None
    assert kept.state is ActionState.ACTIVE
    again = _post(console, path, upheld="true")
    assert again.status_code == 409
    with market.session() as session:
        assert get_appeal(session, market.scope, appeal_id).state is AppealState.REJECTED


def test_read_only_key_is_offered_no_forms_and_its_posts_are_refused(
    console: TestClient, market: Market
) -> None:
    appeal_id, _ = _open_appeal(market)
    with session_factory(market.engine).begin() as session:
        _, secret = tenancy.issue_api_key(session, market.scope.tenant_id, Role.READ_ONLY)
    sign_in(console, secret)
    assert "/integrity/recompute" not in console.get("/console/integrity").text
    assert "/decision" not in console.get("/console/integrity/appeals").text
    with market.session() as session:
        buyer_id = service.review_queue(session, market.scope, limit=1)[0][0].buyer_id
    account = console.get(f"/console/integrity/accounts/{buyer_id}").text
    assert "/rescore" not in account
    assert _post(console, "/integrity/recompute").status_code == 403
    assert _post(console, f"/integrity/accounts/{buyer_id}/rescore").status_code == 403
    decision = _post(console, f"/integrity/appeals/{appeal_id}/decision", upheld="true")
    assert decision.status_code == 403
    with market.session() as session:
        assert get_appeal(session, market.scope, appeal_id).state is AppealState.OPEN


def test_a_form_posted_from_another_site_is_refused_and_changes_nothing(
    console: TestClient, market: Market
) -> None:
    appeal_id, _ = _open_appeal(market)
    answer = console.post(
        f"/console/integrity/appeals/{appeal_id}/decision",
        data={"upheld": "true"},
        headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    with market.session() as session:
        assert get_appeal(session, market.scope, appeal_id).state is AppealState.OPEN


def test_the_forms_speak_chinese_when_the_console_does(console: TestClient, market: Market) -> None:
    _open_appeal(market)
    console.cookies.set("lang", "zh")
    assert "重新计算全部账户" in console.get("/console/integrity").text
    appeals = console.get("/console/integrity/appeals").text
    assert "备注" in appeals
    assert "Uphold and lift" not in appeals
