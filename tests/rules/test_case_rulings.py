"""Rulings of stored cases: settlements, rulings by the packs, appeals, the API and the CLI."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from tests.factories import Api, make_marketplace, open_case
from tradeshield.audit import service as audit
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState, DecidedBy, LiableParty, Outcome, ReasonCode
from tradeshield.cases.lifecycle import Action
from tradeshield.cases.schemas import MerchantAccept
from tradeshield.rules import service as rules
from tradeshield.rules.adjudication import adjudicate
from tradeshield.rules.facts import CaseFacts
from tradeshield.rules.kinds import Forgery
from tradeshield.rules.library import default_library


def test_merchant_acceptance_is_ruled_by_the_settlement_pack_with_its_clause(
    session: Session,
) -> None:
    market = make_marketplace(session)
    case = open_case(session, market)
    cases.act(
        session, market.keys.scope, case.id, MerchantAccept(action=Action.MERCHANT_ACCEPT, note="")
    )
    (ruling,) = cases.rulings_of(session, market.keys.scope, case.id)
    assert ruling.decided_by is DecidedBy.AGREEMENT
    assert ruling.clause_ids == ["settlement.1"]
    assert ruling.reasons[0]["code"] == "merchant_accepted"
    assert ruling.versions["rule_packs"] == {"settlement": "2026.1"}
    assert ruling.inputs["facts"]["industry"] == "fresh_food"
    assert ruling.inputs["facts"]["settlement"] == "merchant_accepted"


def test_packs_rule_an_open_case_with_what_the_operator_adds(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    case = open_case(session, market, amount=6000)
    facts = rules.gather_facts(session, scope, case.id)
    assert facts.delivered_at is None
    assert facts.forgery is Forgery.NONE
    value, ruling_id = rules.rule_case(
        session, scope, case.id, {"delivered_at": "2026-11-03T20:00:00Z", "affected_share": 0.5}
    )
    assert (value.outcome, value.amount_minor) == (Outcome.PARTIAL_REFUND, 3000)
    assert case.state is CaseState.RESOLVED
    (ruling,) = cases.rulings_of(session, scope, case.id)
    assert ruling.id == ruling_id
    assert ruling.decided_by is DecidedBy.RULES
    assert ruling.clause_ids == ["fresh_food.3"]
    assert ruling.versions["rule_packs"]["fresh_food"] == "2026.1"
    assert audit.history(session, scope, "case", case.id)[0].action == "rules_ruling"


def test_escalation_is_kept_as_a_ruling_and_the_case_waits_for_a_person(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    case = open_case(session, market, reason=ReasonCode.QUALITY_ISSUE)
    value, _ = rules.rule_case(session, scope, case.id)
    assert value.outcome is Outcome.ESCALATE
    assert case.state is CaseState.AWAITING_MERCHANT


def test_confirmed_forgery_is_recorded_against_the_buyer(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    case = open_case(session, market)
    value = adjudicate(
        default_library(), CaseFacts(industry="fresh_food", forgery=Forgery.CONFIRMED)
    )
    cases.record_rules_ruling(session, scope, case.id, value)
    entry = audit.history(session, scope, "buyer", case.buyer_id)[0]
    assert entry.action == "forged_evidence_recorded"
    assert entry.details["clause_ids"] == ["forged_evidence.1"]


def test_appeal_through_the_api_is_re_ruled_and_both_rulings_are_kept(api: Api) -> None:
    order = api.market.order
    body = {"order_id": order.id, "kind": "refund_only", "reason_code": "late_delivery",
            "claimed_amount_minor": 1000, "currency": "CNY",
            "opened_at": "2026-11-05T00:00:00Z"}  # fmt: skip
    case = api.client.post("/v1/cases", json=body, headers=api.headers).json()
    url = f"/v1/cases/{case['id']}/actions"
    api.client.post(url, json={"action": "merchant_accept"}, headers=api.headers)
    appeal = {"action": "appeal", "party": "merchant", "reason": "parcel was on time"}
    after = api.client.post(url, json=appeal, headers=api.headers).json()
    assert after["state"] == "resolved"
    first, second = api.client.get(f"/v1/cases/{case['id']}/rulings", headers=api.headers).json()
    assert second["supersedes_id"] == first["id"]
    assert second["decided_by"] == "rules"
    assert second["clause_ids"] == ["late_delivery.3"]  # no promised time: not late
    assert (first["outcome"], second["outcome"]) == ("full_refund", "reject")


def test_forgery_report_waits_for_the_forensic_analysis(api: Api) -> None:
    body = {"order_id": api.market.order.id, "kind": "refund_only", "reason_code": "quality_issue",
            "claimed_amount_minor": 1000, "currency": "CNY"}  # fmt: skip
    case = api.client.post("/v1/cases", json=body, headers=api.headers).json()
    report = {"action": "merchant_report_forgery"}
    url = f"/v1/cases/{case['id']}/actions"
    assert api.client.post(url, json=report, headers=api.headers).json()["state"] == "under_review"
    (ruling,) = api.client.get(f"/v1/cases/{case['id']}/rulings", headers=api.headers).json()
    assert ruling["outcome"] == "escalate"
    assert ruling["clause_ids"] == ["forged_evidence.4"]


def test_packs_are_browsable_through_the_api(api: Api) -> None:
    packs = api.client.get("/v1/rules/packs", headers=api.headers).json()
    assert len(packs) >= 30
    fresh = next(p for p in packs if p["id"] == "fresh_food")
    assert fresh["versions"] == ["2026.1", "2027.1"]
    detail = api.client.get("/v1/rules/packs/fresh_food", headers=api.headers).json()
    assert detail["tables"][0]["rows"]
    assert detail["clauses"]
    assert detail["cases"]
    assert detail["decision"]["nodes"][0]["type"] == "inputNode"
    draft = api.client.get("/v1/rules/packs/fresh_food?version=2027.1", headers=api.headers)
    assert draft.json()["effective"] == "2027-01-01"
    missing = api.client.get("/v1/rules/packs/no_such_pack", headers=api.headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


def test_adjudicate_endpoint_rules_without_storing_and_refuses_bad_facts(api: Api) -> None:
    facts = {"industry": "live_pets", "reason": "dead_on_arrival", "has_video": True,
             "claimed_at": "2026-11-03T05:00:00Z"}  # fmt: skip
    answer = api.client.post("/v1/rules/adjudicate", json={"facts": facts}, headers=api.headers)
    assert answer.status_code == 200
    assert answer.json()["clause_ids"] == ["live_pets.2"]
    assert answer.json()["liable_party"] == LiableParty.MERCHANT.value
    bad = {"facts": {"claimed_amount_minor": 20000, "order_amount_minor": 100}}
    refused = api.client.post("/v1/rules/adjudicate", json=bad, headers=api.headers)
    assert refused.status_code == 422
    pinned = {"facts": facts, "pins": {"live_pets": "1999.1"}}
    assert (
        api.client.post("/v1/rules/adjudicate", json=pinned, headers=api.headers).status_code == 404
    )


def test_case_adjudicate_endpoint_stores_once_per_idempotency_key(api: Api) -> None:
    body = {"order_id": api.market.order.id, "kind": "refund_only",
            "reason_code": "spoiled_or_expired", "claimed_amount_minor": 4000, "currency": "CNY",
            "opened_at": "2026-11-03T10:00:00Z"}  # fmt: skip
    case = api.client.post("/v1/cases", json=body, headers=api.headers).json()
    headers = {**api.headers, "Idempotency-Key": "rule-1"}
    extra = {"affected_share": 0.25, "commitments": {"freshness_guarantee": True}}
    url = f"/v1/cases/{case['id']}/adjudicate"
    first = api.client.post(url, json=extra, headers=headers)
    again = api.client.post(url, json=extra, headers=headers)
    assert first.status_code == 201
    assert again.json() == first.json()
    assert first.json()["outcome"] == "escalate"  # delivery time unknown: a person decides
    assert len(api.client.get(f"/v1/cases/{case['id']}/rulings", headers=api.headers).json()) == 1


def test_replay_endpoint_reports_changes_by_outcome_and_industry(api: Api) -> None:
    since = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat()
    body = {"pack": "fresh_food", "version": "2027.1", "since": since}
    report = api.client.post("/v1/rules/replay", json=body, headers=api.headers)
    assert report.status_code == 200
    assert report.json()["baseline_version"] == "2026.1"
    assert report.json()["cases"] == 0
    unknown = {**body, "version": "1.0"}
    assert api.client.post("/v1/rules/replay", json=unknown, headers=api.headers).status_code == 404
