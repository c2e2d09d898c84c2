"""Fitting the logistic fusion over the detectors' signals, and choosing it against Platt."""

from __future__ import annotations

import numpy as np
import pytest

from tradeshield.errors import Invalid
from tradeshield.forensics.calibration import LogisticCalibration
from tradeshield.forensics.evaluation.fusion_choice import chosen_document
from tradeshield.forensics.evaluation.fusion_fit import fit_logistic, fusion_document
from tradeshield.forensics.evaluation.metrics import roc_auc


def _fusion_rows(count: int, seed: int = 0) -> tuple[list[dict[str, float]], list[bool]]:
    """A raw score that barely separates, a signal that does, one that points the wrong way
    and one that is missing on half the photos."""
    rng = np.random.default_rng(seed)
    labels = [bool(x) for x in rng.random(count) < 0.5]
    rows = []
    for i, y in enumerate(labels):
        row = {
            "findings": float(np.clip(0.2 + 0.05 * y + rng.normal(0, 0.1), 0, 1)),
            "pixel_model.score": float(np.clip(0.4 + 0.3 * y + rng.normal(0, 0.1), 0, 1)),
            "noise.heat_top": float(np.clip(0.6 - 0.3 * y + rng.normal(0, 0.1), 0, 1)),
            "constant.signal": 0.5,
        }
        if i % 2:
            row["jpeg_history.heat_top"] = float(np.clip(0.3 + 0.2 * y + rng.normal(0, 0.1), 0, 1))
        rows.append(row)
    return rows, labels


def test_logistic_fusion_learns_which_signals_carry_evidence() -> None:
    rows, labels = _fusion_rows(600)
    fit = fit_logistic(rows, labels)
    weights = dict(zip(fit.features, fit.weights, strict=True))
    assert "constant.signal" not in weights  # nothing to learn from
    assert weights["pixel_model.score"] > weights["findings"] >= 0
    assert weights["noise.heat_top"] == 0.0  # falls with forgery: held at zero, not inverted
    assert weights["jpeg_history.heat_top"] > 0
    document = fusion_document(rows, labels, "unit test data")
    metrics = document["metrics"]
    assert metrics["auc"] > metrics["auc_raw"]
    assert metrics["brier_after"] < metrics["brier_raw"]
    assert document["method"] == "logistic"
    assert document["version"].startswith("fusion-fit-")
    held_out, held_labels = _fusion_rows(400, seed=1)
    fitted = LogisticCalibration.model_validate(document)
    scores = [fitted.apply(row) for row in held_out]
    raw = [row["findings"] for row in held_out]
    assert roc_auc(scores, held_labels) > roc_auc(raw, held_labels) + 0.1


def test_logistic_fusion_refuses_data_where_nothing_rises_with_forgery() -> None:
    rows, labels = _fusion_rows(200)
    falling = [{"noise.heat_top": row["noise.heat_top"]} for row in rows]
    with pytest.raises(Invalid, match="rises with forgery"):
        fit_logistic(falling, labels)
    with pytest.raises(Invalid, match="varies"):
        fit_logistic([{"constant.signal": 0.5}] * 10, [True, False] * 5)
    with pytest.raises(ValueError, match="both"):
        fit_logistic(rows[:5], [True] * 5)


def test_auto_fit_keeps_the_signals_only_when_they_help_out_of_fold() -> None:
    rows, labels = _fusion_rows(300)
    helped = chosen_document(rows, labels, "signals carry evidence")
    cv = helped["metrics"]["cross_validation"]
    assert helped["method"] == "logistic"
    assert cv["logistic"]["log_loss"] < cv["platt"]["log_loss"]
    rng = np.random.default_rng(2)
    noise_only = [
        {"findings": 0.2 + 0.3 * y + float(rng.normal(0, 0.1)), "pixel_model.score": float(s)}
        for y, s in zip(labels, rng.random(len(labels)), strict=True)
    ]
    plain = chosen_document(noise_only, labels, "the signal is noise")
    assert plain["method"] == "platt"
    assert set(plain["metrics"]["cross_validation"]) == {"platt", "logistic"}
