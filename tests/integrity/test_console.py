"""The integrity console pages on a scored demo market, in both languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.console.console_data import sign_in
from tests.integrity.conftest import Demo
from tradeshield.app import create_app
from tradeshield.db import session_factory
from tradeshield.integrity import service


@pytest.fixture
def console(demo: Demo) -> TestClient:
    with session_factory(demo.engine).begin() as session:
        service.recompute(session, demo.scope)
    client = TestClient(create_app(demo.engine), raise_server_exceptions=False)
    sign_in(client, demo.operator_key)
    return client


@pytest.mark.parametrize("language", ["en", "zh"])
def test_queue_account_ring_and_appeal_pages_render(
    console: TestClient, demo: Demo, language: str
) -> None:
    console.cookies.set("lang", language)
    with session_factory(demo.engine)() as session:
        worst = service.review_queue(session, demo.scope, limit=1)[0][0]
        ring = service.list_rings(session, demo.scope, limit=1)[0]
    queue = console.get("/console/integrity")
    assert queue.status_code == 200
    assert f'/console/integrity/accounts/{worst.buyer_id}"' in queue.text
    account = console.get(f"/console/integrity/accounts/{worst.buyer_id}")
    assert account.status_code == 200
    assert worst.reasons[0][language] in account.text
    page = console.get(f"/console/integrity/rings/{ring.id}")
    assert page.status_code == 200
    assert page.text.count("<circle") == ring.size
    assert console.get("/console/integrity/rings").status_code == 200
    assert console.get("/console/integrity/appeals").status_code == 200
    assert console.get("/console/integrity/rings/999999").status_code == 404
