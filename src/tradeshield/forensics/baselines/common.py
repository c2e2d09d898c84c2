"""What every baseline returns, and the block bookkeeping they share."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

RGB = npt.NDArray[np.uint8]
Map = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class BaselineResult:
    score: float  # 0..1, higher = more likely edited
    heatmap: Map  # H x W, 0..1


def luma(rgb: RGB) -> npt.NDArray[np.float32]:
    """ITU-R BT.601 luma, float32 0..255 (what a JPEG encoder compresses)."""
    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return (rgb.astype(np.float32) @ weights).astype(np.float32)


def upsample(blocks: npt.NDArray[np.floating], height: int, width: int, block: int) -> Map:
    """A per-block map blown up to pixels; edges beyond the last whole block are padded."""
    full = np.kron(blocks.astype(np.float32), np.ones((block, block), np.float32))
    full = full[:height, :width]
    pad_y, pad_x = height - full.shape[0], width - full.shape[1]
    if pad_y or pad_x:
        full = np.pad(full, ((0, pad_y), (0, pad_x)), mode="edge")
    return full.astype(np.float32)


def outlier_map(values: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    """How far each value sits above the photo's typical value, in robust units, squashed to
    0..1 (0 = typical, 0.5 = three robust deviations above, 1 = far above)."""
    centre = float(np.median(values))
    spread = 1.4826 * float(np.median(np.abs(values - centre))) + 1e-6
    z = np.maximum(0.0, (values - centre) / spread)
    return np.asarray(z / (z + 3.0), np.float32)


def image_score(heatmap: Map, fraction: float = 0.01) -> float:
    """Mean of the hottest ``fraction`` of the map: high when some region stands out."""
    flat = np.sort(cv2.resize(heatmap, (128, 128), interpolation=cv2.INTER_AREA).ravel())
    top = flat[-max(1, int(fraction * flat.size)) :]
    return round(float(top.mean()), 4)
