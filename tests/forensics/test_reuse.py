"""Reuse: copies of a photo keep their fingerprint, unrelated photos do not share one, the
index finds exactly what a brute-force scan finds, and hits become fair findings."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from tradeshield.forensics.findings import Strength
from tradeshield.forensics.loading import LoadedImage
from tradeshield.forensics.reuse import (
    DEFAULT_MAX_DISTANCE,
    PhotoFingerprint,
    PhotoIndex,
    ReuseHit,
    ReuseSource,
    detect,
    fingerprint,
    fingerprint_pixels,
)

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "forensics"
REAL = DATASET / "real"

RGB = npt.NDArray[np.uint8]

needs_dataset = pytest.mark.skipif(not REAL.is_dir(), reason="shared forensics dataset absent")


def _load(path: Path, draft: bool = False) -> RGB:
    with Image.open(path) as image:
        if draft:
            image.draft("RGB", (512, 512))  # JPEG DCT scaling: decodes big photos fast
        return np.asarray(image.convert("RGB"))


def _jpeg(rgb: RGB, quality: int) -> RGB:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


def _copies(rgb: RGB) -> dict[str, RGB]:
    height, width = rgb.shape[:2]
    margin_y, margin_x = int(height * 0.015), int(width * 0.015)
    return {
        "jpeg quality 50": _jpeg(rgb, 50),
        "resized to 30 %": cv2.resize(
            rgb, (width * 3 // 10, height * 3 // 10), interpolation=cv2.INTER_AREA
        ),
        "cropped 1.5 % each side": rgb[margin_y:-margin_y, margin_x:-margin_x],
        "warmer and brighter": np.clip(rgb * np.array([1.1, 1.0, 0.9]) + 12, 0, 255).astype(
            np.uint8
        ),
        "white frame": cv2.copyMakeBorder(
            rgb,
            margin_y * 2,
            margin_y * 2,
            margin_x * 2,
            margin_x * 2,
            cv2.BORDER_CONSTANT,
            value=(255, 255, 255),
        ),
    }


@needs_dataset
@pytest.mark.parametrize(
    "name", ["mei_Canon_PowerShot_S40_2.jpg", "mei_HTC_One.jpg", "declan_B7.jpg"]
)
def test_copies_of_a_photo_stay_within_the_default_distance(name: str) -> None:
    original = _load(REAL / "camera" / name)
    reference = fingerprint_pixels(original)
    for change, copy in _copies(original).items():
        distance = reference.distance(fingerprint_pixels(np.ascontiguousarray(copy)))
        assert distance <= DEFAULT_MAX_DISTANCE, change


@needs_dataset
def test_unrelated_real_photos_rarely_share_a_fingerprint() -> None:
    paths = sorted((REAL / "camera").glob("*.jpg")) + sorted((REAL / "coco").glob("*.png"))
    prints = [fingerprint_pixels(_load(p, draft=True)) for p in paths]
    phashes = np.array([p.phash for p in prints], np.uint64)
    dhashes = np.array([p.dhash for p in prints], np.uint64)
    first, second = np.triu_indices(len(prints), 1)
    distance = np.maximum(
        np.bitwise_count(phashes[first] ^ phashes[second]),
        np.bitwise_count(dhashes[first] ^ dhashes[second]),
    )
    false_hits = int((distance <= DEFAULT_MAX_DISTANCE).sum())
    # Measured: 0 of 7,381 pairs here (0 of 51,681 over all 322 real photos at distance 8,
    # 1 at 10; see bench/bench_forensics_matching.py).
    assert false_hits / first.size < 1e-3
    assert float(np.median(distance)) > 20


def test_fingerprint_reads_a_loaded_image() -> None:
    rng = np.random.default_rng(3)
    noise = rng.integers(0, 255, (300, 400, 3), dtype=np.uint8)
    rgb = np.asarray(cv2.GaussianBlur(noise, (0, 0), 5), np.uint8)
    loaded = LoadedImage(rgb=rgb, source=b"", format="PNG")
    assert fingerprint(loaded) == fingerprint_pixels(rgb)


def _random_prints(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    high = rng.integers(0, 2**32, count, dtype=np.uint64) << np.uint64(32)
    phashes = high | rng.integers(0, 2**32, count, dtype=np.uint64)
    dhashes = (rng.integers(0, 2**32, count, dtype=np.uint64) << np.uint64(32)) | rng.integers(
        0, 2**32, count, dtype=np.uint64
    )
    return phashes, dhashes


def _flip(value: int, bits: np.ndarray) -> int:
    for bit in bits:
        value ^= 1 << int(bit)
    return value


def test_index_returns_exactly_what_a_full_scan_returns() -> None:
    rng = np.random.default_rng(11)
    phashes, dhashes = _random_prints(rng, 20_000)
    index = PhotoIndex()
    index.add_many(np.arange(20_000, dtype=np.int64), phashes, dhashes)
    for round_ in range(40):
        target = int(rng.integers(0, 20_000))
        flips = int(rng.integers(0, 14))
        query = PhotoFingerprint(
            _flip(int(phashes[target]), rng.choice(64, flips, replace=False)),
            _flip(int(dhashes[target]), rng.choice(64, flips // 2, replace=False)),
        )
        max_distance = 4 + round_ % 12
        expected = sorted(
            (i, query.distance(PhotoFingerprint(int(p), int(d))))
            for i, (p, d) in enumerate(zip(phashes, dhashes, strict=True))
            if query.distance(PhotoFingerprint(int(p), int(d))) <= max_distance
        )
        assert sorted(index.query(query, max_distance)) == expected


def test_photos_added_one_by_one_are_found_before_and_after_saving() -> None:
    index = PhotoIndex()
    rng = np.random.default_rng(5)
    phashes, dhashes = _random_prints(rng, 1000)
    for photo_id, (p, d) in enumerate(zip(phashes, dhashes, strict=True)):
        index.add(photo_id + 100, PhotoFingerprint(int(p), int(d)))
    near = PhotoFingerprint(int(phashes[7]) ^ 0b101, int(dhashes[7]))
    assert index.query(near, 4)[0] == (107, 2)

    restored = PhotoIndex.from_arrays(index.to_arrays())
    assert len(restored) == 1000
    assert restored.query(near, 4) == index.query(near, 4)
    assert restored.query(near, 1) == []


def test_query_refuses_a_distance_the_index_cannot_guarantee() -> None:
    with pytest.raises(ValueError, match="max_distance"):
        PhotoIndex().query(PhotoFingerprint(0, 0), 64)


def _image() -> LoadedImage:
    return LoadedImage(rgb=np.zeros((40, 60, 3), np.uint8), source=b"", format="JPEG")


def test_photo_from_another_buyers_case_is_strong() -> None:
    hit = ReuseHit(photo_id=9, distance=1, source=ReuseSource.OTHER_BUYER_CASE, source_id="C-77")
    result = detect(_image(), [hit])
    (finding,) = result.findings
    assert (finding.code, finding.strength) == ("reused_photo", Strength.STRONG)
    assert "C-77" in finding.reason["en"]
    assert "C-77" in finding.reason["zh"]
    assert finding.region is not None
    assert finding.region.width == 60


def test_near_copy_weighs_less_until_confirmed() -> None:
    near = ReuseHit(photo_id=3, distance=9, source=ReuseSource.REVIEW, source_id="R-1")
    assert detect(_image(), [near]).findings[0].strength is Strength.MODERATE
    confirmed = ReuseHit(3, 9, ReuseSource.REVIEW, "R-1", confirmed=True)
    assert detect(_image(), [confirmed]).findings[0].strength is Strength.STRONG


def test_one_finding_per_source_from_its_nearest_hit() -> None:
    hits = [
        ReuseHit(1, 8, ReuseSource.SAME_BUYER_CASE, "C-1"),
        ReuseHit(2, 0, ReuseSource.SAME_BUYER_CASE, "C-2"),
        ReuseHit(3, 0, ReuseSource.SAME_CASE),
    ]
    findings = {f.details["source"]: f for f in detect(_image(), hits).findings}
    assert findings["same_buyer"].strength is Strength.MODERATE
    assert findings["same_buyer"].details["source_id"] == "C-2"
    assert findings["same_buyer"].details["sightings"] == 2
    assert findings["same_case"].strength is Strength.INFO


def test_no_hits_no_findings() -> None:
    assert detect(_image(), []).findings == []


def test_every_matching_reason_has_chinese_and_english_text() -> None:
    from tradeshield.forensics.reference_match import ReferenceKind
    from tradeshield.i18n.catalog import Locale, messages

    codes = [f"reused_photo_{source.value}" for source in ReuseSource]
    codes += [f"reference_changed_region_{kind.value}" for kind in ReferenceKind]
    codes += [f"derived_from_reference_{kind.value}" for kind in ReferenceKind]
    codes += ["reference_no_match", "visible_ai_label", "generator_watermark"]
    for locale in Locale:
        catalogue = messages(locale, "forensics_matching")
        missing = [code for code in codes if f"reason.{code}" not in catalogue]
        assert missing == [], locale
