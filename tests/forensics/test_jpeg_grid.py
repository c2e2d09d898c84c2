"""Non-aligned JPEG grids: a photo cropped off an earlier JPEG's 8x8 grid and saved again, and a
region pasted from a JPEG on another grid, found and localised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from tests.forensics.test_jpeg_history import decode, encode, textured

from tradeshield.forensics import jpeg_history
from tradeshield.forensics.findings import Finding, Strength
from tradeshield.forensics.loading import load_image

CAMERA = Path(__file__).resolve().parents[3] / "shared/datasets/forensics/real/camera"
PASTE = (576, 320, 320, 256)  # x, y, width, height


def _grid_findings(data: bytes) -> dict[str, Finding]:
    result = jpeg_history.detect(load_image(data))
    return {f.code: f for f in result.findings if f.code.startswith("jpeg_grid")}


@pytest.mark.parametrize(("first", "last", "step"), [(70, 90, 10), (85, 95, 5)])
def test_crop_off_the_grid_and_resave_is_non_aligned_double_compression(
    first: int, last: int, step: int
) -> None:
    cropped = decode(encode(textured(1024, 1536, seed=1), first))[3:, 5:]
    found = _grid_findings(encode(np.ascontiguousarray(cropped), last))
    shifted = found["jpeg_grid_shifted"]
    assert shifted.strength is Strength.WEAK
    # 3 rows and 5 columns cut off: the earlier blocks now start at row 5, column 3
    assert (shifted.details["grid_shift_rows"], shifted.details["grid_shift_columns"]) == (5, 3)
    assert shifted.details["earlier_dc_step"] == step
    assert "jpeg_grid_mismatch" not in found  # the whole photo shifted: no region stands out


def _pasted_from_shifted_jpeg(host: npt.NDArray[np.uint8]) -> bytes:
    """``host`` with a region from another picture that was a quality-70 JPEG whose grid sat
    5 rows and 3 columns off the host's, saved at quality 90."""
    donor = np.roll(textured(1024, 1536, seed=2), (5, 3), axis=(0, 1))
    donor = np.roll(decode(encode(donor, 70)), (-5, -3), axis=(0, 1))
    x, y, width, height = PASTE
    photo = host.copy()
    photo[y : y + height, x : x + width] = donor[y : y + height, x : x + width]
    return encode(photo, 90)


def test_region_pasted_from_another_grid_is_localised_in_a_camera_fresh_photo() -> None:
    data = _pasted_from_shifted_jpeg(textured(1024, 1536, seed=1))  # host never compressed
    result = jpeg_history.detect(load_image(data))
    found = {f.code: f for f in result.findings}
    assert "jpeg_double_compression_mismatch" not in found  # no aligned history to compare
    mismatch = found["jpeg_grid_mismatch"]
    assert mismatch.strength is Strength.STRONG
    assert (mismatch.details["grid_shift_rows"], mismatch.details["grid_shift_columns"]) == (3, 5)
    x, y, width, height = PASTE
    region = mismatch.region
    assert region is not None
    assert abs(region.x - x) <= 48
    assert abs(region.y - y) <= 48
    assert abs(region.width - width) <= 96
    assert abs(region.height - height) <= 96
    assert result.heatmap is not None
    inside = np.zeros(result.heatmap.shape, bool)
    inside[y : y + height, x : x + width] = True
    hot = result.heatmap > 0.5
    assert (hot & inside).sum() / (hot | inside).sum() > 0.6


def test_once_and_twice_aligned_saves_have_no_grid_finding() -> None:
    picture = textured(1024, 1536, seed=3)
    assert _grid_findings(encode(picture, 90)) == {}
    assert _grid_findings(encode(decode(encode(picture, 75)), 90)) == {}


def test_camera_originals_have_no_grid_finding() -> None:
    photos = sorted(CAMERA.glob("mei_*.jpg"))[::8] if CAMERA.is_dir() else []
    if not photos:
        pytest.skip("shared forensics dataset not present")
    flagged = [p.name for p in photos if _grid_findings(p.read_bytes())]
    assert flagged == []
