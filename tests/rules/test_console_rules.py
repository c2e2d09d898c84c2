"""The rule-pack browser in the console."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.console.console_data import build_console_data, commit_and_settle, sign_in
from tests.factories import PLACED_AT, Marketplace, make_order, open_case
from tradeshield.rules import service as rules
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import ScanKind
from tradeshield.shipments.schemas import ScanIn, ShipmentIn
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope


@pytest.fixture
def operator_client(session: Session, app_client: TestClient) -> TestClient:
    data = build_console_data(session)
    _late_spoiled_claim(session, data.market)
    commit_and_settle(session)
    sign_in(app_client, data.operator_key)
    return app_client


def _late_spoiled_claim(session: Session, market: Marketplace) -> None:
    """Spoiled fruit claimed 30 h after delivery: past the 24 h window of fresh_food 2026.1,
    within the 48 h of the 2027.1 draft, so a replay of the draft changes its ruling."""
    scope = market.keys.scope
    order = make_order(session, scope, market.merchant, market.product)
    parcel = shipments.create_shipment(
        session, scope, ShipmentIn(order_id=order.id, carrier="SF", tracking_number="SF-30H")
    )
    delivered = PLACED_AT + dt.timedelta(days=1)
    shipments.add_scan(
        session, scope, parcel.id, ScanIn(occurred_at=delivered, kind=ScanKind.DELIVERED)
    )
    late = Marketplace(market.keys, market.merchant, market.product, order)
    open_case(session, late, amount=1000, opened_at=delivered + dt.timedelta(hours=30))


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


def test_pack_page_offers_a_replay_of_each_version(operator_client: TestClient) -> None:
    html = operator_client.get("/console/rules/packs/fresh_food").text
    assert 'action="/console/rules/replay"' in html
    assert '<option value="2027.1"' in html


@pytest.mark.parametrize("language", ["en", "zh"])
def test_replay_page_counts_changes_by_outcome_and_industry_and_links_the_cases(
    operator_client: TestClient, session: Session, language: str
) -> None:
    operator_client.cookies.set("lang", language)
    scope = Scope(tenant_id=1, role=Role.OPERATOR, actor="test")
    since = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    expected = rules.replay(session, scope, "fresh_food", "2027.1", since)
    assert expected.changed_sample, "the console data holds a case the draft rules differently"
    query = "pack=fresh_food&version=2027.1&since=2000-01-01"
    answer = operator_client.get(f"/console/rules/replay?{query}")
    assert answer.status_code == 200
    html = answer.text
    assert f"{expected.cases} " in html
    assert ("生鲜食品" if language == "zh" else "Fresh food") in html
    for changed in expected.changed_sample:
        assert f'href="/console/cases/{changed.case_id}"' in html
    assert ("假设回放" if language == "zh" else "What-if replay") in html


def test_replay_of_the_version_in_force_changes_nothing(operator_client: TestClient) -> None:
    html = operator_client.get("/console/rules/replay?pack=fresh_food&since=2000-01-01").text
    assert "No ruling changes." in html
    assert operator_client.get("/console/rules/replay?pack=nope").status_code == 404
    soon = operator_client.get("/console/rules/replay?pack=fresh_food&since=soon")
    assert soon.status_code == 422
