"""The logistic fusion: a model over the fusion features (the raw fused score and the
detectors' signals), standardised, L2-penalised and with weights held at zero or above, so the
fitted fusion can only add evidence up, never turn it into a reason for trust. Fitted by
maximum likelihood on labelled photos that no reported evaluation uses."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize

from tradeshield.errors import Invalid
from tradeshield.forensics.calibration import FINDINGS_FEATURE
from tradeshield.forensics.evaluation.calibration import Floats, brier, sigmoid
from tradeshield.forensics.evaluation.metrics import roc_auc

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
