"""Unit evidence, return checks, liability, purchase limits and appeals through the API."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.factories import Api, make_buyer, make_marketplace
from tests.returns.builders import post_unit, return_parcel, unit
from tradeshield.buyers import service as buyers
from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.buyers.schemas import IdentifierIn
from tradeshield.returns import service
from tradeshield.settings import get_settings

SERIAL = "SN-AB12CD34EF"


def _shipped(api: Api, **extra: object) -> dict[str, object]:
    fields = {
        "serial": SERIAL,
        "seal_id": "SEAL-0001",
        "weight": "1.2 kg",
        "accessories": ["charger", "cable"],
    }
    fields.update(extra)
    return post_unit(api.client, api.headers, unit(api.market.order.id, "shipped", **fields))


def _returned(api: Api, **fields: object) -> dict[str, object]:
    return post_unit(api.client, api.headers, unit(api.market.order.id, "returned", **fields))


def _verify(api: Api, parcel_id: int | None) -> dict[str, object]:
    body = {"order_id": api.market.order.id, "return_shipment_id": parcel_id}
    response = api.client.post("/v1/returns/verifications", json=body, headers=api.headers)
    assert response.status_code == 201, response.text
    result: dict[str, object] = response.json()
    return result


def test_swapped_unit_is_a_mismatch_and_the_buyer_is_liable(api: Api, session: Session) -> None:
    shipped = _shipped(api)
    assert shipped["weight_grams"] == 1200
    parcel = return_parcel(session, api.market, pickup_grams=760)
    _returned(
        api,
        serial="SN-ZZ99YY88XX",
        seal_id="SEAL-0001",
        weight="760 g",
        accessories=["charger", "cable"],
        shipment_id=parcel.id,
    )
    found = _verify(api, parcel.id)
    assert found["result"] == "mismatch"
    assert found["liable_party"] == "buyer"
    assert found["clause_ids"] == ["scenario.return_mismatch.buyer_item_changed_before_pickup"]
    assert {r["code"] for r in found["reasons"]} == {"serial_differs"}  # type: ignore[index,union-attr]
    assert found["reasons"][0]["zh"]  # type: ignore[index]


def test_honest_return_matches_and_nobody_is_liable(api: Api, session: Session) -> None:
    _shipped(api)
    parcel = return_parcel(session, api.market, pickup_grams=1210)
    _returned(
        api,
        serial=SERIAL.lower(),
        seal_id="seal-0001",
        seal_intact=True,
        weight="2.65 lb",
        accessories=["Cable", "charger"],
        shipment_id=parcel.id,
    )
    found = _verify(api, parcel.id)
    assert found["result"] == "match"
    assert found["liable_party"] == "none"


def test_missing_accessory_is_partial(api: Api, session: Session) -> None:
    _shipped(api)
    _returned(api, serial=SERIAL, weight="1150 g", accessories=["cable"])
    found = _verify(api, None)
    assert found["result"] == "partial"
    assert any(c["name"] == "accessories" and c["returned"] == ["charger"] for c in found["checks"])  # type: ignore[union-attr]


def test_weight_change_in_transit_makes_the_courier_liable_with_a_claim(
    api: Api, session: Session
) -> None:
    _shipped(api)
    parcel = return_parcel(session, api.market, pickup_grams=1205, arrival_grams=700)
    _returned(api, weight="700 g", shipment_id=parcel.id)
    found = _verify(api, parcel.id)
    assert found["result"] == "partial"  # the accessories went missing with the weight
    assert found["liable_party"] == "courier"
    claims = api.client.get("/v1/returns/claims", headers=api.headers).json()
    assert len(claims) == 1
    assert claims[0]["tracking_number"] == parcel.tracking_number
    package = service.default_store().open_bytes(claims[0]["package_sha256"])
    names = zipfile.ZipFile(io.BytesIO(package)).namelist()
    assert {"records.json", "chain_proof.json", "summary.html"} <= set(names)


def test_package_download_holds_records_files_and_proof(api: Api, session: Session) -> None:
    photo = api.client.post(
        "/v1/returns/photos",
        headers=api.headers,
        files={"file": ("f.png", io.BytesIO(_png()), "image/png")},
    ).json()
    _shipped(api, photos=[{"angle": "front", "sha256": photo["sha256"]}])
    _returned(api, serial=SERIAL, weight=1200)
    found = _verify(api, None)
    response = api.client.get(
        f"/v1/returns/verifications/{found['id']}/package", headers=api.headers
    )
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert f"files/{photo['sha256']}" in archive.namelist()
    assert b"Return verification" in archive.read("summary.html")


def test_bad_weight_unit_is_422_and_nothing_is_stored(api: Api) -> None:
    body = unit(api.market.order.id, "shipped", serial=SERIAL, weight="3 stone")
    response = api.client.post("/v1/returns/units", json=body, headers=api.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "unknown" in response.json()["detail"]
    listed = api.client.get(
        f"/v1/returns/units?order_id={api.market.order.id}", headers=api.headers
    )
    assert listed.json() == []


def test_bad_imei_is_422(api: Api) -> None:
    body = unit(api.market.order.id, "shipped", serial="490154203237519")
    response = api.client.post("/v1/returns/units", json=body, headers=api.headers)
    assert response.status_code == 422
    assert "Luhn" in response.json()["detail"]


def test_evidence_for_another_tenants_order_is_refused(api: Api, session: Session) -> None:
    other = make_marketplace(session)
    session.commit()
    body = unit(other.order.id, "shipped", serial=SERIAL)
    response = api.client.post("/v1/returns/units", json=body, headers=api.headers)
    assert response.status_code == 403


def test_retry_with_same_idempotency_key_records_one_unit(api: Api) -> None:
    body = unit(api.market.order.id, "shipped", serial=SERIAL, weight=900)
    headers = {**api.headers, "Idempotency-Key": "unit-1"}
    first = api.client.post("/v1/returns/units", json=body, headers=headers)
    again = api.client.post("/v1/returns/units", json=body, headers=headers)
    assert first.json()["id"] == again.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"


def test_confirmed_mismatch_limits_the_buyer_and_linked_accounts_until_appeal(
    api: Api, session: Session
) -> None:
    market = api.market
    buyers.link_identifiers(
        session,
        market.keys.scope,
        market.order.buyer_id,
        [IdentifierIn(kind=IdentifierKind.PHONE, value="+86 138 0000 1111")],
    )
    linked = make_buyer(session, market.keys.scope, phone="+8613800001111")
    stranger = make_buyer(session, market.keys.scope, phone="+8613900002222")
    session.commit()
    _shipped(api)
    parcel = return_parcel(session, market, pickup_grams=500)
    post_unit(
        api.client,
        api.headers,
        unit(market.order.id, "returned", serial="SN-OTHER1234", weight=500, shipment_id=parcel.id),
    )
    found = _verify(api, parcel.id)
    confirmed = api.client.post(
        f"/v1/returns/verifications/{found['id']}/confirm", headers=api.headers
    ).json()
    assert confirmed["restriction"]["level"] == "limited"

    def answer(buyer_id: int) -> dict[str, object]:
        query = (
            f"/v1/returns/purchase-policy?buyer_id={buyer_id}"
            f"&product_id={market.product.id}&quantity=3"
        )
        result: dict[str, object] = api.client.get(query, headers=api.headers).json()
        return result

    own = answer(market.order.buyer_id)
    assert own["decision"] == "limited"
    assert own["limits"] == {
        "max_quantity": 1,
        "require_prepayment": True,  # type: ignore[comparison-overlap]
        "require_unboxing_video": True,
        "refund_only_allowed": False,
    }
    assert answer(linked.id)["decision"] == "limited"
    assert answer(stranger.id)["decision"] == "allowed"
    by_tier = api.client.post(
        "/v1/returns/purchase-policy",
        headers=api.headers,
        json={
            "buyer_id": stranger.id,
            "product_id": market.product.id,
            "integrity_tier": "no_refund_only",
        },
    )
    assert by_tier.json()["decision"] == "limited"
    assert by_tier.json()["limits"]["refund_only_allowed"] is False

    appeal = api.client.post(
        "/v1/returns/appeals",
        headers=api.headers,
        json={
            "subject": "restriction",
            "subject_id": confirmed["restriction"]["id"],
            "statement": "the returned phone was mine, a courier mix-up",
        },
    ).json()
    decided = api.client.post(
        f"/v1/returns/appeals/{appeal['id']}/decision",
        headers=api.headers,
        json={"upheld": True, "note": "ok"},
    )
    assert decided.json()["status"] == "upheld"
    assert answer(market.order.buyer_id)["decision"] == "allowed"


def test_chain_verify_names_the_first_broken_link(api: Api, session: Session) -> None:
    for weight in (900, 950, 1000):
        _shipped(api, weight=weight)
    scope_tenant = api.market.keys.scope.tenant_id
    store = service.default_store()
    assert service.verify_chain(session, scope_tenant, store).links == 3
    report = api.client.get("/v1/returns/chain/verify", headers=api.headers).json()
    assert report["intact"] is True
    second = session.execute(text("SELECT record_id FROM evidence_chain WHERE seq = 2")).scalar()
    session.execute(
        text("UPDATE unit_evidence SET weight_grams = 951 WHERE id = :i"), {"i": second}
    )
    session.commit()
    report = api.client.get("/v1/returns/chain/verify", headers=api.headers).json()
    assert report["intact"] is False
    assert report["broken"]["seq"] == 2
    session.execute(
        text("UPDATE unit_evidence SET weight_grams = 950 WHERE id = :i"), {"i": second}
    )
    session.execute(text("DELETE FROM evidence_chain WHERE seq = 2"))
    session.commit()
    broken = service.verify_chain(session, scope_tenant, store).broken
    assert broken is not None
    assert broken.seq == 2


def test_consortium_publish_query_rate_limit_and_appeal(
    api: Api, session: Session, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("TRADESHIELD_CONSORTIUM_KEY", "shared-consortium-key")
    get_settings.cache_clear()
    _shipped(api)
    parcel = return_parcel(session, api.market, pickup_grams=300)
    _returned(api, weight=300, serial="SN-FAKE00001", shipment_id=parcel.id)
    found = _verify(api, parcel.id)
    identifiers = [{"kind": "phone", "value": "+86 138 0000 9999"}]
    early = api.client.post(
        "/v1/returns/consortium/entries",
        headers=api.headers,
        json={
            "case_id": parcel.case_id,
            "identifiers": identifiers,
            "reason_codes": ["return_swap"],
        },
    )
    assert early.status_code == 422  # not confirmed yet
    api.client.post(f"/v1/returns/verifications/{found['id']}/confirm", headers=api.headers)
    entry = api.client.post(
        "/v1/returns/consortium/entries",
        headers=api.headers,
        json={
            "case_id": parcel.case_id,
            "identifiers": identifiers,
            "reason_codes": ["return_swap"],
        },
    )
    assert entry.status_code == 201, entry.text
    stored = session.execute(text("SELECT consortium_hash FROM consortium_identifiers")).scalars()
    assert all("9999" not in value for value in stored)

    other = make_marketplace(session)
    session.commit()
    other_headers = {"Authorization": f"Bearer {other.keys.operator_key}"}
    hits = api.client.post(
        "/v1/returns/consortium/query",
        headers=other_headers,
        json={"identifiers": [{"kind": "phone", "value": "0086-138-0000-9999"}]},
    )
    assert [h["entry_id"] for h in hits.json()] == [entry.json()["id"]]
    statuses = [
        api.client.post(
            "/v1/returns/consortium/query", headers=other_headers, json={"hashes": ["0" * 64]}
        ).status_code
        for _ in range(40)
    ]
    assert 429 in statuses

    appeal = api.client.post(
        "/v1/returns/appeals",
        headers=api.headers,
        json={"subject": "consortium_entry", "subject_id": entry.json()["id"], "statement": "mine"},
    )
    api.client.post(
        f"/v1/returns/appeals/{appeal.json()['id']}/decision",
        headers=api.headers,
        json={"upheld": True},
    )
    listed = api.client.get("/v1/returns/consortium/entries", headers=api.headers).json()
    assert listed[0]["removed_at"] is not None


def _png() -> bytes:
    import cv2
    import numpy as np

    rng = np.random.default_rng(3)
    image = (rng.random((120, 160, 3)) * 255).astype(np.uint8)
    ok, encoded = cv2.imencode(".png", image)
    assert ok
    return bytes(encoded)


def test_published_head_catches_a_removed_tail_that_the_chain_alone_cannot(
    api: Api, session: Session
) -> None:
    for weight in (900, 950):
        _shipped(api, weight=weight)
    published = api.client.post("/v1/returns/chain/head", headers=api.headers)
    assert published.status_code == 200, published.text
    head = published.json()
    assert head["seq"] == 2
    timeline = session.execute(
        text("SELECT action FROM audit_entries WHERE entity_type = 'evidence_chain'")
    ).scalars()
    assert list(timeline) == ["head_published"]
    session.execute(text("DELETE FROM evidence_chain WHERE seq = 2"))
    session.commit()
    alone = api.client.get("/v1/returns/chain/verify", headers=api.headers).json()
    assert alone["intact"] is True  # the last link is gone and nothing after it notices
    pinned = api.client.post(
        "/v1/returns/chain/verify",
        headers=api.headers,
        json={"anchors": [{"seq": head["seq"], "entry_hash": head["entry_hash"]}]},
    ).json()
    assert pinned["intact"] is False
    assert pinned["broken"]["seq"] == 2
    assert "truncated" in pinned["broken"]["problem"]
    bad = api.client.post(
        "/v1/returns/chain/verify",
        headers=api.headers,
        json={"anchors": [{"seq": 1, "entry_hash": "not-a-hash"}]},
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
