"""The integrity API (problem JSON on bad input, idempotent POSTs, a recompute job) and
the ``tradeshield integrity`` commands."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.integrity.conftest import Demo
from tradeshield.app import create_app
from tradeshield.errors import NotFound
from tradeshield.integrity.cli import integrity_command
from tradeshield.jobs.runners import InProcessRunner, get_runner
from tradeshield.settings import get_settings


@pytest.fixture
def client(demo: Demo) -> TestClient:
    return TestClient(create_app(demo.engine), raise_server_exceptions=False)


def _recompute(client: TestClient, demo: Demo) -> dict[str, object]:
    headers = {**demo.headers, "Idempotency-Key": "recompute-1"}
    first = client.post("/v1/integrity/recompute", headers=headers)
    assert first.status_code == 202, first.text
    again = client.post("/v1/integrity/recompute", headers=headers)
    assert again.json()["id"] == first.json()["id"]
    runner = get_runner()
    assert isinstance(runner, InProcessRunner)
    runner.drain()
    job = client.get(f"/v1/jobs/{first.json()['id']}", headers=demo.headers).json()
    assert job["state"] == "succeeded", job
    return job


def test_recompute_job_then_queue_account_and_ring_pages(client: TestClient, demo: Demo) -> None:
    job = _recompute(client, demo)
    assert job["progress"] == 1.0
    queue = client.get("/v1/integrity/review-queue?limit=5", headers=demo.headers).json()
    assert queue["total"] >= len(queue["items"]) > 0
    buyer_id = queue["items"][0]["buyer_id"]
    account = client.get(f"/v1/integrity/accounts/{buyer_id}", headers=demo.headers).json()
    assert account["tier"] == queue["items"][0]["tier"]
    assert account["score"]["reasons"][0]["zh"]
    assert account["actions"]
    assert account["history"]
    rings = client.get("/v1/integrity/rings", headers=demo.headers).json()
    assert rings
    ring = client.get(f"/v1/integrity/rings/{rings[0]['id']}", headers=demo.headers).json()
    assert len(ring["member_ids"]) == ring["size"]
    assert ring["edges"]


def test_appeal_through_the_api(client: TestClient, demo: Demo) -> None:
    _recompute(client, demo)
    queue = client.get("/v1/integrity/review-queue?limit=1", headers=demo.headers).json()
    buyer_id = queue["items"][0]["buyer_id"]
    account = client.get(f"/v1/integrity/accounts/{buyer_id}", headers=demo.headers).json()
    action_id = account["actions"][0]["id"]
    body = {"action_id": action_id, "statement": "I sent the right item back"}
    headers = {**demo.headers, "Idempotency-Key": "appeal-1"}
    opened = client.post("/v1/integrity/appeals", json=body, headers=headers)
    assert opened.status_code == 201
    replay = client.post("/v1/integrity/appeals", json=body, headers=headers)
    assert replay.json()["id"] == opened.json()["id"]
    decided = client.post(
        f"/v1/integrity/appeals/{opened.json()['id']}/decision",
        json={"upheld": True, "note": "checked"},
        headers=demo.headers,
    )
    assert decided.status_code == 200
    assert decided.json()["state"] == "upheld"
    listed = client.get("/v1/integrity/appeals?state=upheld", headers=demo.headers).json()
    assert [a["id"] for a in listed] == [opened.json()["id"]]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/v1/integrity/accounts/999999", None, 404),
        ("get", "/v1/integrity/rings/999999", None, 404),
        ("get", "/v1/integrity/review-queue?limit=0", None, 422),
        ("post", "/v1/integrity/appeals", {"action_id": 999, "statement": "x"}, 404),
        ("post", "/v1/integrity/appeals", {"action_id": 1, "statement": ""}, 422),
    ],
)
def test_bad_requests_get_problem_json(
    client: TestClient, demo: Demo, method: str, path: str, body: object, status: int
) -> None:
    response = client.request(method, path, json=body, headers=demo.headers)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_cli_scores_lists_rings_and_evaluates(
    demo: Demo, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("TRADESHIELD_DATABASE_URL", url)
    get_settings.cache_clear()
    runner = CliRunner()
    scored = runner.invoke(integrity_command, ["score"])
    assert scored.exit_code == 0, scored.output
    assert '"accounts"' in scored.output
    rings = runner.invoke(integrity_command, ["rings"])
    assert rings.exit_code == 0
    assert "abuse share" in rings.output
    evaluated = runner.invoke(integrity_command, ["evaluate"])
    assert evaluated.exit_code == 0, evaluated.output
    assert "AUC" in evaluated.output
    assert "honest bad luck" in evaluated.output


def test_cli_refuses_an_unknown_tenant(
    demo: Demo, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADESHIELD_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    with pytest.raises(NotFound):
        CliRunner().invoke(integrity_command, ["score", "--tenant", "nope"], catch_exceptions=False)
