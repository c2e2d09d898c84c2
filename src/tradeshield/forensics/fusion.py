"""Fusing detector results into a score, a verdict and one heat map.

The raw score is a noisy-OR of the findings, each weighted by its strength: independent
evidence adds up, one weak hint stays weak. When a fusion has been fitted
(``policy/calibration.json``, see `calibration`), the report's score is its probability over
the *fusion features*: that raw score and the detectors' continuous signals, which carry what
a detector measured below its own thresholds; without one the raw score is reported as is.
The verdict follows policy rules on the findings and the raw score, not the fitted score, so
a blind pixel detector can raise suspicion but never by itself call a photo forged, and a
refitted fusion never moves a verdict silently.
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from tradeshield.forensics.calibration import (
    CALIBRATION_FILE,
    FINDINGS_FEATURE,
    calibrated,
    calibration_version,
    load_calibration,
)
from tradeshield.forensics.findings import DetectorResult, Finding, HeatMap, Strength

POLICY_FILE = Path(__file__).parent / "policy" / "fusion.toml"


class Verdict(enum.StrEnum):
    FORGED = "forged"
    SUSPICIOUS = "suspicious"
    NO_EVIDENCE = "no_evidence"


class FusionPolicy(BaseModel, frozen=True):
    version: str = Field(min_length=1)
    blind_detectors: frozenset[str]
    independent_strong_for_forged: int = Field(ge=2)
    suspicious_score: float = Field(gt=0, lt=1)
    strength_weight: dict[Strength, float]
    heatmap_weight: dict[str, float]


@lru_cache(maxsize=4)
def load_policy(path: Path = POLICY_FILE) -> FusionPolicy:
    with path.open("rb") as handle:
        policy = FusionPolicy.model_validate(tomllib.load(handle))
    missing = set(Strength) - set(policy.strength_weight)
    if missing:
        raise ValueError(f"{path}: strength_weight lacks {sorted(missing)}")
    return policy


def fuse_score(findings: Sequence[Finding], policy: FusionPolicy) -> float:
    keep = 1.0
    for finding in findings:
        weight = policy.strength_weight[finding.strength]
        keep *= 1.0 - min(1.0, max(0.0, weight * finding.score))
    return round(1.0 - keep, 4)


def fusion_features(results: Sequence[DetectorResult], policy: FusionPolicy) -> dict[str, float]:
    """What a fitted fusion reads: ``findings`` (the raw fused score) and every detector's
    signals as ``<detector>.<signal>``."""
    findings = [f for result in results for f in result.findings]
    features = {FINDINGS_FEATURE: fuse_score(findings, policy)}
    for result in results:
        for name, value in result.signals.items():
            features[f"{result.detector}.{name}"] = round(float(value), 4)
    return features


@dataclass(frozen=True, slots=True)
class FusedScore:
    raw: float  # the noisy-OR of the findings
    score: float  # the fitted fusion's probability, or ``raw`` when none is fitted
    calibration: str  # the fitted fusion's version, or "none"
    features: dict[str, float]  # what the score was computed from
    contributions: dict[str, float]  # each feature's share of the fitted logit; {} without one


def fused_score(
    results: Sequence[DetectorResult],
    policy: FusionPolicy,
    calibration_file: Path = CALIBRATION_FILE,
) -> FusedScore:
    """The report's score: the fusion features through the optional fitted fusion."""
    features = fusion_features(results, policy)
    calibration = load_calibration(calibration_file)
    contributions = {} if calibration is None else calibration.contributions(features)
    return FusedScore(
        raw=features[FINDINGS_FEATURE],
        score=calibrated(features, calibration),
        calibration=calibration_version(calibration),
        features=features,
        contributions=contributions,
    )


def decide(findings: Sequence[Finding], score: float, policy: FusionPolicy) -> Verdict:
    if any(f.strength is Strength.PROOF for f in findings):
        return Verdict.FORGED
    strong = {f.detector for f in findings if f.strength is Strength.STRONG}
    if len(strong) >= policy.independent_strong_for_forged and strong - policy.blind_detectors:
        return Verdict.FORGED
    if strong or score >= policy.suspicious_score:
        return Verdict.SUSPICIOUS
    return Verdict.NO_EVIDENCE


def fuse_heatmap(
    results: Sequence[DetectorResult], height: int, width: int, policy: FusionPolicy
) -> HeatMap:
    """The strongest weighted localisation at each pixel, same size as the photo."""
    fused = np.zeros((height, width), dtype=np.float32)
    for result in results:
        if result.heatmap is None:
            continue
        if result.heatmap.shape != (height, width):
            raise ValueError(
                f"{result.detector} heat map is {result.heatmap.shape}, photo is {(height, width)}"
            )
        weight = policy.heatmap_weight.get(result.detector, 0.5)
        np.maximum(fused, np.clip(result.heatmap, 0.0, 1.0) * weight, out=fused)
    return fused
