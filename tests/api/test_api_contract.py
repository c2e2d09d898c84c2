"""The HTTP contract: auth, problem JSON, idempotency, pagination, tenancy, uploads."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import Api, make_marketplace

PROBLEM = "application/problem+json"


def _case_body(api: Api, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "order_id": api.market.order.id,
        "kind": "refund_only",
        "reason_code": "spoiled_or_expired",
        "claimed_amount_minor": 5990,
        "currency": "CNY",
        "description": "橙子到货时已经发霉",
    }
    body.update(overrides)
    return body


def test_missing_key_is_401_problem(app_client: TestClient) -> None:
    response = app_client.get("/v1/cases")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith("/unauthorized")


def test_wrong_type_is_422_naming_the_field(api: Api) -> None:
    body = _case_body(api, claimed_amount_minor="lots")
    response = api.client.post("/v1/cases", json=body, headers=api.headers)
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"] == PROBLEM
    assert problem["errors"][0]["field"] == "claimed_amount_minor"
    assert problem["status"] == 422


def test_naive_timestamp_is_refused(api: Api) -> None:
    body = _case_body(api, opened_at="2026-11-20T10:00:00")
    response = api.client.post("/v1/cases", json=body, headers=api.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "opened_at"


def test_unknown_id_is_404_problem(api: Api) -> None:
    response = api.client.get("/v1/cases/999999", headers=api.headers)
    assert response.status_code == 404
    assert response.json()["detail"] == "case 999999 does not exist"


def test_other_tenants_case_is_403(api: Api, session: Session) -> None:
    other = make_marketplace(session)
    session.commit()
    created = api.client.post("/v1/cases", json=_case_body(api), headers=api.headers)
    foreign = {"Authorization": f"Bearer {other.keys.operator_key}"}
    response = api.client.get(f"/v1/cases/{created.json()['id']}", headers=foreign)
    assert response.status_code == 403
    listed = api.client.get("/v1/cases", headers=foreign).json()
    assert listed["items"] == []


def test_illegal_transition_is_409(api: Api) -> None:
    case = api.client.post("/v1/cases", json=_case_body(api), headers=api.headers).json()
    response = api.client.post(
        f"/v1/cases/{case['id']}/actions",
        json={"action": "buyer_accept_offer"},
        headers=api.headers,
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM


def test_retry_with_same_idempotency_key_returns_first_case(api: Api) -> None:
    headers = {**api.headers, "Idempotency-Key": "open-case-1"}
    first = api.client.post("/v1/cases", json=_case_body(api), headers=headers)
    second = api.client.post("/v1/cases", json=_case_body(api), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    listed = api.client.get("/v1/cases", headers=api.headers).json()
    assert len(listed["items"]) == 1


def test_same_key_with_different_body_is_refused(api: Api) -> None:
    headers = {**api.headers, "Idempotency-Key": "k-2"}
    api.client.post("/v1/cases", json=_case_body(api), headers=headers)
    response = api.client.post(
        "/v1/cases", json=_case_body(api, claimed_amount_minor=10), headers=headers
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]


def test_action_retry_with_key_does_not_act_twice(api: Api) -> None:
    case = api.client.post("/v1/cases", json=_case_body(api), headers=api.headers).json()
    headers = {**api.headers, "Idempotency-Key": "accept-1"}
    url = f"/v1/cases/{case['id']}/actions"
    first = api.client.post(url, json={"action": "merchant_accept"}, headers=headers)
    again = api.client.post(url, json={"action": "merchant_accept"}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json()["state"] == "resolved"
    rulings = api.client.get(f"/v1/cases/{case['id']}/rulings", headers=api.headers).json()
    assert len(rulings) == 1


def test_cursor_pages_cover_everything_once(api: Api) -> None:
    for index in range(7):
        api.client.post(
            "/v1/cases", json=_case_body(api, claimed_amount_minor=index + 1), headers=api.headers
        )
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = api.client.get("/v1/cases", params=params, headers=api.headers).json()
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    assert seen == sorted(seen, reverse=True)


def test_garbage_cursor_is_422(api: Api) -> None:
    response = api.client.get("/v1/cases?cursor=%%%", headers=api.headers)
    assert response.status_code == 422


def test_filters_narrow_lists(api: Api) -> None:
    api.client.post("/v1/cases", json=_case_body(api), headers=api.headers)
    resolved = api.client.get("/v1/cases?state=resolved", headers=api.headers).json()
    waiting = api.client.get("/v1/cases?state=awaiting_merchant", headers=api.headers).json()
    assert resolved["items"] == []
    assert len(waiting["items"]) == 1


def test_merchant_key_sees_only_its_shop(api: Api) -> None:
    key = api.client.post(
        "/v1/api-keys",
        json={"role": "merchant", "merchant_id": api.market.merchant.id},
        headers=api.headers,
    ).json()["key"]
    other_shop = api.client.post(
        "/v1/merchants", json={"name": "Other", "industry": "apparel"}, headers=api.headers
    ).json()
    merchant_headers = {"Authorization": f"Bearer {key}"}
    assert (
        api.client.get(f"/v1/merchants/{other_shop['id']}", headers=merchant_headers).status_code
        == 403
    )
    assert (
        api.client.get("/v1/merchants?limit=10", headers=merchant_headers).json()["items"][0]["id"]
        == api.market.merchant.id
    )
    response = api.client.post(
        "/v1/merchants", json={"name": "Mine", "industry": "apparel"}, headers=merchant_headers
    )
    assert response.status_code == 403


def test_read_only_key_cannot_write(api: Api) -> None:
    key = api.client.post("/v1/api-keys", json={"role": "read_only"}, headers=api.headers).json()
    headers = {"Authorization": f"Bearer {key['key']}"}
    assert api.client.get("/v1/cases", headers=headers).status_code == 200
    assert api.client.post("/v1/cases", json=_case_body(api), headers=headers).status_code == 403


def test_health_and_readiness(app_client: TestClient) -> None:
    assert app_client.get("/healthz").json()["status"] == "ok"
    assert app_client.get("/readyz").json() == {"status": "ready", "database": "ok"}
    assert "/v1/cases/{case_id}/actions" in app_client.get("/openapi.json").json()["paths"]
