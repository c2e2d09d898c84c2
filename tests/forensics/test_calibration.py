"""The fitted fusion: an optional Platt curve on the raw fused score or a logistic model over
the fusion features maps them to a probability; without the file the raw score stays and the
versions say so."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from tradeshield.forensics.analysis import fuse
from tradeshield.forensics.calibration import load_calibration
from tradeshield.forensics.findings import DetectorResult, Finding, Strength
from tradeshield.forensics.fusion import fused_score, load_policy
from tradeshield.forensics.loading import LoadedImage


def _finding(detector: str, strength: Strength, score: float = 1.0) -> Finding:
    reason = {"code": "test", "zh": "测试", "en": "test"}
    return Finding(detector=detector, code="test", strength=strength, score=score, reason=reason)


def _write(tmp_path: Path, **fields: object) -> Path:
    body = {"version": "platt-test-1", "method": "platt", "a": 6.0, "b": -3.0}
    body.update({"fitted_on": "test split", "metrics": {"brier": 0.1}})
    body.update(fields)
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def _results(*, signal: float | None = None) -> list[DetectorResult]:
    noise = DetectorResult("noise", "noise-test", [_finding("noise", Strength.MODERATE, 0.5)])
    signals = {} if signal is None else {"score": signal}
    return [noise, DetectorResult("pixel_model", "model-test", [], None, signals)]


def _write_logistic(tmp_path: Path, **fields: object) -> Path:
    body: dict[str, object] = {
        "version": "fusion-test-1",
        "method": "logistic",
        "features": ["findings", "pixel_model.score"],
        "mean": [0.1, 0.5],
        "scale": [0.2, 0.25],
        "weights": [1.5, 2.0],
        "bias": -0.5,
        "fitted_on": "test split",
    }
    body.update(fields)
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_without_the_file_the_raw_score_stays(tmp_path: Path) -> None:
    fused = fused_score(_results(signal=0.9), load_policy(), tmp_path / "absent.json")
    assert fused.score == fused.raw == pytest.approx(0.225)
    assert fused.calibration == "none"
    assert fused.features == {"findings": 0.225, "pixel_model.score": 0.9}
    assert fused.contributions == {}


def test_platt_curve_maps_the_raw_score(tmp_path: Path) -> None:
    path = _write(tmp_path)
    fused = fused_score(_results(signal=0.9), load_policy(), path)
    expected = 1 / (1 + math.exp(-(6.0 * 0.225 - 3.0)))
    assert fused.score == pytest.approx(expected, abs=1e-4)
    assert fused.raw == pytest.approx(0.225)
    assert fused.calibration == "platt-test-1"


def test_logistic_fusion_weighs_a_signal_below_the_detectors_threshold(tmp_path: Path) -> None:
    path = _write_logistic(tmp_path)
    quiet, loud = (fused_score(_results(signal=s), load_policy(), path) for s in (0.2, 0.9))
    # same findings, so the same raw score and verdict input; only the signal differs
    assert quiet.raw == loud.raw == pytest.approx(0.225)
    logit = -0.5 + 1.5 * (0.225 - 0.1) / 0.2 + 2.0 * (0.9 - 0.5) / 0.25
    assert loud.score == pytest.approx(1 / (1 + math.exp(-logit)), abs=1e-4)
    assert loud.score > quiet.score
    assert loud.contributions == {"findings": 0.9375, "pixel_model.score": 3.2}
    assert loud.calibration == "fusion-test-1"


def test_a_missing_signal_counts_as_no_evidence(tmp_path: Path) -> None:
    path = _write_logistic(tmp_path)
    absent = fused_score(_results(), load_policy(), path)
    zero = fused_score(_results(signal=0.0), load_policy(), path)
    assert absent.score == zero.score


def test_extreme_logits_do_not_overflow(tmp_path: Path) -> None:
    calibration = load_calibration(_write(tmp_path, a=1e6, b=-5e5))
    assert calibration is not None
    assert calibration.apply({"findings": 0.0}) == 0.0
    assert calibration.apply({"findings": 1.0}) == 1.0


@pytest.mark.parametrize(
    "broken", [{"method": "isotonic"}, {"a": "steep"}, {"version": ""}, {"b": float("nan")}]
)
def test_a_malformed_file_is_an_error_not_ignored(
    tmp_path: Path, broken: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match="not a valid calibration"):
        load_calibration(_write(tmp_path, **broken))


@pytest.mark.parametrize(
    "broken",
    [
        {"weights": [1.0, -0.5]},  # a negative weight would turn evidence into trust
        {"mean": [0.1]},
        {"scale": [0.2, 0.0]},
        {"features": ["findings", "findings"]},
        {"features": []},
    ],
)
def test_a_malformed_logistic_fusion_is_an_error(tmp_path: Path, broken: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="not a valid calibration"):
        load_calibration(_write_logistic(tmp_path, **broken))


def test_a_rewritten_file_is_read_again(tmp_path: Path) -> None:
    path = _write(tmp_path)
    assert load_calibration(path) is not None
    _write(tmp_path, version="platt-test-20")  # another size: a new stamp even on coarse clocks
    calibration = load_calibration(path)
    assert calibration is not None
    assert calibration.version == "platt-test-20"


def test_report_records_the_calibration_version() -> None:
    image = LoadedImage(rgb=np.zeros((8, 8, 3), np.uint8), source=b"", format="PNG")
    result = DetectorResult("noise", "noise-test", [_finding("noise", Strength.WEAK)])
    report = fuse(image, [result])
    current = load_calibration()
    assert report.versions["calibration"] == (current.version if current else "none")
    body = report.to_dict()
    assert body["raw_score"] == pytest.approx(0.2)
    assert body["fusion"]["features"]["findings"] == pytest.approx(0.2)
    if current is None:
        assert report.score == report.raw_score
