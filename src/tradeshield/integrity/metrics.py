"""Evaluation figures: ranking quality, the review queue, and how well rings were found."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

import numpy as np
import numpy.typing as npt

from tradeshield.integrity.model import Floats


def auc(risk: Floats, positive: npt.NDArray[np.bool_]) -> float:
    """Area under the ROC curve (chance that a positive outranks a negative), ties halved."""
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(risk, kind="mergesort")
    ranks = np.empty(len(risk))
    sorted_risk = risk[order]
    # average ranks for ties
    _, first, counts = np.unique(sorted_risk, return_index=True, return_counts=True)
    average = first + (counts - 1) / 2.0 + 1
    ranks[order] = np.repeat(average, counts)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def precision_recall_at(
    flagged: npt.NDArray[np.bool_], positive: npt.NDArray[np.bool_]
) -> tuple[float, float]:
    hits = int((flagged & positive).sum())
    precision = hits / max(int(flagged.sum()), 1)
    recall = hits / max(int(positive.sum()), 1)
    return precision, recall


def _pairs(counts: Sequence[int] | npt.NDArray[np.int64]) -> float:
    values = np.asarray(counts, dtype=np.float64)
    return float((values * (values - 1) / 2).sum())


def adjusted_rand_index(truth: Sequence[Hashable], found: Sequence[Hashable]) -> float:
    """Agreement of two clusterings of the same items, 0 for chance and 1 for identical."""
    n = len(truth)
    if n < 2:
        return 1.0
    joint = Counter(zip(truth, found, strict=True))
    index = _pairs(list(joint.values()))
    truth_pairs = _pairs(list(Counter(truth).values()))
    found_pairs = _pairs(list(Counter(found).values()))
    expected = truth_pairs * found_pairs / (n * (n - 1) / 2)
    maximum = (truth_pairs + found_pairs) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
