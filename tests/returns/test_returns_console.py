"""The returns console pages: capture a unit, check a return side by side, confirm it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.console.console_data import sign_in
from tests.factories import Api
from tests.returns.builders import post_unit, unit


def test_capture_check_and_confirm_through_the_console(api: Api, session: Session) -> None:
    client, order_id = api.client, api.market.order.id
    post_unit(client, api.headers, unit(order_id, "shipped", serial="SN-AB12CD34EF", weight=1200))
    sign_in(client, api.market.keys.operator_key)
    captured = client.post(
        "/console/returns/units",
        follow_redirects=False,
        data={
            "order_id": order_id,
            "stage": "returned",
            "serial": "SN-OTHER9999",
            "weight": "0.7 kg",
        },
    )
    assert captured.status_code == 303
    listed = client.get(f"/console/returns/units?order_id={order_id}")
    assert "SN-OTHER9999" in listed.text
    assert "700" in listed.text
    refused = client.post(
        "/console/returns/units",
        data={"order_id": order_id, "stage": "returned", "weight": "2 stone"},
    )
    assert refused.status_code == 422
    assert "unknown" in refused.text
    checked = client.post(
        "/console/returns/checks", data={"order_id": order_id}, follow_redirects=False
    )
    assert checked.status_code == 303
    page = client.get(checked.headers["location"])
    assert "SN-AB12CD34EF" in page.text
    assert "SN-OTHER9999" in page.text
    assert "mismatch" in page.text
    client.post(checked.headers["location"] + "/confirm")
    assert "Confirm this result" not in client.get(checked.headers["location"]).text
    for path in (
        "/console/returns/checks",
        "/console/returns/claims",
        "/console/returns/policy",
        "/console/returns",
    ):
        assert client.get(path).status_code == 200


def test_console_capture_stores_photos_by_angle_and_skips_empty_file_inputs(
    api: Api, session: Session
) -> None:
    import hashlib
    from pathlib import Path

    photo = Path(__file__).parents[2] / "../shared/datasets/forensics/real/camera/declan_B1.jpg"
    content = photo.resolve().read_bytes()
    client, order_id = api.client, api.market.order.id
    sign_in(client, api.market.keys.operator_key)
    captured = client.post(
        "/console/returns/units",
        follow_redirects=False,
        data={"order_id": order_id, "stage": "shipped", "serial": "SN-PHOTO1234"},
        files=[("photo_front", ("front.jpg", content, "image/jpeg")),
               ("photo_back", ("", b"", "application/octet-stream"))],
    )  # fmt: skip
    assert captured.status_code == 303, captured.text
    units = client.get(f"/v1/returns/units?order_id={order_id}", headers=api.headers).json()
    assert [p["angle"] for p in units[0]["photos"]] == ["front"]
    assert units[0]["photos"][0]["sha256"] == hashlib.sha256(content).hexdigest()
    refused = client.post(
        "/console/returns/units",
        data={"order_id": order_id, "stage": "returned", "weight": "2 stone"},
        files=[("photo_front", ("front.jpg", content, "image/jpeg"))],
    )
    assert refused.status_code == 422
    assert (
        len(client.get(f"/v1/returns/units?order_id={order_id}", headers=api.headers).json()) == 1
    )
