"""Reference match: a listing photo with a painted stain is caught where the stain is; an
honest copy is matched without a change; an unrelated photo matches nothing."""

from __future__ import annotations

import io
import math
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from tradeshield.errors import Invalid
from tradeshield.forensics.findings import Region, Strength
from tradeshield.forensics.loading import LoadedImage
from tradeshield.forensics.reference_match import Reference, ReferenceKind, detect

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "forensics"
CAMERA = DATASET / "real" / "camera"

RGB = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]

pytestmark = pytest.mark.skipif(not CAMERA.is_dir(), reason="shared forensics dataset absent")


def _photo(name: str) -> RGB:
    return np.asarray(Image.open(CAMERA / name).convert("RGB"))


def _jpeg(rgb: RGB, quality: int) -> RGB:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


def _evidence(rgb: RGB) -> LoadedImage:
    return LoadedImage(rgb=rgb, source=b"", format="JPEG")


def _rotated_crop(rgb: RGB, angle: float, scale: float) -> RGB:
    """Rotate and scale about the centre, then crop inside so no empty corner shows, and trim
    a further uneven margin, as a buyer cropping a saved listing photo would."""
    height, width = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, scale)
    out_w, out_h = int(width * scale), int(height * scale)
    matrix[:, 2] += [(out_w - width) / 2, (out_h - height) / 2]
    turned = cv2.warpAffine(rgb, matrix, (out_w, out_h), flags=cv2.INTER_AREA)
    sine = math.sin(math.radians(abs(angle)))
    margin_x, margin_y = int(sine * out_h) + 2, int(sine * out_w) + 2
    x0, y0 = margin_x + int(0.08 * out_w), margin_y + int(0.05 * out_h)
    x1, y1 = out_w - margin_x - int(0.03 * out_w), out_h - margin_y
    return np.ascontiguousarray(turned[y0:y1, x0:x1])


def _paint_stain(rgb: RGB, cx: float, cy: float, radius: float) -> tuple[RGB, Mask]:
    """A brown, textured, irregular blob, blended like a brush in a photo editor."""
    rng = np.random.default_rng(7)
    height, width = rgb.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = np.arctan2(yy - cy, xx - cx)
    edge = radius * (1 + 0.25 * np.sin(3 * angle + 1) + 0.15 * np.sin(5 * angle + 2))
    noise = rng.normal(0, 1, (height, width)).astype(np.float32)
    wobble = np.asarray(cv2.GaussianBlur(noise, (0, 0), 6), np.float32)
    wobble = wobble / (wobble.std() + 1e-6)
    weight = np.clip((edge - np.hypot(xx - cx, yy - cy)) / (radius * 0.15) + 0.3 * wobble, 0, 1)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 2)
    brown = np.stack([95 + 12 * grain, 60 + 10 * grain, 30 + 6 * grain], axis=-1)
    alpha = 0.85 * weight[..., None]
    painted = rgb.astype(np.float32) * (1 - alpha) + brown * alpha
    return np.clip(painted, 0, 255).astype(np.uint8), weight > 0.5


def _box(mask: Mask) -> Region:
    rows, cols = np.nonzero(mask)
    return Region(
        int(cols.min()),
        int(rows.min()),
        int(cols.max() - cols.min() + 1),
        int(rows.max() - rows.min() + 1),
    )


def _iou(a: Region, b: Region) -> float:
    x0, y0 = max(a.x, b.x), max(a.y, b.y)
    x1, y1 = min(a.x + a.width, b.x + b.width), min(a.y + a.height, b.y + b.height)
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    return inter / (a.width * a.height + b.width * b.height - inter)


@pytest.fixture(scope="module")
def listing() -> RGB:
    return _photo("mei_Canon_PowerShot_S40_2.jpg")


@pytest.fixture(scope="module")
def stained(listing: RGB) -> tuple[RGB, Mask]:
    copy = _rotated_crop(listing, angle=4.0, scale=0.8)
    height, width = copy.shape[:2]
    painted, mask = _paint_stain(copy, width * 0.4, height * 0.6, min(height, width) * 0.07)
    return _jpeg(painted, 70), mask


def test_listing_photo_with_painted_stain_is_proof_located_on_the_stain(
    listing: RGB, stained: tuple[RGB, Mask]
) -> None:
    evidence, mask = stained
    references = [
        Reference("listing photo 1", ReferenceKind.LISTING, _photo("mei_HTC_One.jpg"), 1),
        Reference("listing photo 2", ReferenceKind.LISTING, listing, 2),
    ]
    result = detect(_evidence(evidence), references)

    proofs = [f for f in result.findings if f.strength is Strength.PROOF]
    assert proofs, result.findings
    assert all(f.code == "reference_changed_region" for f in proofs)
    assert {f.details["reference"] for f in result.findings} == {"listing photo 2"}
    best = max(_iou(f.region, _box(mask)) for f in proofs if f.region is not None)
    assert best > 0.3
    assert result.heatmap is not None
    assert result.heatmap.shape == evidence.shape[:2]
    assert result.heatmap.dtype == np.float32
    assert float(result.heatmap[mask].mean()) > 0.7
    assert float(result.heatmap[~mask].mean()) < 0.05


def test_changed_region_reason_names_the_listing_photo_and_the_place(
    listing: RGB, stained: tuple[RGB, Mask]
) -> None:
    evidence, _ = stained
    reference = Reference("listing photo 2", ReferenceKind.LISTING, listing, 2)
    finding = detect(_evidence(evidence), [reference]).findings[0]
    assert finding.region is not None
    assert finding.reason["code"] == "reference_changed_region_listing"
    assert "listing photo 2" in finding.reason["en"]
    assert f"x={finding.region.x}" in finding.reason["en"]
    assert "商品主图第 2 张" in finding.reason["zh"]


def test_recompressed_copy_is_derived_from_the_listing_without_a_changed_region(
    listing: RGB,
) -> None:
    half = np.asarray(cv2.resize(listing, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
    copy = _jpeg(half.astype(np.uint8), 75)
    result = detect(_evidence(copy), [Reference("listing 1", ReferenceKind.LISTING, listing)])

    assert [f.code for f in result.findings] == ["derived_from_reference"]
    assert result.findings[0].strength is Strength.MODERATE
    assert result.heatmap is not None
    assert float(result.heatmap.max()) < 0.5


def test_copy_of_earlier_evidence_is_only_context(listing: RGB) -> None:
    earlier = Reference("evidence 1", ReferenceKind.EARLIER_EVIDENCE, listing)
    result = detect(_evidence(_jpeg(listing, 80)), [earlier])
    assert [(f.code, f.strength) for f in result.findings] == [
        ("derived_from_reference", Strength.INFO)
    ]


def test_unrelated_photo_matches_no_reference(listing: RGB) -> None:
    other = _photo("mei_Sony_Cybershot_1.jpg")
    result = detect(_evidence(other), [Reference("listing 1", ReferenceKind.LISTING, listing)])
    assert [f.code for f in result.findings] == ["reference_no_match"]
    assert result.findings[0].strength is Strength.INFO
    assert result.heatmap is None


def test_two_photos_sharing_only_a_pasted_label_are_not_one_photo() -> None:
    # Two different scenes showing the same flat label: keypoints match on the label, but
    # the rest disagrees, so neither "derived" nor a huge "changed region" may be reported.
    label = cv2.resize(_photo("mei_Casio_EX_Z3.jpg"), (1024, 768))[200:520, 300:760]

    def scene(name: str, x: int, y: int) -> RGB:
        background = np.asarray(cv2.resize(_photo(name), (1024, 768)), np.uint8).copy()
        background[y : y + label.shape[0], x : x + label.shape[1]] = label
        return background

    evidence = _jpeg(scene("mei_Nikon_E900_1.jpg", 120, 90), 85)
    reference = Reference("listing 1", ReferenceKind.LISTING, scene("declan_B13.jpg", 400, 300))
    result = detect(_evidence(evidence), [reference])
    assert [f.code for f in result.findings] == ["reference_no_match"]


def test_reference_must_be_rgb_pixels() -> None:
    with pytest.raises(Invalid, match="uint8 RGB"):
        Reference("listing 1", ReferenceKind.LISTING, np.zeros((10, 10), np.uint8))


def test_no_references_means_no_findings(listing: RGB) -> None:
    result = detect(_evidence(listing), [])
    assert result.findings == []
    assert result.version.startswith("reference_match-")
