"""Evidence uploads: content addressing, format checks, size limit."""

from __future__ import annotations

import hashlib
import io

import pytest
from tests.factories import Api

from tradeshield.settings import get_settings

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8


def _open_case(api: Api) -> int:
    body = {
        "order_id": api.market.order.id,
        "kind": "refund_only",
        "reason_code": "quality_issue",
        "claimed_amount_minor": 100,
        "currency": "CNY",
    }
    return int(api.client.post("/v1/cases", json=body, headers=api.headers).json()["id"])


def _upload(api: Api, case_id: int, content: bytes, kind: str = "photo") -> object:
    return api.client.post(
        "/v1/evidence/files",
        data={"case_id": str(case_id), "kind": kind, "submitted_by": "buyer"},
        files={"file": ("mould.jpg", io.BytesIO(content), "image/jpeg")},
        headers=api.headers,
    )


def test_photo_is_stored_by_sha256_and_read_back(api: Api) -> None:
    case_id = _open_case(api)
    response = _upload(api, case_id, JPEG)
    assert response.status_code == 201  # type: ignore[attr-defined]
    item = response.json()  # type: ignore[attr-defined]
    assert item["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert item["media_type"] == "image/jpeg"
    content = api.client.get(f"/v1/evidence/{item['id']}/content", headers=api.headers)
    assert content.content == JPEG


def test_same_bytes_twice_keep_one_blob(api: Api) -> None:
    case_id = _open_case(api)
    first = _upload(api, case_id, JPEG).json()  # type: ignore[attr-defined]
    second = _upload(api, case_id, JPEG).json()  # type: ignore[attr-defined]
    assert first["id"] != second["id"]
    blobs = [p for p in get_settings().resolved_blob_dir().rglob("*") if p.is_file()]
    assert len(blobs) == 1


def test_text_file_claimed_as_photo_is_422(api: Api) -> None:
    response = _upload(api, _open_case(api), b"not an image at all")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["field"] == "file"  # type: ignore[attr-defined]


def test_oversize_upload_is_413(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADESHIELD_MAX_UPLOAD_BYTES", "1000")
    get_settings.cache_clear()
    response = _upload(api, _open_case(api), JPEG)
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert response.json()["type"].endswith("/too-large")  # type: ignore[attr-defined]
