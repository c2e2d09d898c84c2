"""Noise inconsistency: an area smoothed or filled in lacks the grain of the rest of the
photo, and the detector says where."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageFilter

from tradeshield.forensics import noise
from tradeshield.forensics.findings import DetectorResult, Region, Strength
from tradeshield.forensics.loading import load_image

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "forensics"


def blur_rectangle(photo: Image.Image, box: tuple[int, int, int, int]) -> bytes:
    """The photo with ``box`` (x, y, w, h) replaced by a smooth blurred patch, saved at 92."""
    x, y, width, height = box
    patch = photo.crop((x, y, x + width, y + height)).filter(ImageFilter.GaussianBlur(4))
    edited = photo.copy()
    edited.paste(patch, (x, y))
    out = io.BytesIO()
    edited.save(out, "JPEG", quality=92)
    return out.getvalue()


def grainy(height: int, width: int, sigma: float) -> Image.Image:
    rng = np.random.default_rng(9)
    rows, cols = np.mgrid[:height, :width]
    shade = 60 + 120 * (cols / width) + 20 * np.sin(rows / 40.0)
    pixels = shade[:, :, None] + rng.normal(0, sigma, (height, width, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def iou(region: Region, box: tuple[int, int, int, int]) -> float:
    x, y, width, height = box
    across = max(0, min(region.x + region.width, x + width) - max(region.x, x))
    down = max(0, min(region.y + region.height, y + height) - max(region.y, y))
    overlap = across * down
    return overlap / (region.width * region.height + width * height - overlap)


def regions(result: DetectorResult) -> list[Region]:
    return [f.region for f in result.findings if f.region is not None]


def heat_inside(result: DetectorResult, box: tuple[int, int, int, int]) -> npt.NDArray[np.bool_]:
    assert result.heatmap is not None
    x, y, width, height = box
    mask = np.zeros(result.heatmap.shape, dtype=bool)
    mask[y : y + height, x : x + width] = True
    return mask


def test_blurred_patch_in_a_camera_photo_is_found() -> None:
    path = DATASET / "real" / "camera" / "mei_HTC_One.jpg"
    if not path.is_file():
        pytest.skip("shared forensics dataset not present")
    photo = Image.open(path).convert("RGB")
    box = (photo.width // 3, photo.height // 3, photo.width // 5, photo.height // 5)
    result = noise.detect(load_image(blur_rectangle(photo, box)))
    finding = next(f for f in result.findings if f.code == "noise_missing")
    assert finding.region is not None
    assert iou(finding.region, box) > 0.5  # measured 0.93
    assert finding.details["noise_ratio"] < 0.3
    mask = heat_inside(result, box)
    assert result.heatmap is not None
    assert result.heatmap[mask].mean() > 3 * result.heatmap[~mask].mean()


def test_untouched_camera_photo_has_no_noise_finding() -> None:
    path = DATASET / "real" / "camera" / "mei_HTC_One.jpg"
    if not path.is_file():
        pytest.skip("shared forensics dataset not present")
    result = noise.detect(load_image(path.read_bytes()))
    assert [f for f in result.findings if f.strength is not Strength.INFO] == []


def test_smoothed_rectangle_in_a_grainy_picture_is_found() -> None:
    photo = grainy(768, 1024, sigma=4.0)
    box = (400, 300, 240, 180)
    result = noise.detect(load_image(blur_rectangle(photo, box)))
    found = regions(result)
    assert found
    assert iou(found[0], box) > 0.5
    assert result.findings[0].code == "noise_missing"  # after q92 the grain left is ~1 level


def test_evenly_grainy_picture_has_no_finding() -> None:
    out = io.BytesIO()
    grainy(768, 1024, sigma=4.0).save(out, "JPEG", quality=92)
    result = noise.detect(load_image(out.getvalue()))
    assert result.findings == []


def test_grainless_picture_is_not_judged() -> None:
    out = io.BytesIO()
    grainy(512, 512, sigma=0.0).save(out, "PNG")
    result = noise.detect(load_image(out.getvalue()))
    assert [f.code for f in result.findings] == ["noise_not_measurable"]
    assert result.heatmap is None


def test_tiny_picture_is_not_judged() -> None:
    out = io.BytesIO()
    grainy(64, 64, sigma=4.0).save(out, "PNG")
    result = noise.detect(load_image(out.getvalue()))
    assert [f.code for f in result.findings] == ["noise_too_small"]
