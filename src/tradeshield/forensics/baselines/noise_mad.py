"""Noise-level inconsistency (Mahdian and Saic, "Using noise inconsistencies for blind image
forensics", Image and Vision Computing 27(10), 2009).

The noise of a camera photo is about even across the frame; a pasted, painted or smoothed
region has its own. Per block, the noise level is the median absolute deviation of the
finest diagonal wavelet band (Haar HH1) divided by 0.6745 (Donoho's estimator); blocks whose
level is far from the photo's typical level, either way, are marked.
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

BLOCK = 16  # in HH1 samples, i.e. 32 photo pixels


def haar_hh(gray: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """The diagonal detail band of one level of the orthonormal Haar wavelet transform."""
    h, w = (gray.shape[0] // 2) * 2, (gray.shape[1] // 2) * 2
    g = gray[:h, :w].astype(np.float32)
    return (g[0::2, 0::2] - g[0::2, 1::2] - g[1::2, 0::2] + g[1::2, 1::2]) / 2.0


def detect(rgb: RGB) -> BaselineResult:
    gray = luma(rgb)
    h, w = gray.shape
    band = haar_hh(gray)
    rows, cols = band.shape[0] // BLOCK, band.shape[1] // BLOCK
    if rows < 2 or cols < 2:
        return BaselineResult(0.0, np.zeros((h, w), np.float32))
    tiles = np.abs(band[: rows * BLOCK, : cols * BLOCK]).reshape(rows, BLOCK, cols, BLOCK)
    sigma = np.median(tiles.transpose(0, 2, 1, 3).reshape(rows, cols, -1), axis=2) / 0.6745
    sigma = np.asarray(sigma, np.float32)
    log_sigma = np.log(sigma + 0.1).astype(np.float32)
    # both directions: a region may be noisier (splice) or cleaner (smoothing, AI fill)
    deviation = np.maximum(outlier_map(log_sigma), outlier_map(-log_sigma))
    blocks = np.asarray(cv2.medianBlur(deviation, 3), np.float32)
    heatmap = upsample(blocks, h, w, 2 * BLOCK)
    return BaselineResult(score=image_score(heatmap), heatmap=heatmap)
