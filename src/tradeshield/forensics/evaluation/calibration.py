"""Fitting the engine's fusion on labelled photos that no reported evaluation uses.

Two kinds (see `tradeshield.forensics.calibration`): Platt scaling of the raw fused score,
p = 1 / (1 + exp(-(a * score + b))), and a logistic model over the fusion features (the raw
score and the detectors' signals), standardised, L2-penalised and with weights held at zero
or above, so the fitted fusion can only add evidence up, never turn it into a reason for
trust. Both by maximum likelihood."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from tradeshield.errors import Invalid
from tradeshield.forensics.calibration import FINDINGS_FEATURE
from tradeshield.forensics.evaluation.metrics import roc_auc

Floats = npt.NDArray[np.float64]


def sigmoid(x: Floats) -> Floats:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40.0, 40.0)))


def fit_platt(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """(a, b) by Newton's method on the log-loss, with Platt's smoothed targets
    ((n+ + 1) / (n+ + 2) and 1 / (n- + 2)) so separable data does not run off to infinity."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    if s.size < 2 or y.all() or not y.any():
        raise ValueError("calibration needs both edited and real photos")
    positives, negatives = int(y.sum()), int((~y).sum())
    target = np.where(y, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    design = np.stack([s, np.ones_like(s)], axis=1)
    params = np.array([0.0, float(np.log((positives + 1) / (negatives + 1)))])
    for _ in range(100):
        p = sigmoid(design @ params)
        gradient = design.T @ (p - target)
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        params -= step
        if np.abs(step).max() < 1e-10:
            break
    return float(params[0]), float(params[1])


def brier(probabilities: Sequence[float] | Floats, labels: Sequence[bool]) -> float:
    p = np.asarray(probabilities, dtype=np.float64)
    return float(np.mean((p - np.asarray(labels, dtype=np.float64)) ** 2))


def calibration_document(
    scores: Sequence[float], labels: Sequence[bool], fitted_on: str, today: dt.date | None = None
) -> dict[str, Any]:
    """The calibration file's content; its version hashes the data it was fitted on."""
    a, b = fit_platt(scores, labels)
    if a <= 0:
        # A falling curve would turn more evidence into a lower probability: refuse to ship it.
        raise Invalid(
            f"the fused score does not rise with forgery on this data (Platt slope {a:.3f}); "
            "fix the detectors or the data rather than invert the score"
        )
    after = sigmoid(a * np.asarray(scores, dtype=np.float64) + b)
    digest = hashlib.sha256(
        json.dumps([[round(s, 6), bool(y)] for s, y in zip(scores, labels, strict=True)]).encode()
    ).hexdigest()[:10]
    day = (today or dt.datetime.now(dt.UTC).date()).strftime("%Y%m%d")
    return {
        "version": f"calibration-{day}-{digest}",
        "method": "platt",
        "a": round(a, 6),
        "b": round(b, 6),
        "fitted_on": fitted_on,
        "metrics": {
            "auc": round(roc_auc(scores, labels), 6),
            "brier_before": round(brier(scores, labels), 6),
            "brier_after": round(brier(after, labels), 6),
            "n": len(scores),
            "n_positive": int(sum(bool(y) for y in labels)),
        },
    }


L2_PENALTY = 1.0  # on standardised weights; ~700 photos make it a light touch
_MIN_SPREAD = 1e-6  # a feature that never varies on the data carries nothing to fit


@dataclass(frozen=True, slots=True)
class LogisticFit:
    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float

    def logits(self, matrix: Floats) -> Floats:
        standard = (matrix - np.asarray(self.mean)) / np.asarray(self.scale)
        result: Floats = standard @ np.asarray(self.weights) + self.bias
        return result


def feature_matrix(rows: Sequence[Mapping[str, float]], names: Sequence[str]) -> Floats:
    """Rows of fusion features as a matrix; a feature a photo lacks is 0 (no evidence)."""
    return np.asarray([[row.get(name, 0.0) for name in names] for row in rows], dtype=np.float64)


def fit_logistic(rows: Sequence[Mapping[str, float]], labels: Sequence[bool]) -> LogisticFit:
    """Non-negative, L2-penalised logistic regression over every feature that varies."""
    y = np.asarray(labels, dtype=np.float64)
    if len(rows) < 2 or y.all() or not y.any():
        raise ValueError("calibration needs both edited and real photos")
    names = sorted({name for row in rows for name in row})
    matrix = feature_matrix(rows, names)
    spread = matrix.std(axis=0)
    keep = [i for i, value in enumerate(spread) if value > _MIN_SPREAD]
    if not keep:
        raise Invalid("no fusion feature varies on this data: nothing to fit")
    names = [names[i] for i in keep]
    mean, scale = matrix[:, keep].mean(axis=0), spread[keep]
    standard = (matrix[:, keep] - mean) / scale

    def loss(params: Floats) -> tuple[float, Floats]:
        weights, bias = params[:-1], params[-1]
        logits = standard @ weights + bias
        value = (
            np.sum(np.logaddexp(0.0, logits) - y * logits) + 0.5 * L2_PENALTY * weights @ weights
        )
        residual = sigmoid(logits) - y
        gradient = np.append(standard.T @ residual + L2_PENALTY * weights, residual.sum())
        return float(value), gradient

    bounds = [(0.0, None)] * len(names) + [(None, None)]
    start = np.zeros(len(names) + 1)
    solved = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    weights = [round(float(w), 6) for w in solved.x[:-1]]
    if not any(weights):
        raise Invalid(
            "no fusion feature rises with forgery on this data (every fitted weight is 0); "
            "fix the detectors or the data rather than ship a constant score"
        )
    return LogisticFit(
        features=names,
        mean=[round(float(m), 6) for m in mean],
        scale=[round(float(s), 6) for s in scale],
        weights=weights,
        bias=round(float(solved.x[-1]), 6),
    )


def fusion_document(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[bool],
    fitted_on: str,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The calibration file's content for a logistic fusion over the features in ``rows``."""
    fit = fit_logistic(rows, labels)
    raw = [row.get(FINDINGS_FEATURE, 0.0) for row in rows]
    after = sigmoid(fit.logits(feature_matrix(rows, fit.features)))
    digest = hashlib.sha256(
        json.dumps(
            [[sorted(row.items()), bool(y)] for row, y in zip(rows, labels, strict=True)]
        ).encode()
    ).hexdigest()[:10]
    day = (today or dt.datetime.now(dt.UTC).date()).strftime("%Y%m%d")
    return {
        "version": f"fusion-fit-{day}-{digest}",
        "method": "logistic",
        "features": fit.features,
        "mean": fit.mean,
        "scale": fit.scale,
        "weights": fit.weights,
        "bias": fit.bias,
        "fitted_on": fitted_on,
        "metrics": {
            "auc": round(roc_auc(after.tolist(), labels), 6),
            "auc_raw": round(roc_auc(raw, labels), 6),
            "brier_raw": round(brier(raw, labels), 6),
            "brier_after": round(brier(after, labels), 6),
            "n": len(rows),
            "n_positive": int(sum(bool(y) for y in labels)),
        },
    }


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


def write(document: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
