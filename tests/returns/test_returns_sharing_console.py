"""Purchase limits and the shared list in the console: appeal and decide, publish a
confirmed abusive account, look a buyer up; refusals show the service's reason."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.console.console_data import sign_in
from tests.factories import Api
from tests.returns.builders import post_unit, return_parcel, unit
from tradeshield.settings import get_settings


def _confirmed_swap(api: Api, session: Session) -> int:
    """A confirmed, buyer-liable mismatch on the market's order; returns its case id."""
    order_id = api.market.order.id
    post_unit(api.client, api.headers, unit(order_id, "shipped", serial="SN-AB12CD34EF",
                                             weight="1.2 kg"))  # fmt: skip
    parcel = return_parcel(session, api.market, pickup_grams=300)
    returned = unit(order_id, "returned", weight=300, serial="SN-FAKE00001", shipment_id=parcel.id)
    post_unit(api.client, api.headers, returned)
    body = {"order_id": api.market.order.id, "return_shipment_id": parcel.id}
    found = api.client.post("/v1/returns/verifications", json=body, headers=api.headers).json()
    api.client.post(f"/v1/returns/verifications/{found['id']}/confirm", headers=api.headers)
    return int(parcel.case_id)


def test_restriction_is_appealed_and_lifted_through_the_console(api: Api, session: Session) -> None:
    _confirmed_swap(api, session)
    restriction = api.client.get("/v1/returns/restrictions", headers=api.headers).json()[0]
    client = api.client
    sign_in(client, api.market.keys.operator_key)
    filed = client.post(
        "/console/returns/appeals",
        data={"subject": "restriction", "subject_id": restriction["id"],
              "statement": "courier mix-up"},
        follow_redirects=False,
    )  # fmt: skip
    assert filed.status_code == 303, filed.text
    appeal = api.client.get("/v1/returns/appeals", headers=api.headers).json()[0]
    assert appeal["statement"] == "courier mix-up"
    empty = client.post(
        "/console/returns/appeals",
        data={"subject": "restriction", "subject_id": restriction["id"], "statement": ""},
    )
    assert empty.status_code == 422
    assert "statement" in empty.text
    page = client.get("/console/returns/policy")
    assert "courier mix-up" in page.text
    decided = client.post(f"/console/returns/appeals/{appeal['id']}", data={"upheld": "true"},
                          follow_redirects=False)  # fmt: skip
    assert decided.status_code == 303
    again = client.post(f"/console/returns/appeals/{appeal['id']}", data={"upheld": "false"})
    assert again.status_code == 409
    assert "already upheld" in again.text
    lifted = api.client.get("/v1/returns/restrictions", headers=api.headers).json()[0]
    assert lifted["lifted_at"] is not None


def test_publish_and_look_up_through_the_console(
    api: Api, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADESHIELD_CONSORTIUM_KEY", "shared-consortium-key")
    get_settings.cache_clear()
    client = api.client
    sign_in(client, api.market.keys.operator_key)
    phone = {"identifier_kind": "phone", "identifier_value": "+86 138 0000 9999"}
    early_form = {"case_id": api.market.order.id, "reason_codes": "x", **phone}
    too_early = client.post("/console/returns/consortium/entries", data=early_form)
    assert too_early.status_code in (404, 422)
    assert 'role="alert"' in too_early.text
    case_id = _confirmed_swap(api, session)
    published = client.post(
        "/console/returns/consortium/entries",
        data={"case_id": case_id, "reason_codes": "return_swap, fake_return", **phone},
        follow_redirects=False,
    )
    assert published.status_code == 303, published.text
    stored = session.execute(text("SELECT consortium_hash FROM consortium_identifiers")).scalars()
    assert all("9999" not in value for value in stored)
    looked_up = client.post(
        "/console/returns/consortium/query",
        data={"identifier_kind": "phone", "identifier_value": "0086-138-0000-9999"},
    )
    assert looked_up.status_code == 200
    assert "fake_return, return_swap" in looked_up.text
    nobody = client.post(
        "/console/returns/consortium/query",
        data={"identifier_kind": "phone", "identifier_value": "+86 139 1111 2222"},
    )
    assert "No entry matches this buyer." in nobody.text
    session.rollback()  # its read snapshot predates the look-ups
    audited = session.execute(
        text("SELECT COUNT(*) FROM audit_entries WHERE action LIKE '%quer%'")
    ).scalar()
    assert audited is not None
    assert audited >= 2


def test_a_form_posted_from_another_site_is_refused_before_anything_is_written(
    api: Api, session: Session
) -> None:
    _confirmed_swap(api, session)
    restriction = api.client.get("/v1/returns/restrictions", headers=api.headers).json()[0]
    sign_in(api.client, api.market.keys.operator_key)
    refused = api.client.post(
        "/console/returns/appeals",
        data={"subject": "restriction", "subject_id": restriction["id"], "statement": "x"},
        headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
    )
    assert refused.status_code == 403
    assert api.client.get("/v1/returns/appeals", headers=api.headers).json() == []
