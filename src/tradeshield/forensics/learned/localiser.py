"""`localise`: where in a photo the local-edit localiser sees edited pixels.

The photo is reduced to the model's longest side (1024 px: the net sees native-resolution
noise on the generator's output and on the engine's downscaled photos, and a 12-megapixel
photo stays fast), padded to a multiple of 8 (the net's deepest stride), scored per cell of
the model's output stride (its sidecar; 4 px for version 2) and the map is scaled back to the
photo's size. The image score is the mean of the hottest cells (the sidecar's share, fitted on
held-back data): one edited region is enough to raise it, and isolated hot cells are not.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from tradeshield.forensics.downscale import shrink
from tradeshield.forensics.findings import DetectorResult, Region, hottest_mean
from tradeshield.forensics.learned.runtime import (
    Floats,
    Model,
    shipped,
    threshold_findings,
    to_batch,
)

DETECTOR = "pixel_model"
_PAD = 8  # the input's sides must be multiples of the net's deepest stride
_MIN_TOP_CELLS = 4
_REGION_HEAT = 0.5


def localise(photo_rgb: npt.NDArray[np.uint8], model: Model | None = None) -> DetectorResult:
    """Heat map (the photo's size, 0..1) and an image-level finding when the score passes the
    model's threshold."""
    model = model or shipped("localiser")
    heat, score = heat_and_score(photo_rgb, model)
    findings = threshold_findings(
        DETECTOR, "pixel_model_local_edit", score, model.info, region=_hot_region(heat)
    )
    return DetectorResult(DETECTOR, model.info.version, findings, heat, {"score": round(score, 4)})


def heat_and_score(photo_rgb: npt.NDArray[np.uint8], model: Model) -> tuple[Floats, float]:
    height, width = photo_rgb.shape[:2]
    scale = min(1.0, model.info.max_side / max(height, width))
    small = shrink(np.ascontiguousarray(photo_rgb[..., :3]), scale)
    cells = cell_probabilities(small, model)
    score = top_mean(cells, model.info.top_share)
    heat = cv2.resize(cells, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.clip(heat, 0.0, 1.0).astype(np.float32), score


def top_mean(cells: Floats, share: float) -> float:
    """The image score: mean of the hottest ``share`` of cells (at least a few)."""
    return hottest_mean(cells, share, at_least=_MIN_TOP_CELLS)


def cell_probabilities(rgb: npt.NDArray[np.uint8], model: Model) -> Floats:
    """Probability of "edited" for every cell (the model's stride) of ``rgb``, padded by
    reflection."""
    height, width = rgb.shape[:2]
    pad_h, pad_w = -height % _PAD, -width % _PAD
    if pad_h or pad_w:
        rgb = np.pad(rgb, ((0, pad_h), (0, pad_w), (0, 0)), mode="reflect")
    logits = model.run(to_batch(rgb))[0, 0]
    stride = model.info.stride
    rows, cols = -(-height // stride), -(-width // stride)
    cells: Floats = (1.0 / (1.0 + np.exp(-logits[:rows, :cols]))).astype(np.float32)
    return cells


def _hot_region(heat: Floats) -> Region | None:
    rows, cols = np.nonzero(heat >= _REGION_HEAT)
    if rows.size == 0:
        return None
    top, left = int(rows.min()), int(cols.min())
    return Region(left, top, int(cols.max()) - left + 1, int(rows.max()) - top + 1)
