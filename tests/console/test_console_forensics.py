"""The forensics pages: checking an upload, a stored photo's report with its heat map, and who
may see or run what. Real JPEGs made with Pillow: a textured listing photo and a copy of it
with a brown stain painted in, the kind of edit a refund claim might add."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

from tests.console.console_data import ConsoleData, sign_in
from tradeshield.cases.kinds import Party
from tradeshield.evidence import service as evidence
from tradeshield.evidence.blobs import chunked
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.forensics import service as forensics
from tradeshield.i18n.catalog import Locale, translate
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.kinds import Role

STAIN_BOX = (300, 220, 420, 320)  # where the stain is painted, in listing pixels


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _listing_image() -> Image.Image:
    """800 x 600 of overlapping coloured shapes under sensor-like noise: texture to match on."""
    rng = np.random.default_rng(7)
    image = Image.new("RGB", (800, 600), (200, 205, 210))
    draw = ImageDraw.Draw(image)
    for _ in range(400):
        x, y = int(rng.integers(0, 800)), int(rng.integers(0, 600))
        w, h = int(rng.integers(10, 90)), int(rng.integers(10, 90))
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        shape = draw.rectangle if rng.random() < 0.5 else draw.ellipse
        shape((x, y, x + w, y + h), fill=colour)
    noisy = np.asarray(image, dtype=np.float64) + rng.normal(0, 6, (600, 800, 3))
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))


@dataclass(frozen=True)
class Photos:
    listing: bytes
    stained: bytes


@pytest.fixture(scope="module")
def photos() -> Photos:
    listing = _listing_image()
    stained = listing.copy()
    draw = ImageDraw.Draw(stained)
    rng = np.random.default_rng(3)
    left, top, right, bottom = STAIN_BOX
    for _ in range(30):
        cx, cy = int(rng.integers(left, right)), int(rng.integers(top, bottom))
        r = int(rng.integers(8, 26))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(92, 64, 32))
    return Photos(_jpeg(listing, 92), _jpeg(stained, 80))


@dataclass(frozen=True)
class StoredPhotos:
    listing_id: int  # the merchant's own photo on the case
    stained_id: int  # the buyer's photo: the listing with a stain painted in


def _store_pair(session: Session, data: ConsoleData, case_id: int, photos: Photos) -> StoredPhotos:
    scope = data.market.keys.scope
    store = evidence.default_blob_store()
    ids = []
    for who, content in ((Party.MERCHANT, photos.listing), (Party.BUYER, photos.stained)):
        received = evidence.receive_file(store, chunked(content))
        item = evidence.add_file(
            session, scope, case_id, EvidenceKind.PHOTO, who, received, f"{who.value}.jpg"
        )
        ids.append(item.id)
    session.commit()
    return StoredPhotos(*ids)


@pytest.fixture
def stored(session: Session, console_data: ConsoleData, photos: Photos) -> StoredPhotos:
    return _store_pair(session, console_data, console_data.waiting_case_id, photos)


def _upload(photos: Photos, *references: bytes) -> list[tuple[str, tuple[str, bytes, str]]]:
    files = [("photo", ("claim.jpg", photos.stained, "image/jpeg"))]
    files += [
        ("references", (f"listing-{n}.jpg", r, "image/jpeg")) for n, r in enumerate(references)
    ]
    return files


def _run_check(client: TestClient, evidence_id: int) -> None:
    answer = client.post(f"/console/forensics/{evidence_id}/check", follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/console/forensics/{evidence_id}"


@pytest.mark.parametrize(("language", "title"), [("en", "Check a photo"), ("zh", "检查一张照片")])
def test_evidence_list_offers_the_photo_check_form_in_both_languages(
    operator_client: TestClient, language: str, title: str
) -> None:
    operator_client.cookies.set("lang", language)
    html = operator_client.get("/console/forensics").text
    assert 'action="/console/forensics/check"' in html
    assert 'enctype="multipart/form-data"' in html
    assert f"<summary>{title}</summary>" in html
    assert 'name="references"' in html


def test_checking_an_upload_with_its_listing_photo_shows_a_forged_verdict_inline(
    operator_client: TestClient, photos: Photos
) -> None:
    answer = operator_client.post("/console/forensics/check", files=_upload(photos, photos.listing))
    assert answer.status_code == 200, answer.text
    html = answer.text
    assert 'class="badge verdict-forged">Forged<' in html
    assert "data:image/jpeg;base64," in html  # the photo and the reference, shown inline
    assert 'href="data:image/png;base64,' in html  # the heat map, masking the red layer
    assert "Matched" in html
    assert "reference_match/reference_changed_region" in html
    # what the score was made from, with the localiser's signal below its threshold included
    assert "How the score was made" in html
    assert "<code>pixel_model.score</code>" in html
    # The region box lands on the painted stain.
    box = re.search(r'<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"', html)
    assert box is not None
    x, y, w, h = map(int, box.groups())
    left, top, right, bottom = STAIN_BOX
    assert x < right
    assert x + w > left
    assert y < bottom
    assert y + h > top


def test_an_empty_reference_input_is_ignored_and_the_blind_checks_still_answer(
    operator_client: TestClient, photos: Photos
) -> None:
    # Written by hand: a browser sends an unused file input as a part with filename="",
    # which httpx's own encoder leaves out.
    boundary = "b0undary"
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '.encode(),
            b'filename="claim.jpg"\r\nContent-Type: image/jpeg\r\n\r\n',
            photos.stained,
            f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="references"; '.encode(),
            b'filename=""\r\nContent-Type: application/octet-stream\r\n\r\n',
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    answer = operator_client.post(
        "/console/forensics/check",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status_code == 200, answer.text
    assert "None sent: only the checks that need no reference ran." in answer.text


def test_a_file_that_is_no_photo_is_refused_on_the_form_in_chinese(
    operator_client: TestClient,
) -> None:
    operator_client.cookies.set("lang", "zh")
    files = [("photo", ("note.jpg", b"this is not a photo", "image/jpeg"))]
    answer = operator_client.post("/console/forensics/check", files=files)
    assert answer.status_code == 422
    assert "有文件无法作为照片读取。" in answer.text
    assert 'action="/console/forensics/check"' in answer.text


def test_more_than_four_references_are_refused(operator_client: TestClient, photos: Photos) -> None:
    answer = operator_client.post(
        "/console/forensics/check", files=_upload(photos, *[photos.listing] * 5)
    )
    assert answer.status_code == 422
    assert "Send at most 4 reference photos." in answer.text


def test_evidence_page_serves_the_photo_and_the_heat_map_of_its_report(
    operator_client: TestClient, stored: StoredPhotos
) -> None:
    before = operator_client.get(f"/console/forensics/{stored.stained_id}").text
    assert "This photo has not been checked yet." in before
    _run_check(operator_client, stored.stained_id)
    html = operator_client.get(f"/console/forensics/{stored.stained_id}").text
    photo_url = f"/console/forensics/{stored.stained_id}/photo"
    assert f'src="{photo_url}"' in html
    heatmap = re.search(r'href="(/console/forensics/reports/\d+/heatmap\.png)"', html)
    assert heatmap is not None
    photo = operator_client.get(photo_url)
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["content-security-policy"] == "default-src 'none'; sandbox"
    png = operator_client.get(heatmap.group(1))
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(png.content)) as mask:
        assert mask.size == (800, 600)


def test_running_the_check_stores_a_report_shown_in_chinese_with_its_reference(
    operator_client: TestClient,
    session: Session,
    console_data: ConsoleData,
    stored: StoredPhotos,
) -> None:
    _run_check(operator_client, stored.stained_id)
    scope = console_data.market.keys.scope
    [report] = forensics.reports_for_evidence(session, scope, stored.stained_id)
    assert report.verdict == "forged"
    operator_client.cookies.set("lang", "zh")
    html = operator_client.get(f"/console/forensics/{stored.stained_id}").text
    assert 'class="badge verdict-forged">伪造<' in html
    changed = next(f for f in report.findings if f["code"] == "reference_changed_region")
    assert changed["reason"]["zh"] in html
    assert changed["reason"]["en"] not in html
    assert translate("Proof", Locale.ZH, domain="console") in html
    assert f'href="/console/forensics/{stored.listing_id}"' in html  # the reference it matched
    assert "已比对上" in html
    assert "分数是如何得出的" in html  # the stored report keeps its fusion inputs
    assert "<code>findings</code>" in html
    listing = operator_client.get("/console/forensics").text
    assert f'<a href="/console/forensics/{stored.stained_id}" class="verdict-link">' in listing


def test_older_reports_stay_listed_and_can_be_opened(
    operator_client: TestClient, stored: StoredPhotos
) -> None:
    _run_check(operator_client, stored.stained_id)
    _run_check(operator_client, stored.stained_id)
    html = operator_client.get(f"/console/forensics/{stored.stained_id}").text
    older = re.findall(rf'href="/console/forensics/{stored.stained_id}\?report=(\d+)"', html)
    assert len(older) == 1
    again = operator_client.get(f"/console/forensics/{stored.stained_id}?report={older[0]}")
    assert again.status_code == 200
    missing = operator_client.get(f"/console/forensics/{stored.stained_id}?report=999999")
    assert missing.status_code == 404


def test_case_page_links_its_evidence_to_the_forensics_page(
    operator_client: TestClient, console_data: ConsoleData, stored: StoredPhotos
) -> None:
    html = operator_client.get(f"/console/cases/{console_data.waiting_case_id}").text
    assert f'<a href="/console/forensics/{stored.stained_id}">' in html


def test_a_merchant_key_cannot_see_or_check_another_shops_photo(
    app_client: TestClient, session: Session, console_data: ConsoleData, photos: Photos
) -> None:
    other = _store_pair(session, console_data, console_data.other_shop_case_id, photos)
    sign_in(app_client, console_data.operator_key)
    _run_check(app_client, other.stained_id)
    heatmap = re.search(
        r'href="(/console/forensics/reports/\d+/heatmap\.png)"',
        app_client.get(f"/console/forensics/{other.stained_id}").text,
    )
    assert heatmap is not None
    sign_in(app_client, console_data.merchant_key)
    for path in (
        f"/console/forensics/{other.stained_id}",
        f"/console/forensics/{other.stained_id}/photo",
        heatmap.group(1),
    ):
        answer = app_client.get(path)
        assert answer.status_code == 403, path
        assert "Not yours to see" in answer.text
    refused = app_client.post(f"/console/forensics/{other.stained_id}/check")
    assert refused.status_code == 403
    assert "verdict-forged" not in app_client.get("/console/forensics").text


def test_a_read_only_key_sees_the_report_but_cannot_run_the_check(
    app_client: TestClient, session: Session, console_data: ConsoleData, stored: StoredPhotos
) -> None:
    _, read_only_key = tenancy.issue_api_key(
        session, console_data.market.keys.scope.tenant_id, Role.READ_ONLY
    )
    session.commit()
    sign_in(app_client, read_only_key)
    app_client.cookies.set("lang", "zh")
    page = app_client.get(f"/console/forensics/{stored.stained_id}").text
    assert f'action="/console/forensics/{stored.stained_id}/check"' not in page
    answer = app_client.post(f"/console/forensics/{stored.stained_id}/check")
    assert answer.status_code == 403
    assert "只读密钥" in answer.text
    scope = console_data.market.keys.scope
    assert forensics.reports_for_evidence(session, scope, stored.stained_id) == []
