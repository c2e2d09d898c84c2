"""Choosing the kind of fusion to ship: Platt on the raw score or the logistic fusion over the
signals, whichever predicts photos it was not fitted on better (5-fold cross-validation on the
fitting data; the evaluation sets are never consulted)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from tradeshield.forensics.calibration import FINDINGS_FEATURE
from tradeshield.forensics.evaluation.calibration import (
    Floats,
    calibration_document,
    fit_platt,
    sigmoid,
)
from tradeshield.forensics.evaluation.fusion_fit import (
    feature_matrix,
    fit_logistic,
    fusion_document,
)
from tradeshield.forensics.evaluation.metrics import roc_auc

CV_FOLDS = 5
METHODS = ("platt", "logistic")


def log_loss(probabilities: Floats, labels: Sequence[bool]) -> float:
    p = np.clip(probabilities, 1e-6, 1 - 1e-6)
    y = np.asarray(labels, dtype=np.float64)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _out_of_fold(
    rows: Sequence[Mapping[str, float]], labels: Sequence[bool], method: str
) -> Floats:
    """Each photo's probability from the method fitted on the other folds (fixed folds)."""
    order = np.random.default_rng(0).permutation(len(rows))
    folds = np.empty(len(rows), dtype=np.int64)
    folds[order] = np.arange(len(rows)) % CV_FOLDS
    held = np.zeros(len(rows))
    for fold in range(CV_FOLDS):
        train = [i for i in range(len(rows)) if folds[i] != fold]
        test = [i for i in range(len(rows)) if folds[i] == fold]
        fit_rows, fit_labels = [rows[i] for i in train], [labels[i] for i in train]
        if method == "platt":
            a, b = fit_platt([r.get(FINDINGS_FEATURE, 0.0) for r in fit_rows], fit_labels)
            raw = np.asarray([rows[i].get(FINDINGS_FEATURE, 0.0) for i in test])
            held[test] = sigmoid(a * raw + b)
        else:
            fit = fit_logistic(fit_rows, fit_labels)
            held[test] = sigmoid(fit.logits(feature_matrix([rows[i] for i in test], fit.features)))
    return held


def cross_validation(
    rows: Sequence[Mapping[str, float]], labels: Sequence[bool]
) -> dict[str, dict[str, float]]:
    """Out-of-fold log-loss and AUC of each kind of fusion on the fitting data."""
    scores = {}
    for method in METHODS:
        held = _out_of_fold(rows, labels, method)
        scores[method] = {
            "log_loss": round(log_loss(held, labels), 6),
            "auc": round(roc_auc(held.tolist(), labels), 6),
        }
    return scores


def chosen_document(
    rows: Sequence[Mapping[str, float]], labels: Sequence[bool], fitted_on: str
) -> dict[str, Any]:
    """The kind of fusion with the lower out-of-fold log-loss, fitted on all the data; the
    file records both kinds' cross-validated figures."""
    scores = cross_validation(rows, labels)
    method = min(METHODS, key=lambda name: scores[name]["log_loss"])
    if method == "platt":
        raw = [row.get(FINDINGS_FEATURE, 0.0) for row in rows]
        document = calibration_document(raw, labels, fitted_on)
    else:
        document = fusion_document(rows, labels, fitted_on)
    document["metrics"]["cross_validation"] = scores
    return document
