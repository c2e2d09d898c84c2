"""Platt scaling of the engine's raw fused score, p = 1 / (1 + exp(-(a * score + b))), fitted
by maximum likelihood on labelled photos that no reported evaluation uses; the logistic
fusion over the detectors' signals is in `fusion_fit`, the choice between them in
`fusion_choice`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tradeshield.errors import Invalid
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


def write(document: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
