"""The forensic report: what analysis returns and what is stored with the evidence."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from PIL import Image

from tradeshield.forensics.findings import Finding, HeatMap
from tradeshield.forensics.fusion import Verdict


@dataclass(frozen=True, slots=True)
class ForensicReport:
    score: float  # 0..1; see fusion.py for how it is made and how far it is calibrated
    verdict: Verdict
    findings: list[Finding]
    heatmap: HeatMap  # same size as the photo (after EXIF orientation); 1 = changed
    versions: dict[str, str]  # detector or policy name -> version
    width: int
    height: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, without the heat map (stored and served as a PNG)."""
        return {
            "score": self.score,
            "verdict": self.verdict.value,
            "findings": [finding_dict(f) for f in self.findings],
            "versions": dict(self.versions),
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
