"""Metrics against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tradeshield.errors import Invalid
from tradeshield.forensics.evaluation.calibration import brier, calibration_document, fit_platt
from tradeshield.forensics.evaluation.metrics import (
    balanced_accuracy,
    balanced_accuracy_of_flags,
    f1,
    iou,
    pixel_counts,
    pixel_scores,
    roc_auc,
    roc_curve,
    tpr_at_fpr,
)

# 4 negatives, 3 positives
SCORES = [0.85, 0.2, 0.1, 0.05, 0.9, 0.8, 0.3]
LABELS = [0, 0, 0, 0, 1, 1, 1]


def test_auc_counts_pairs_and_half_ties() -> None:
    # positives beat negatives in 10 of 12 pairs (0.8 and 0.3 lose to 0.85)
    assert roc_auc(SCORES, LABELS) == pytest.approx(10 / 12)
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == pytest.approx(0.75)
    assert roc_auc([0.5, 0.5], [0, 1]) == pytest.approx(0.5)
    assert math.isnan(roc_auc([0.1, 0.2], [1, 1]))


def test_tpr_at_fpr_takes_the_best_allowed_threshold() -> None:
    assert tpr_at_fpr(SCORES, LABELS, 0.01) == pytest.approx(1 / 3)  # only 0.9 above 0.85
    assert tpr_at_fpr(SCORES, LABELS, 0.25) == pytest.approx(1.0)  # flag >= 0.3: one FP
    fpr, tpr, _ = roc_curve(SCORES, LABELS)
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0, 0, 1, 1)


def test_balanced_accuracy_at_a_threshold() -> None:
    # at 0.5: 2 of 3 positives flagged, 3 of 4 negatives passed
    assert balanced_accuracy(SCORES, LABELS, 0.5) == pytest.approx((2 / 3 + 3 / 4) / 2)
    # verdict-style decisions: 1 of 2 positives flagged, 1 of 2 negatives flagged
    assert balanced_accuracy_of_flags([1, 0, 1, 0], [1, 1, 0, 0]) == pytest.approx(0.5)
    assert balanced_accuracy_of_flags([1, 1, 0, 0], [1, 1, 0, 0]) == pytest.approx(1.0)


def test_pixel_f1_iou_and_oracle() -> None:
    heat = np.array([[0.9, 0.6, 0.1], [0.4, 0.2, 0.7]], dtype=np.float32)
    mask = np.array([[1, 1, 0], [1, 0, 0]], dtype=bool)
    # at 0.5: marked {0.9, 0.6, 0.7} -> tp 2, fp 1, fn 1
    assert pixel_counts(heat, mask, [0.5]).tolist() == [[2, 1, 1]]
    scores = pixel_scores(heat, mask, 0.5)
    assert scores["f1"] == pytest.approx(4 / 6)
    assert scores["iou"] == pytest.approx(2 / 4)
    # at 0.35 .. 0.4: marked {0.9, 0.6, 0.4, 0.7} -> tp 3, fp 1 -> F1 6/7
    assert scores["f1_oracle"] == pytest.approx(6 / 7)
    assert f1(0, 0, 0) == 1.0
    assert iou(0, 3, 1) == 0.0


def test_platt_scaling_improves_a_miscalibrated_score() -> None:
    rng = np.random.default_rng(0)
    labels = [bool(x) for x in rng.random(400) < 0.5]
    scores = [float(0.3 + 0.2 * y + rng.normal(0, 0.05)) for y in labels]
    a, _b = fit_platt(scores, labels)
    assert a > 0
    document = calibration_document(scores, labels, "unit test data")
    metrics = document["metrics"]
    assert metrics["brier_after"] < metrics["brier_before"]
    assert metrics["n"] == 400
    assert document["method"] == "platt"
    assert document["version"].startswith("calibration-")
    assert brier([1.0, 0.0], [True, False]) == 0.0
    with pytest.raises(ValueError, match="both"):
        fit_platt([0.1, 0.2], [True, True])


def test_calibration_refuses_a_score_that_falls_as_forgery_rises() -> None:
    scores = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1] * 5
    labels = [False, False, False, True, True, True] * 5
    with pytest.raises(Invalid, match="does not rise"):
        calibration_document(scores, labels, "inverted data")
