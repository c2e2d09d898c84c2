"""Image-level and pixel-level detection metrics, in plain numpy.

Conventions: label 1 = edited or generated (the positive class), a higher score = more
suspicious, and a photo counts as flagged when its score is >= the threshold.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Scores = npt.ArrayLike
PIXEL_THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(1, 20))  # 0.05 .. 0.95


def _arrays(
    scores: Scores, labels: Scores
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels).astype(bool)
    if s.shape != y.shape:
        raise ValueError("scores and labels differ in length")
    return s, y


def roc_auc(scores: Scores, labels: Scores) -> float:
    """Area under the ROC curve (Mann-Whitney: the chance that a random positive scores above
    a random negative, ties counting half). NaN when one class is absent."""
    s, y = _arrays(scores, labels)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        return math.nan
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(s.size, dtype=np.float64)
    sorted_scores = s[order]
    start = 0
    while start < s.size:  # average ranks over ties
        stop = start
        while stop + 1 < s.size and sorted_scores[stop + 1] == sorted_scores[start]:
            stop += 1
        ranks[order[start : stop + 1]] = 0.5 * (start + stop) + 1.0
        start = stop + 1
    u = ranks[y].sum() - positives * (positives + 1) / 2.0
    return float(u / (positives * negatives))


def roc_curve(
    scores: Scores, labels: Scores
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(false-positive rates, true-positive rates, thresholds), from flagging nothing to
    flagging everything; one point per distinct score."""
    s, y = _arrays(scores, labels)
    thresholds = np.concatenate([[np.inf], np.unique(s)[::-1]])
    positives, negatives = max(1, int(y.sum())), max(1, int((~y).sum()))
    tpr = np.array([(s[y] >= t).sum() / positives for t in thresholds])
    fpr = np.array([(s[~y] >= t).sum() / negatives for t in thresholds])
    return fpr, tpr, thresholds


def tpr_at_fpr(scores: Scores, labels: Scores, max_fpr: float) -> float:
    """The best true-positive rate of any threshold whose false-positive rate is at most
    ``max_fpr``. NaN when one class is absent."""
    s, y = _arrays(scores, labels)
    if not y.any() or y.all():
        return math.nan
    fpr, tpr, _ = roc_curve(s, y)
    return float(tpr[fpr <= max_fpr + 1e-12].max())


def balanced_accuracy(scores: Scores, labels: Scores, threshold: float) -> float:
    """Mean of the true-positive and true-negative rates at ``threshold``."""
    s, y = _arrays(scores, labels)
    return balanced_accuracy_of_flags(s >= threshold, y)


def balanced_accuracy_of_flags(flags: Scores, labels: Scores) -> float:
    """Mean of the true-positive and true-negative rates of yes/no decisions."""
    flagged, y = np.asarray(flags).astype(bool), np.asarray(labels).astype(bool)
    if not y.any() or y.all():
        return math.nan
    return float(0.5 * (flagged[y].mean() + (~flagged[~y]).mean()))


def pixel_counts(
    heatmap: npt.NDArray[np.floating], mask: npt.NDArray[np.bool_], thresholds: Scores
) -> npt.NDArray[np.int64]:
    """(true positives, false positives, false negatives) per threshold: T x 3."""
    if heatmap.shape != mask.shape:
        raise ValueError(f"heat map {heatmap.shape} and mask {mask.shape} differ in size")
    inside = heatmap[mask]
    outside = heatmap[~mask]
    rows = []
    for t in np.asarray(thresholds, dtype=np.float64):
        tp = int((inside >= t).sum())
        rows.append((tp, int((outside >= t).sum()), int(inside.size - tp)))
    return np.array(rows, dtype=np.int64)


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 of a binary map; 1.0 when there was nothing to find and nothing was marked."""
    return 1.0 if tp + fp + fn == 0 else 2.0 * tp / (2.0 * tp + fp + fn)


def iou(tp: int, fp: int, fn: int) -> float:
    return 1.0 if tp + fp + fn == 0 else tp / (tp + fp + fn)


def pixel_scores(
    heatmap: npt.NDArray[np.floating], mask: npt.NDArray[np.bool_], threshold: float = 0.5
) -> dict[str, float]:
    """F1 and IoU at ``threshold``, and the oracle F1: the best over a grid of thresholds
    chosen for this photo with its mask in hand (an upper bound, not an operating point)."""
    fixed = pixel_counts(heatmap, mask, [threshold])[0]
    grid = pixel_counts(heatmap, mask, PIXEL_THRESHOLDS)
    return {
        "f1": f1(*fixed),
        "iou": iou(*fixed),
        "f1_oracle": max(f1(*row) for row in grid),
    }
