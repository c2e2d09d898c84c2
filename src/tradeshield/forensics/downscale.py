"""Reducing a photo fast: the one downscaling routine the detectors share.

Area averaging by a whole factor is OpenCV's fast path (a 12-megapixel photo in a few
milliseconds); the fractional rest after it is less than a halving, where bilinear is as clean
as area averaging at a tenth of the cost. Together about three times faster than one area
resize of a 12-megapixel photo, and without the aliasing of a plain bilinear one.
"""

from __future__ import annotations

from typing import TypeVar

import cv2
import numpy as np
import numpy.typing as npt

Pixels = TypeVar("Pixels", npt.NDArray[np.uint8], npt.NDArray[np.float32])


def reduce_by(pixels: Pixels, whole: int) -> Pixels:
    """Area average over ``whole`` x ``whole`` squares (edges that do not fill one kept)."""
    if whole < 2:
        return pixels
    factor = 1.0 / whole
    reduced = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return np.asarray(reduced, pixels.dtype)


def shrink(pixels: Pixels, scale: float) -> Pixels:
    """A copy reduced by ``scale`` (<= 1): whole-factor area averaging, then the rest."""
    if scale >= 1.0:
        return np.ascontiguousarray(pixels)
    height, width = pixels.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    whole = int(1.0 / scale)
    source = reduce_by(pixels, whole)
    rest = cv2.INTER_LINEAR if whole >= 2 else cv2.INTER_AREA
    return np.asarray(cv2.resize(source, size, interpolation=rest), pixels.dtype)


def scale_for_long_side(shape: tuple[int, ...], long_side: int) -> float:
    """The factor (<= 1) that brings the longer side to at most ``long_side``."""
    return min(1.0, long_side / max(shape[0], shape[1]))


def scale_for_short_side(shape: tuple[int, ...], short_side: int) -> float:
    """The factor (<= 1) that brings the shorter side to at most ``short_side``."""
    return min(1.0, short_side / min(shape[0], shape[1]))
