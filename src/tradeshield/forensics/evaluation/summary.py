"""Turning per-photo results into the yardstick's tables: overall and broken down by edit
kind, laundering and source folder, one column set per method."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from tradeshield.forensics.evaluation.metrics import (
    balanced_accuracy_of_flags,
    roc_auc,
    tpr_at_fpr,
)
from tradeshield.forensics.evaluation.runner import BASELINE_THRESHOLD, ENGINE, Scored
from tradeshield.forensics.fusion import load_policy


def thresholds(methods: Sequence[str]) -> dict[str, float]:
    """The operating point per method, for the record: the engine flags a photo when its
    verdict is not `no_evidence` (policy `suspicious_score` or any strong finding)."""
    shipped = load_policy().suspicious_score
    return {m: shipped if m == ENGINE else BASELINE_THRESHOLD for m in methods}


def _clean(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


def _pixel_means(rows: Sequence[Scored], method: str) -> dict[str, float | int | None]:
    found = [row.pixel[method] for row in rows if method in row.pixel]
    if not found:
        return {"f1": None, "iou": None, "f1_oracle": None, "n_masks": 0}
    means: dict[str, float | int | None] = {
        key: round(float(np.mean([p[key] for p in found])), 4) for key in ("f1", "iou", "f1_oracle")
    }
    return means | {"n_masks": len(found)}


def image_metrics(
    positives: Sequence[Scored], negatives: Sequence[Scored], method: str
) -> dict[str, Any]:
    rows = [*positives, *negatives]
    scores = [row.scores[method] for row in rows]
    labels = [row.item.positive for row in rows]
    flags = [row.flagged[method] for row in rows]
    false_alarms = [row.flagged[method] for row in negatives]
    return {
        "auc": _clean(roc_auc(scores, labels)),
        "tpr_at_1pct_fpr": _clean(tpr_at_fpr(scores, labels, 0.01)),
        "tpr_at_5pct_fpr": _clean(tpr_at_fpr(scores, labels, 0.05)),
        "balanced_accuracy": _clean(balanced_accuracy_of_flags(flags, labels)),
        "false_positive_rate": round(float(np.mean(false_alarms)), 4) if false_alarms else None,
        # how well the score reads as a probability (the engine's is calibrated; 0.25 = coin)
        "brier": round(float(np.mean((np.array(scores) - np.array(labels)) ** 2)), 4),
        "n_positive": len(positives),
        "n_negative": len(negatives),
    }


def _block(
    positives: Sequence[Scored], negatives: Sequence[Scored], cuts: dict[str, float]
) -> dict[str, Any]:
    return {
        method: image_metrics(positives, negatives, method) | _pixel_means(positives, method)
        for method in cuts
    }


def _breakdown(
    rows: Sequence[Scored], key: Callable[[Scored], str], cuts: dict[str, float], paired: bool
) -> dict[str, Any]:
    """Per value of ``key``: its positives against its own negatives when ``paired`` and it
    has some, otherwise against every negative of the run (said in ``"against"``)."""
    every_negative = [row for row in rows if not row.item.positive]
    out: dict[str, Any] = {}
    for value in sorted({key(row) for row in rows if paired or row.item.positive}):
        members = [row for row in rows if key(row) == value]
        positives = [row for row in members if row.item.positive]
        own = [row for row in members if not row.item.positive]
        against = "own negatives" if paired and own and positives else "all negatives"
        negatives = own if against == "own negatives" or not positives else every_negative
        out[value] = {"against": against, "methods": _block(positives, negatives, cuts)}
    return out


def summarise(rows: Sequence[Scored], methods: Sequence[str]) -> dict[str, Any]:
    scored = [row for row in rows if row.error is None]
    cuts = thresholds(methods)
    positives = [row for row in scored if row.item.positive]
    negatives = [row for row in scored if not row.item.positive]
    seconds = {
        m: round(float(np.median([r.seconds[m] for r in scored])), 4) if scored else None
        for m in methods
    }
    return {
        "thresholds": cuts,
        "n_scored": len(scored),
        "errors": [{"path": str(r.item.path), "error": r.error} for r in rows if r.error],
        "median_seconds": seconds,
        "engine_versions": next((r.engine_versions for r in scored), {}),
        "overall": _block(positives, negatives, cuts),
        "by_kind": _breakdown(scored, lambda r: r.item.kind, cuts, False),
        "by_laundering": _breakdown(scored, lambda r: r.item.laundering, cuts, True),
        "by_source": _breakdown(scored, lambda r: r.item.group, cuts, True),
    }
