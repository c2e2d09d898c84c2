"""Aligned double-JPEG detection from the DCT histograms (after Lin, He, Tang and Tang, "Fast,
automatic and fine-grained tampered JPEG image detection via DCT coefficient analysis",
Pattern Recognition 42(11), 2009; computed from decoded pixels as Bianchi and Piva, "Image
forgery localization via block-grained analysis of JPEG artifacts", IEEE TIFS 7(3), 2012).

A photo compressed twice on the same 8x8 grid has DCT histograms with periodic peaks and
valleys. Blocks pasted in (or repainted) after the first compression do not follow that
pattern: their coefficients fall into the valleys as often as into the peaks. For each block
and low-frequency coefficient the posterior that it is tampered is (1/p) / (1/p + share of its
bin within its period); the coefficients of a block are combined as independent evidence.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import numpy.typing as npt

from tradeshield.forensics.baselines.common import RGB, BaselineResult, image_score, luma, upsample

ZIGZAG_AC = ((0, 1), (1, 0), (2, 0), (1, 1), (0, 2), (0, 3), (1, 2), (2, 1), (3, 0))
HALF_RANGE = 40  # histogram bins either side of zero
MIN_PERIODICITY = 0.25
Floats = npt.NDArray[np.float64]


def _dct_matrix() -> Floats:
    k = np.arange(8)
    matrix = np.cos(np.pi * (2 * k[None, :] + 1) * k[:, None] / 16) * np.sqrt(2 / 8)
    matrix[0] /= np.sqrt(2)
    return np.asarray(matrix, np.float64)


def block_dct(gray: npt.NDArray[np.float32]) -> Floats:
    """Orthonormal 8x8 DCT of every whole block on the grid anchored at (0, 0): R x C x 8 x 8."""
    rows, cols = gray.shape[0] // 8, gray.shape[1] // 8
    blocks = gray[: rows * 8, : cols * 8].astype(np.float64) - 128.0
    blocks = blocks.reshape(rows, 8, cols, 8).transpose(0, 2, 1, 3)
    d = _dct_matrix()
    return np.asarray(np.einsum("ij,rcjk,lk->rcil", d, blocks, d), np.float64)


def estimate_step(values: Floats) -> int:
    """The last quantisation step when the file does not say (a PNG of a JPEG): the largest
    q whose multiples the values sit on tightly."""
    for step in range(20, 1, -1):
        if np.mean(np.cos(2 * np.pi * values / step)) > 0.85:
            return step
    return 1


PERIODS = np.arange(2.0, 10.01, 0.25)


def period(histogram: Floats) -> tuple[float, float]:
    """The dominant period (2..10 bins, in quarter steps: q1/q2 need not be whole) of a
    histogram's peaks and valleys, and its strength (0 = none, 1 = perfectly periodic)."""
    smooth = np.convolve(histogram, np.ones(5) / 5, mode="same")
    detail = histogram - smooth
    bins = np.arange(histogram.size)
    total = float(np.abs(detail).sum()) + 1e-9
    strengths = [abs(np.sum(detail * np.exp(-2j * np.pi * bins / p))) / total for p in PERIODS]
    best = int(np.argmax(strengths))
    return float(PERIODS[best]), float(strengths[best])


def _tamper_odds(values: Floats, step: int) -> Floats | None:
    """Per-block log-odds of "not double compressed" for one coefficient, or None when its
    histogram shows no double compression to deviate from."""
    if step < 2:
        return None
    index = np.clip(np.rint(values / step).astype(int), -HALF_RANGE, HALF_RANGE) + HALF_RANGE
    histogram = np.bincount(index.ravel(), minlength=2 * HALF_RANGE + 1).astype(np.float64)
    histogram[HALF_RANGE] = 0.5 * (histogram[HALF_RANGE - 1] + histogram[HALF_RANGE + 1])
    p, strength = period(histogram)
    if strength < MIN_PERIODICITY:
        return None
    width = max(2, round(p))
    window = np.convolve(histogram, np.ones(width), mode="same") + 1e-9
    share = (histogram + 0.5) / (window + 0.5 * width)  # this bin's share of its period
    tampered, untouched = 1.0 / p, share[index]
    return np.asarray(np.log(tampered + 1e-9) - np.log(untouched + 1e-9), np.float64)


def detect(rgb: RGB, luma_table: Sequence[int] | None = None) -> BaselineResult:
    """``luma_table``: the file's luminance quantisation table (64 steps, row-major) when it
    is a JPEG; otherwise the steps are estimated from the pixels."""
    gray = luma(rgb)
    h, w = gray.shape
    if h < 64 or w < 64:
        return BaselineResult(0.0, np.zeros((h, w), np.float32))
    coefficients = block_dct(gray)
    log_odds = np.zeros(coefficients.shape[:2])
    used = 0
    for u, v in ZIGZAG_AC:
        values = coefficients[:, :, u, v]
        step = int(luma_table[8 * u + v]) if luma_table else estimate_step(values)
        odds = _tamper_odds(values, step)
        if odds is not None:
            log_odds += odds
            used += 1
    if used == 0:  # no aligned double compression visible: nothing to localise against
        return BaselineResult(0.0, np.zeros((h, w), np.float32))
    posterior = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -30, 30)))
    blocks = np.asarray(cv2.medianBlur(posterior.astype(np.float32), 3), np.float32)
    heatmap = upsample(blocks, h, w, 8)
    return BaselineResult(score=image_score(heatmap, fraction=0.02), heatmap=heatmap)
