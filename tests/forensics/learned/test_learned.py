"""The shipped models on real files: a heat map of the photo's size, scores in 0..1, the same
answer twice, versions for reports, and sidecars validated at load."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tradeshield.forensics.learned import detect_generated, localise, model_versions
from tradeshield.forensics.learned.generated import generated_score, grid_crops
from tradeshield.forensics.learned.localiser import heat_and_score, top_mean
from tradeshield.forensics.learned.runtime import read_info, shipped
from tradeshield.forensics.loading import load_image

REAL = Path("../shared/datasets/forensics/real/camera/declan_B1.jpg")
GENERATED = Path("../shared/datasets/forensics/ai_generated/diffusion/sdxl_ipadapter_1.jpg")


def _rgb(path: Path) -> np.ndarray:
    return load_image(path.read_bytes()).rgb


def test_localiser_maps_a_real_photo_at_its_size() -> None:
    photo = _rgb(REAL)
    result = localise(photo)
    assert result.detector == "pixel_model"
    assert result.heatmap is not None
    assert result.heatmap.shape == photo.shape[:2]
    assert result.heatmap.dtype == np.float32
    assert 0.0 <= float(result.heatmap.min()) <= float(result.heatmap.max()) <= 1.0
    heat, score = heat_and_score(photo, shipped("localiser"))
    assert 0.0 <= score <= 1.0
    assert np.array_equal(heat, localise(photo).heatmap)  # deterministic


def test_localiser_handles_odd_and_tiny_sizes() -> None:
    photo = np.random.default_rng(1).integers(0, 256, (37, 51, 3), dtype=np.uint8)
    result = localise(photo)
    assert result.heatmap is not None
    assert result.heatmap.shape == (37, 51)


def test_generated_detector_scores_pictures_in_0_1_deterministically() -> None:
    model = shipped("generated")
    for path in (REAL, GENERATED):
        photo = _rgb(path)
        score = generated_score(photo, model)
        assert 0.0 <= score <= 1.0
        assert score == generated_score(photo, model)
        result = detect_generated(photo)
        assert result.heatmap is None
        assert all(f.reason["en"] and f.reason["zh"] for f in result.findings)


def test_grid_crops_cover_small_and_large_pictures() -> None:
    small = np.zeros((20, 300, 3), np.uint8)
    assert {c.shape for c in grid_crops(small, 128)} == {(128, 128, 3)}
    assert len(grid_crops(np.zeros((1000, 1000, 3), np.uint8), 128)) == 16


def test_versions_are_reported() -> None:
    versions = model_versions()
    assert versions["localiser"].startswith("localiser-")
    assert versions["generated"].startswith("generated-")


def test_a_broken_sidecar_fails_at_load(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"name": "m", "version": "1", "threshold": 2, "patch": 64}))
    with pytest.raises(ValueError, match="invalid model description"):
        read_info(path)


def test_sidecar_stride_and_top_share_default_and_are_checked(tmp_path: Path) -> None:
    base = {"name": "m", "version": "1", "threshold": 0.5, "patch": 64, "max_side": 256}
    path = tmp_path / "m.json"
    path.write_text(json.dumps(base))
    info = read_info(path)
    assert (info.stride, info.top_share) == (8, 0.01)  # sidecars of version-1 models
    path.write_text(json.dumps({**base, "stride": 3}))
    with pytest.raises(ValueError, match="stride or top_share"):
        read_info(path)
    path.write_text(json.dumps({**base, "stride": 4, "top_share": 0.0}))
    with pytest.raises(ValueError, match="stride or top_share"):
        read_info(path)


def test_image_score_is_the_mean_of_the_hottest_cells() -> None:
    cells = np.zeros((20, 20), np.float32)
    cells[:2, :4] = 1.0  # 8 hot cells out of 400
    assert top_mean(cells, 0.02) == pytest.approx(1.0)
    assert top_mean(cells, 0.04) == pytest.approx(0.5)
    assert top_mean(cells[:1, :2], 0.5) == pytest.approx(1.0)  # never more cells than exist
