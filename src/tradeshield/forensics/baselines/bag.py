"""Block artifact grid (Li, Yuan and Yu, "Passive detection of doctored JPEG image via block
artifact grid extraction", Signal Processing 89(9), 2009).

A JPEG photo carries a faint grid of 8x8 block edges. Second-order differences across rows
and columns, accumulated along the grid lines and stripped of their local mean, show that
grid. In a block taken from elsewhere (pasted, or covering a recompressed region) the grid
lies inside the block instead of on its border: per block, the strongest inner line minus
the weakest border line is high there.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from tradeshield.forensics.baselines.common import (
    RGB,
    BaselineResult,
    image_score,
    luma,
    outlier_map,
    upsample,
)

ACCUMULATE = 33  # pixels along a line that one grid measurement sums over
Floats = npt.NDArray[np.float32]


def _grid_response(gray: Floats) -> Floats:
    """Periodic vertical-line energy: second differences across columns, summed down the
    column, minus their local mean across columns."""
    second = np.zeros_like(gray)
    second[:, 1:-1] = np.abs(2 * gray[:, 1:-1] - gray[:, :-2] - gray[:, 2:])
    second = np.minimum(second, 20.0)  # strong edges of the scene are not grid
    along = np.asarray(cv2.blur(second, (1, ACCUMULATE)), np.float32)
    return (along - np.asarray(cv2.blur(along, (9, 1)), np.float32)).astype(np.float32)


def _line_sums(response: Floats, rows: int, cols: int) -> Floats:
    """Per block, the sum of the response along each of its 8 column positions."""
    blocks = response[: rows * 8, : cols * 8].reshape(rows, 8, cols, 8)
    return np.asarray(blocks.sum(axis=1), np.float32)  # rows x cols x 8


def detect(rgb: RGB) -> BaselineResult:
    gray = luma(rgb)
    h, w = gray.shape
    if h < 32 or w < 32:
        return BaselineResult(0.0, np.zeros((h, w), np.float32))
    vertical = _grid_response(gray)
    horizontal = np.ascontiguousarray(_grid_response(np.ascontiguousarray(gray.T)).T)
    phase_x = int(np.argmax([vertical[:, p::8].mean() for p in range(8)]))
    phase_y = int(np.argmax([horizontal[p::8, :].mean() for p in range(8)]))
    rows, cols = (h - phase_y) // 8, (w - phase_x) // 8
    across = _line_sums(vertical[phase_y:, phase_x:], rows, cols)
    down = _line_sums(np.ascontiguousarray(horizontal[phase_y:, phase_x:].T), cols, rows)
    down = down.transpose(1, 0, 2)
    # Li et al.: the strongest inner line minus the border line, both directions added.
    anomaly = sum(lines[:, :, 2:7].max(axis=2) - lines[:, :, 0] for lines in (across, down))
    blocks = outlier_map(np.asarray(cv2.medianBlur(np.asarray(anomaly, np.float32), 3), np.float32))
    shifted = upsample(blocks, h - phase_y, w - phase_x, 8)
    heatmap = np.pad(shifted, ((phase_y, 0), (phase_x, 0)), mode="edge")
    return BaselineResult(score=image_score(heatmap), heatmap=heatmap)
