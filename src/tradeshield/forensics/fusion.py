"""Fusing detector results into a score, a verdict and one heat map.

The score is a noisy-OR of the findings, each weighted by its strength: independent evidence
adds up, one weak hint stays weak. When a Platt calibration has been fitted
(``policy/calibration.json``, see `calibration`), the raw score is mapped through it to a
probability; without one the raw score is reported as is. The verdict follows policy rules,
not the score alone, so a blind pixel detector can raise suspicion but never by itself call a
photo forged.
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


@dataclass(frozen=True, slots=True)
class FusedScore:
    raw: float  # the noisy-OR of the findings
    score: float  # the calibrated probability, or ``raw`` when no calibration is fitted
    calibration: str  # the calibration's version, or "none"


def fused_score(
    findings: Sequence[Finding], policy: FusionPolicy, calibration_file: Path = CALIBRATION_FILE
) -> FusedScore:
    """The report's score: the raw fused score through the optional fitted calibration."""
    raw = fuse_score(findings, policy)
    calibration = load_calibration(calibration_file)
    return FusedScore(raw, calibrated(raw, calibration), calibration_version(calibration))


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
