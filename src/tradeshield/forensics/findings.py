"""What a forensic detector reports: findings with a strength, an optional region and a
reason in both languages. Shared by every detector; no detector logic lives here."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from tradeshield.i18n.catalog import reason


class Strength(enum.StrEnum):
    """How much a finding weighs. PROOF alone may make a photo `forged`."""

    INFO = "info"  # context, no weight (e.g. "camera original EXIF present")
    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"
    PROOF = "proof"  # provenance proof or a reference match with a changed region


@dataclass(frozen=True, slots=True)
class Region:
    """A rectangle in photo pixels (after EXIF orientation), origin top-left."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Finding:
    detector: str  # e.g. "provenance", "reference_match"
    code: str  # stable id of what was found, e.g. "c2pa_ai_source"
    strength: Strength
    score: float  # 0..1: how strongly this finding alone points to AI making or editing
    reason: dict[str, str]  # {"code", "zh", "en"} from the catalogue
    region: Region | None = None
    details: dict[str, Any] = field(default_factory=dict)


def catalogue_finding(
    detector: str,
    code: str,
    strength: Strength,
    score: float,
    region: Region | None = None,
    details: dict[str, Any] | None = None,
    domain: str = "forensics",
) -> Finding:
    """A finding whose reason is the catalogue entry ``reason.<code>``, in both languages."""
    return Finding(
        detector=detector,
        code=code,
        strength=strength,
        score=score,
        reason=reason(code, domain=domain),
        region=region,
        details=details or {},
    )


HeatMap = npt.NDArray[np.float32]  # H x W, 0 = untouched .. 1 = changed


def hottest_mean(heat: npt.NDArray[np.float32], share: float = 0.01, at_least: int = 1) -> float:
    """Mean of the hottest ``share`` of a map's cells (at least ``at_least``): a signal that one
    hot region raises and a faint glow everywhere does not."""
    if heat.size == 0:
        return 0.0
    top = min(heat.size, max(at_least, int(heat.size * share)))
    return float(np.sort(heat, axis=None)[-top:].mean())


@dataclass(frozen=True, slots=True)
class DetectorResult:
    """One detector's output: findings, an optional localisation map, its version, and the
    continuous measurements behind its findings (``signals``, 0..1, higher = more suspicious,
    reported whether or not they passed the detector's own thresholds) that a fitted fusion
    may weigh; a detector that measured nothing leaves them empty."""

    detector: str
    version: str
    findings: list[Finding]
    heatmap: HeatMap | None = None
    signals: dict[str, float] = field(default_factory=dict)
