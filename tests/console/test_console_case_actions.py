"""Acting on a case from the console: the forms each key is offered, each step through the
same workflow as the API, refusals as readable pages, and the case queue's filters."""

from __future__ import annotations

import io
import re

import httpx
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy.orm import Session

from tests.console.console_data import ConsoleData, sign_in
from tests.factories import Marketplace, make_merchant, make_order, make_product, open_case
from tradeshield.audit import service as audit
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState, DecidedBy
from tradeshield.cases.models import Case
from tradeshield.catalog.industries import Industry
from tradeshield.db import utcnow
from tradeshield.evidence import service as evidence
from tradeshield.pagination import PageRequest
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.kinds import Role


def _post(client: TestClient, case_id: int, **form: str) -> httpx.Response:
    return client.post(f"/console/cases/{case_id}/actions", data=form, follow_redirects=False)


def _case(session: Session, data: ConsoleData, case_id: int) -> Case:
    session.expire_all()
    return cases.get_case(session, data.market.keys.scope, case_id)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _offered(html: str) -> set[str]:
    return set(re.findall(r'name="action" value="([a-z_]+)"', html))


def test_operator_is_offered_every_step_the_state_allows_and_the_packs_ruling(
    operator_client: TestClient, console_data: ConsoleData
) -> None:
    html = operator_client.get(f"/console/cases/{console_data.waiting_case_id}").text
    assert _offered(html) == {
        "merchant_accept", "merchant_reject", "merchant_offer_partial",
        "merchant_report_forgery", "withdraw", "platform_rule",
    }  # fmt: skip
    assert f'action="/console/cases/{console_data.waiting_case_id}/adjudicate"' in html


def test_merchant_key_is_offered_only_its_own_side(
    merchant_client: TestClient, console_data: ConsoleData
) -> None:
    html = merchant_client.get(f"/console/cases/{console_data.waiting_case_id}").text
    assert "withdraw" not in _offered(html)
    assert "merchant_reject" in _offered(html)
    assert "/adjudicate" not in html
    resolved = merchant_client.get(f"/console/cases/{console_data.resolved_case_id}").text
    assert _offered(resolved) == {"appeal"}
    assert '<option value="buyer">' not in resolved


def test_read_only_key_sees_no_forms_and_its_post_is_refused(
    app_client: TestClient, session: Session, console_data: ConsoleData
) -> None:
    scope = console_data.market.keys.scope
    _, secret = tenancy.issue_api_key(session, scope.tenant_id, Role.READ_ONLY)
    session.commit()
    sign_in(app_client, secret)
    html = app_client.get(f"/console/cases/{console_data.waiting_case_id}").text
    assert _offered(html) == set()
    assert "may look but not act" in html
    answer = _post(app_client, console_data.waiting_case_id, action="withdraw")
    assert answer.status_code == 403
    assert _case(session, console_data, console_data.waiting_case_id).state is (
        CaseState.AWAITING_MERCHANT
    )


def test_merchant_rejects_with_a_reason_and_the_step_is_in_the_timeline(
    merchant_client: TestClient, session: Session, console_data: ConsoleData
) -> None:
    case_id = console_data.waiting_case_id
    answer = _post(merchant_client, case_id, action="merchant_reject", text="Fruit was fine")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/console/cases/{case_id}?done=merchant_reject"
    assert _case(session, console_data, case_id).state is CaseState.AWAITING_BUYER
    entries = audit.history(session, console_data.market.keys.scope, "case", case_id)
    assert entries[0].action == "merchant_reject"
    assert entries[0].details["input"]["reason"] == "Fruit was fine"
    page = merchant_client.get(answer.headers["location"], headers={"accept-language": "zh"})
    assert "已记录：" in page.text


def test_a_reject_without_reason_is_explained_on_the_page_and_changes_nothing(
    merchant_client: TestClient, session: Session, console_data: ConsoleData
) -> None:
    case_id = console_data.waiting_case_id
    answer = _post(merchant_client, case_id, action="merchant_reject", text="  ")
    assert answer.status_code == 422
    assert 'role="alert"' in answer.text
    assert "Check what you filled in." in answer.text
    assert "reason" in answer.text
    assert _case(session, console_data, case_id).state is CaseState.AWAITING_MERCHANT


def test_a_step_the_state_forbids_is_a_409_page_not_a_500(
    operator_client: TestClient, console_data: ConsoleData
) -> None:
    answer = _post(operator_client, console_data.waiting_case_id, action="buyer_accept_offer")
    assert answer.status_code == 409
    assert "not possible in the case&#39;s current state" in answer.text


def test_partial_offer_is_typed_in_yuan_and_stored_in_fen(
    merchant_client: TestClient, session: Session, console_data: ConsoleData
) -> None:
    case_id = console_data.waiting_case_id
    too_fine = _post(merchant_client, case_id, action="merchant_offer_partial", amount="1.234")
    assert too_fine.status_code == 422
    assert "CNY has 2 decimal places" in too_fine.text
    answer = _post(merchant_client, case_id, action="merchant_offer_partial", amount="12.50")
    assert answer.status_code == 303
    assert _case(session, console_data, case_id).offer_amount_minor == 1250


def test_operator_has_the_packs_rule_an_open_case_citing_clauses(
    operator_client: TestClient, session: Session, console_data: ConsoleData
) -> None:
    case_id = console_data.waiting_case_id
    answer = operator_client.post(f"/console/cases/{case_id}/adjudicate", follow_redirects=False)
    assert answer.status_code == 303
    session.expire_all()
    ruling = cases.latest_ruling(session, case_id)
    assert ruling is not None
    assert ruling.decided_by is DecidedBy.RULES
    assert ruling.clause_ids
    page = operator_client.get(answer.headers["location"]).text
    assert "The rule packs ruled the case" in page
    assert f"<code>{ruling.clause_ids[0]}</code>" in page


def test_appeal_brings_a_statement_and_a_photo_and_is_ruled_again(
    operator_client: TestClient, session: Session, console_data: ConsoleData
) -> None:
    case_id = console_data.resolved_case_id
    answer = operator_client.post(
        f"/console/cases/{case_id}/actions",
        data={"action": "appeal", "party": "buyer", "text": "The merchant sent a rotten box",
              "new_evidence_text": "Courier noted the smell on delivery"},
        files={"new_evidence_file": ("box.png", _png(), "image/png")},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    scope = console_data.market.keys.scope
    items = evidence.list_items(session, scope, PageRequest(limit=10), case_id=case_id).items
    assert sorted(item.kind.value for item in items) == ["photo", "text"]
    case = _case(session, console_data, case_id)
    assert case.appeal_count == 1
    assert len(cases.rulings_of(session, scope, case_id)) == 2
    appeal = audit.history(session, scope, "case", case_id)
    appealed = next(e for e in appeal if e.action == "appeal")
    assert sorted(appealed.details["input"]["evidence_ids"]) == sorted(i.id for i in items)


def test_a_form_posted_from_another_site_is_refused(
    operator_client: TestClient, session: Session, console_data: ConsoleData
) -> None:
    case_id = console_data.waiting_case_id
    answer = operator_client.post(
        f"/console/cases/{case_id}/actions",
        data={"action": "withdraw"},
        headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert _case(session, console_data, case_id).state is CaseState.AWAITING_MERCHANT


def test_merchant_key_cannot_act_on_another_shops_case(
    merchant_client: TestClient, console_data: ConsoleData
) -> None:
    answer = _post(merchant_client, console_data.other_shop_case_id, action="merchant_accept")
    assert answer.status_code == 403


def _electronics_case(session: Session, market: Marketplace) -> int:
    scope = market.keys.scope
    shop = make_merchant(session, scope, Industry.ELECTRONICS)
    order = make_order(session, scope, shop, make_product(session, scope, shop))
    fresh = Marketplace(market.keys, shop, market.product, order)
    case_id = open_case(session, fresh, opened_at=utcnow()).id
    session.commit()
    return case_id


def _listed(client: TestClient, query: str) -> set[int]:
    html = client.get(f"/console/cases?{query}").text
    return {int(found) for found in re.findall(r'href="/console/cases/(\d+)"', html)}


def test_queue_filters_by_kind_industry_shop_and_overdue(
    operator_client: TestClient, session: Session, console_data: ConsoleData
) -> None:
    recent = _electronics_case(session, console_data.market)
    assert _listed(operator_client, "industry=electronics") == {recent}
    assert recent not in _listed(operator_client, "overdue=true")
    assert console_data.waiting_case_id in _listed(operator_client, "overdue=true")
    returns = _listed(operator_client, "kind=return_and_refund")
    assert returns == {console_data.returning_case_id}
    shop = console_data.market.merchant.id
    assert console_data.other_shop_case_id not in _listed(operator_client, f"shop={shop}")
    everything = _listed(operator_client, "state=&kind=&industry=&shop=")
    assert {recent, console_data.other_shop_case_id} <= everything
    assert operator_client.get("/console/cases?industry=bogus").status_code == 422
