"""The forensic report through the CLI, the API and a merchant's one-click case report."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from sqlalchemy.orm import Session
from tests.factories import Api

from tradeshield.jobs.runners import InProcessRunner, get_runner

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "forensics"
CAMERA_PHOTO = DATASET / "real" / "camera" / "declan_B1.jpg"


def _jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _listing_and_stained_copy() -> tuple[bytes, bytes, tuple[int, int, int, int]]:
    if not CAMERA_PHOTO.exists():
        pytest.skip("shared forensic dataset not present")
    listing = Image.open(CAMERA_PHOTO).convert("RGB")
    listing.thumbnail((1200, 1200))
    stained = listing.copy()
    width, height = stained.size
    box = (width // 3, height // 3, width // 3 + width // 6, height // 3 + height // 7)
    draw = ImageDraw.Draw(stained)
    rng = np.random.default_rng(3)
    for _ in range(40):
        cx = rng.integers(box[0], box[2])
        cy = rng.integers(box[1], box[3])
        r = int(rng.integers(8, 30))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(92, 64, 32))
    return _jpeg(listing, 92), _jpeg(stained, 80), box


def test_inspect_json_and_heatmap(tmp_path: Path) -> None:
    listing, stained, _ = _listing_and_stained_copy()
    photo, reference, heat = tmp_path / "e.jpg", tmp_path / "l.jpg", tmp_path / "h.png"
    photo.write_bytes(stained)
    reference.write_bytes(listing)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tradeshield",
            "inspect",
            str(photo),
            "--reference",
            str(reference),
            "--json",
            "--heatmap",
            str(heat),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"score", "verdict", "findings"} <= set(report)
    assert report["verdict"] == "forged"
    assert any(f["code"] == "reference_changed_region" for f in report["findings"])
    with Image.open(heat) as mask:
        assert mask.mode == "L"
        assert mask.size == Image.open(photo).size


def test_inspect_refuses_a_non_image_in_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "note.jpg"
    bogus.write_text("this is not a photo")
    result = subprocess.run(
        [sys.executable, "-m", "tradeshield", "inspect", str(bogus)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_api_analyze_upload_with_reference(api: Api) -> None:
    listing, stained, _ = _listing_and_stained_copy()
    response = api.client.post(
        "/v1/forensics/analyze?heatmap=true",
        files=[
            ("photo", ("e.jpg", stained, "image/jpeg")),
            ("references", ("l.jpg", listing, "image/jpeg")),
        ],
        headers=api.headers,
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["verdict"] == "forged"
    assert report["heatmap_png_base64"]
    features = report["fusion"]["features"]
    assert features["findings"] == report["raw_score"]
    assert 0.0 <= features["pixel_model.score"] <= 1.0  # weighed even below its threshold


def test_api_analyze_refuses_text_with_problem_json(api: Api) -> None:
    response = api.client.post(
        "/v1/forensics/analyze",
        files=[("photo", ("x.jpg", b"hello", "image/jpeg"))],
        headers=api.headers,
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_merchant_forgery_report_runs_analysis_and_stores_it(api: Api, session: Session) -> None:
    listing, stained, _ = _listing_and_stained_copy()
    case = api.client.post(
        "/v1/cases",
        json={
            "order_id": api.market.order.id,
            "kind": "refund_only",
            "reason_code": "quality_issue",
            "claimed_amount_minor": 100,
            "currency": "CNY",
        },
        headers=api.headers,
    ).json()
    uploads = {}
    for who, content in (("merchant", listing), ("buyer", stained)):
        uploads[who] = api.client.post(
            "/v1/evidence/files",
            data={"case_id": str(case["id"]), "kind": "photo", "submitted_by": who},
            files={"file": (f"{who}.jpg", content, "image/jpeg")},
            headers=api.headers,
        ).json()
    acted = api.client.post(
        f"/v1/cases/{case['id']}/actions",
        json={"action": "merchant_report_forgery", "evidence_ids": [uploads["buyer"]["id"]]},
        headers=api.headers,
    )
    assert acted.status_code == 200, acted.text
    assert acted.json()["forgery_suspected"] is True
    runner = get_runner()
    assert isinstance(runner, InProcessRunner)
    runner.drain()
    reports = api.client.get(
        f"/v1/evidence/{uploads['buyer']['id']}/forensics", headers=api.headers
    ).json()
    assert len(reports) == 1
    assert reports[0]["verdict"] == "forged"
    assert reports[0]["inputs"]["references"] == [f"evidence {uploads['merchant']['id']}"]
    assert reports[0]["fusion"] == reports[0]["inputs"]["fusion"]
    assert "pixel_model.score" in reports[0]["fusion"]["features"]
    png = api.client.get(
        f"/v1/forensic-reports/{reports[0]['id']}/heatmap.png", headers=api.headers
    )
    assert png.headers["content-type"] == "image/png"
    timeline = api.client.get("/v1/audit?entity_type=evidence", headers=api.headers).json()
    assert any(e["action"] == "forensic_report" for e in timeline["items"])


def test_photo_reused_from_another_buyers_case_is_found(session: Session) -> None:
    from tests.factories import make_marketplace, make_order, open_case

    from tradeshield.cases.kinds import Party
    from tradeshield.evidence import service as evidence_service
    from tradeshield.evidence.blobs import chunked
    from tradeshield.evidence.kinds import EvidenceKind
    from tradeshield.forensics import history
    from tradeshield.forensics import service as forensics

    history.forget_cached_indexes()
    listing, _, _ = _listing_and_stained_copy()
    market = make_marketplace(session)
    scope = market.keys.scope
    store = evidence_service.default_blob_store()
    first_case = open_case(session, market)
    second_order = make_order(session, scope, market.merchant, market.product)
    second_market = type(market)(market.keys, market.merchant, market.product, second_order)
    second_case = open_case(session, second_market)
    recompressed = _jpeg(Image.open(io.BytesIO(listing)).resize((900, 675)), 70)
    reports = []
    for case, photo in ((first_case, listing), (second_case, recompressed)):
        received = evidence_service.receive_file(store, chunked(photo))
        item = evidence_service.add_file(
            session, scope, case.id, EvidenceKind.PHOTO, Party.BUYER, received
        )
        reports.append(forensics.analyze_evidence(session, scope, store, item.id))
    assert not [f for f in reports[0].findings if f["detector"] == "reuse"]
    reuse = [f for f in reports[1].findings if f["detector"] == "reuse"]
    assert reuse
    assert reuse[0]["strength"] in ("strong", "moderate")
    assert reports[1].inputs["reuse_hits"][0]["source"] == "other_buyer"
    assert reports[1].verdict in ("suspicious", "forged")
