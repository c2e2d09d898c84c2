"""Scoring photos with our engine and every baseline, in the same run, on the same pixels.

The engine sees the file as uploaded (bytes: metadata, container and JPEG tables included)
with no reference photos; the baselines see the pixels the engine's loader decoded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from tradeshield.errors import DomainError
from tradeshield.forensics.analysis import analyze
from tradeshield.forensics.baselines import BASELINES
from tradeshield.forensics.evaluation.datasets import Item
from tradeshield.forensics.evaluation.metrics import pixel_scores
from tradeshield.forensics.loading import load_image

ENGINE = "engine"
BASELINE_THRESHOLD = 0.5  # baselines ship no threshold; their scores are squashed to 0..1
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Scored:
    """One photo's results: image scores, pixel scores (edited photos with a mask) and
    seconds per method."""

    item: Item
    scores: dict[str, float] = field(default_factory=dict)
    flagged: dict[str, bool] = field(default_factory=dict)  # at the method's operating point
    raw_engine: float = 0.0  # the fused score before any calibration
    engine_versions: dict[str, str] = field(default_factory=dict)  # detectors, fusion, ...
    pixel: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None


def read_mask(item: Item, height: int, width: int) -> npt.NDArray[np.bool_] | None:
    if item.mask_path is None or not item.positive:
        return None
    with Image.open(item.mask_path) as image:
        grey = np.asarray(image.convert("L"))
    if grey.shape != (height, width):  # e.g. a mask stored before an orientation fix
        grey = cv2.resize(grey, (width, height), interpolation=cv2.INTER_NEAREST)
    mask = grey >= 128
    return mask if mask.any() else None


def score_item(item: Item) -> Scored:
    result = Scored(item)
    try:
        image = load_image(item.path.read_bytes())
    except (OSError, DomainError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    mask = read_mask(item, image.height, image.width)
    started = time.perf_counter()
    report = analyze(image)
    result.seconds[ENGINE] = time.perf_counter() - started
    result.scores[ENGINE] = float(report.score)
    # the engine's operating point is its verdict: the shipped policy, however it is computed
    result.flagged[ENGINE] = report.verdict.value != "no_evidence"
    result.raw_engine = float(report.score if report.raw_score is None else report.raw_score)
    result.engine_versions = dict(report.versions)
    if mask is not None:
        result.pixel[ENGINE] = pixel_scores(report.heatmap, mask)
    for name, baseline in BASELINES.items():
        started = time.perf_counter()
        found = baseline(image)
        result.seconds[name] = time.perf_counter() - started
        result.scores[name] = float(found.score)
        result.flagged[name] = found.score >= BASELINE_THRESHOLD
        if mask is not None:
            result.pixel[name] = pixel_scores(found.heatmap, mask)
    return result


def engine_features(item: Item) -> tuple[dict[str, float], dict[str, str]] | None:
    """The engine's fusion features (the raw fused score and the detectors' signals) and the
    versions they were made with, or None for an unreadable file."""
    try:
        image = load_image(item.path.read_bytes())
    except (OSError, DomainError):
        return None
    report = analyze(image)
    return dict(report.fusion["features"]), dict(report.versions)


def run(items: Sequence[Item], progress: Progress | None = None) -> list[Scored]:
    """Every item scored by every method; unreadable files are kept with their error."""
    scored = []
    for done, item in enumerate(items, start=1):
        scored.append(score_item(item))
        if progress is not None:
            progress(done, len(items))
    return scored


def methods() -> list[str]:
    return [ENGINE, *BASELINES]
