"""The rule-pack browser in the console."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.console.console_data import build_console_data, commit_and_settle, sign_in


@pytest.fixture
def operator_client(session: Session, app_client: TestClient) -> TestClient:
    data = build_console_data(session)
    commit_and_settle(session)
    sign_in(app_client, data.operator_key)
    return app_client


@pytest.mark.parametrize("language", ["en", "zh"])
def test_rules_page_lists_every_pack_and_the_deadline_policy(
    operator_client: TestClient, language: str
) -> None:
    operator_client.cookies.set("lang", language)
    html = operator_client.get("/console/rules").text
    assert "/console/rules/packs/fresh_food" in html
    assert "/console/rules/packs/forged_evidence" in html
    assert ("生鲜食品" if language == "zh" else "Fresh food") in html
    assert "2026-11-25.1" in html  # the deadline policy version


def test_pack_page_shows_its_table_clauses_and_passing_test_cases(
    operator_client: TestClient,
) -> None:
    html = operator_client.get("/console/rules/packs/live_pets").text
    assert "hours_after_delivery" in html
    assert "live_pets.2" in html
    assert "dead on arrival on video" in html
    assert "fails" not in html
    draft = operator_client.get("/console/rules/packs/fresh_food?version=2027.1").text
    assert "2027.1" in draft
    assert "2026.1" in draft
    assert operator_client.get("/console/rules/packs/nothing").status_code == 404
