"""`detect_generated`: does the whole picture look made by an image generator?

The classifier was trained on native-resolution crops (resizing wipes the generator's
high-frequency traces), so it is run the same way: up to 16 crops spread over the picture at
its own resolution, their logits averaged. No heat map: it judges the picture, not a region.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tradeshield.forensics.findings import DetectorResult
from tradeshield.forensics.learned.runtime import Model, shipped, threshold_findings, to_batch

DETECTOR = "generated_model"
_GRID = 4  # crops per side, at most


def detect_generated(
    photo_rgb: npt.NDArray[np.uint8], model: Model | None = None
) -> DetectorResult:
    """An image-level finding when the picture scores at or above the model's threshold."""
    model = model or shipped("generated")
    score = generated_score(photo_rgb, model)
    findings = threshold_findings(DETECTOR, "generated_model_ai_image", score, model.info)
    return DetectorResult(DETECTOR, model.info.version, findings, None)


def generated_score(photo_rgb: npt.NDArray[np.uint8], model: Model) -> float:
    crops = grid_crops(np.ascontiguousarray(photo_rgb[..., :3]), model.info.patch)
    logits = model.run(np.concatenate([to_batch(c) for c in crops]))
    return float(1.0 / (1.0 + np.exp(-float(logits.mean()))))


def grid_crops(rgb: npt.NDArray[np.uint8], patch: int) -> list[npt.NDArray[np.uint8]]:
    """Square crops of side ``patch`` evenly spread over the picture (padded when smaller)."""
    height, width = rgb.shape[:2]
    if height < patch or width < patch:
        pad = ((0, max(0, patch - height)), (0, max(0, patch - width)), (0, 0))
        rgb = np.pad(rgb, pad, mode="reflect" if min(height, width) > 1 else "edge")
        height, width = rgb.shape[:2]
    tops = np.unique(np.linspace(0, height - patch, _GRID).round().astype(int))
    lefts = np.unique(np.linspace(0, width - patch, _GRID).round().astype(int))
    return [rgb[t : t + patch, s : s + patch] for t in tops for s in lefts]
