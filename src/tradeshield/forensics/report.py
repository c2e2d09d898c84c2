"""The forensic report: what analysis returns and what is stored with the evidence."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from tradeshield.forensics.findings import Finding, HeatMap
from tradeshield.forensics.fusion import Verdict


@dataclass(frozen=True, slots=True)
class ForensicReport:
    score: float  # 0..1; calibrated when policy/calibration.json exists (see fusion.py)
    verdict: Verdict
    findings: list[Finding]
    heatmap: HeatMap  # same size as the photo (after EXIF orientation); 1 = changed
    versions: dict[str, str]  # detector or policy name -> version
    width: int
    height: int
    raw_score: float | None = None  # the fused score before calibration (= score without one)
    # what the score was fitted from: {"features": {...}, "contributions": {...}} (see fusion)
    fusion: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, without the heat map (stored and served as a PNG)."""
        return {
            "score": self.score,
            "raw_score": self.score if self.raw_score is None else self.raw_score,
            "verdict": self.verdict.value,
            "findings": [finding_dict(f) for f in self.findings],
            "versions": dict(self.versions),
            "fusion": {part: dict(values) for part, values in self.fusion.items()},
            "width": self.width,
            "height": self.height,
        }

    def heatmap_png(self) -> bytes:
        return heatmap_png(self.heatmap)


def finding_dict(finding: Finding) -> dict[str, Any]:
    data = asdict(finding)
    data["strength"] = finding.strength.value
    return data


def heatmap_png(heatmap: HeatMap) -> bytes:
    """Greyscale PNG the size of the photo: 255 where it was changed, 0 where untouched."""
    grey = np.clip(np.rint(heatmap * 255.0), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(grey, mode="L").save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue()
