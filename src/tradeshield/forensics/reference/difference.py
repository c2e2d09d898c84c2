"""Where an evidence photo differs from a reference already aligned onto it.

A copy of a photo differs from its original by resampling, JPEG noise, and global colour or
exposure changes; an edit differs locally. So the reference is first warped into the
evidence frame and its colours fitted to the evidence per channel (a linear fit refitted on the
best-agreeing 70 %, clipping modelled), then two local measures are taken on lightly blurred
copies:

- colour: how far each evidence pixel lies outside the range of the reference's 3x3
  neighbourhood, so that sub-pixel misalignment along edges does not count as a change;
- texture: the ratio of local contrast, which catches painted texture (mold, scratches) or a
  smoothed-over area whose colours stay within the surroundings' range.

Each is mapped to 0..1 between a tolerance and a full level, the larger wins, and a morphological
opening and closing leaves regions rather than speckle. This does not decide whether the photos
are the same: `consistent_ratio` (how much of the reference's texture agrees) and
`changed_ratio` let the caller judge.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from tradeshield.forensics.findings import HeatMap
from tradeshield.forensics.reference.alignment import Homography
from tradeshield.forensics.reference.thresholds import MatchThresholds

RGB = npt.NDArray[np.uint8]
Float = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]

# Blur before comparing: enough to drown JPEG block noise, little enough to keep a 3 px crack.
_BLUR_SIGMA = 1.0
# Reference pixels within this many pixels of the warped border mix in the black outside.
_BORDER_PX = 4
# Gradient magnitude (Sobel, 0-255 gray) above which a reference pixel counts as textured.
_TEXTURE_GRADIENT = 24.0
# Local contrast is measured over a square window this wide (a box filter costs the same at any
# size); below the floor (gray levels) a surface counts as flat, so JPEG noise on flat areas
# cannot make a large ratio.
_WINDOW_PX = 7
_SPREAD_FLOOR = 4.0
# The colour fit samples this many overlap pixels, skips clipped ones and refits on the share
# that agrees best.
_FIT_SAMPLES = 20_000
_CLIPPED_LOW = 3.0
_CLIPPED_HIGH = 252.0
_FIT_KEEP = 0.7


@dataclass(frozen=True, slots=True)
class AlignedDifference:
    """Change map in the evidence's work frame, 0 outside the overlap."""

    heat: HeatMap
    overlap: Mask
    consistent_ratio: float  # share of the reference's textured pixels that agree, 0..1
    changed_ratio: float  # share of the overlap whose heat reaches changed_heat, 0..1
    colour_gain: tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class ChangedRegion:
    """A connected changed area, in evidence work pixels."""

    x: int
    y: int
    width: int
    height: int
    area: int  # changed pixels inside the box
    mean_heat: float


def aligned_difference(
    evidence: RGB, reference: RGB, homography: Homography, thresholds: MatchThresholds
) -> AlignedDifference:
    height, width = evidence.shape[:2]
    warped = np.asarray(
        cv2.warpPerspective(reference, homography, (width, height), flags=cv2.INTER_LINEAR),
        dtype=np.uint8,
    )
    footprint = np.full(reference.shape[:2], 255, np.uint8)
    inside = cv2.warpPerspective(footprint, homography, (width, height), flags=cv2.INTER_NEAREST)
    kernel = np.ones((2 * _BORDER_PX + 1, 2 * _BORDER_PX + 1), np.uint8)
    overlap: Mask = cv2.erode(inside, kernel) > 0
    observed = _blur(evidence)
    expected, gain = _fit_colours(_blur(warped), observed, overlap)
    colour = _ramp(
        _colour_distance(observed, expected), thresholds.colour_tolerance, thresholds.colour_full
    )
    texture = _ramp(
        _texture_change(observed, expected),
        thresholds.texture_tolerance,
        thresholds.texture_full,
    )
    # Grey opening: isolated hot pixels (JPEG ringing, a stray misaligned edge) go, areas stay.
    heat = np.asarray(
        cv2.morphologyEx(np.maximum(colour, texture), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)),
        np.float32,
    )
    heat[~overlap] = 0.0
    textured = overlap & (_gradient(expected) > _TEXTURE_GRADIENT)
    textured_count = int(np.count_nonzero(textured))
    agreeing = int(np.count_nonzero(textured & (heat < thresholds.changed_heat)))
    consistent = agreeing / textured_count if textured_count else 1.0
    overlap_count = max(1, int(np.count_nonzero(overlap)))
    changed = int(np.count_nonzero(heat >= thresholds.changed_heat)) / overlap_count
    return AlignedDifference(
        heat=heat.astype(np.float32),
        overlap=overlap,
        consistent_ratio=round(consistent, 4),
        changed_ratio=round(changed, 4),
        colour_gain=gain,
    )


def changed_regions(
    difference: AlignedDifference, thresholds: MatchThresholds
) -> list[ChangedRegion]:
    """Connected areas whose heat reaches ``changed_heat``, cleaned of speckle, largest first."""
    raw = (difference.heat >= thresholds.changed_heat).astype(np.uint8)
    opened = cv2.morphologyEx(raw, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    changed = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(changed, connectivity=8)
    overlap_area = float(np.count_nonzero(difference.overlap))
    min_area = max(16.0, thresholds.min_region_area_ratio * overlap_area)
    regions: list[ChangedRegion] = []
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if area < min_area:
            continue
        inside = labels[y : y + h, x : x + w] == label
        mean_heat = float(difference.heat[y : y + h, x : x + w][inside].mean())
        regions.append(ChangedRegion(x, y, w, h, area, round(mean_heat, 4)))
    return sorted(regions, key=lambda r: r.area, reverse=True)


def _blur(rgb: RGB) -> Float:
    return np.asarray(cv2.GaussianBlur(rgb.astype(np.float32), (0, 0), _BLUR_SIGMA), np.float32)


def _fit_colours(
    reference: Float, evidence: Float, overlap: Mask
) -> tuple[Float, tuple[float, float, float]]:
    """Reference colours mapped onto the evidence's by a per-channel gain and offset, fitted
    on the best-agreeing pixels so an edited area does not drag the fit."""
    rows, cols = np.nonzero(overlap)
    step = max(1, rows.size // _FIT_SAMPLES)
    source = reference[rows[::step], cols[::step]].astype(np.float64)
    target = evidence[rows[::step], cols[::step]].astype(np.float64)
    # Clipped pixels say nothing about the gain: a brightened copy is 255 wherever the
    # original was anywhere from 220 to 255.
    unclipped = ((target > _CLIPPED_LOW) & (target < _CLIPPED_HIGH)).all(axis=1)
    if np.count_nonzero(unclipped) < 100:
        return reference, (1.0, 1.0, 1.0)
    source, target = source[unclipped], target[unclipped]
    fitted = np.empty_like(reference)
    gains: list[float] = []
    for channel in range(3):
        gain, offset = _robust_line(source[:, channel], target[:, channel])
        # A copy made brighter clips at 255 where the original did not; so does the model.
        fitted[..., channel] = np.clip(reference[..., channel] * gain + offset, 0.0, 255.0)
        gains.append(round(gain, 4))
    return fitted, (gains[0], gains[1], gains[2])


def _robust_line(
    source: npt.NDArray[np.float64], target: npt.NDArray[np.float64]
) -> tuple[float, float]:
    """Least-squares gain and offset, refitted twice on the best-fitting share of samples."""
    keep = np.ones(source.shape, dtype=bool)
    gain, offset = 1.0, 0.0
    for _ in range(3):
        x, y = source[keep], target[keep]
        spread = float(np.var(x))
        if spread < 1.0:
            return 1.0, float(np.median(target - source))
        gain = float(np.mean((x - x.mean()) * (y - y.mean()))) / spread
        gain = min(2.0, max(0.5, gain))
        offset = float(y.mean() - gain * x.mean())
        residual = np.abs(target - (source * gain + offset))
        cut = np.partition(residual, int(_FIT_KEEP * (residual.size - 1)))[
            int(_FIT_KEEP * (residual.size - 1))
        ]
        keep = residual <= cut
    return gain, offset


def _colour_distance(evidence: Float, reference: Float) -> Float:
    """Distance from each evidence pixel to the box of reference colours around it."""
    kernel = np.ones((3, 3), np.uint8)
    above = np.maximum(evidence - cv2.dilate(reference, kernel), 0.0)
    below = np.maximum(cv2.erode(reference, kernel) - evidence, 0.0)
    outside = above + below
    distance: Float = np.sqrt((outside * outside).sum(axis=2)).astype(np.float32)
    return distance


def _texture_change(evidence: Float, reference: Float) -> Float:
    """|log| of the ratio of local contrast (windowed standard deviation of gray): a painted
    texture raises it, a smoothed-over area lowers it, and a one-pixel misalignment, which
    moves texture without adding or removing any, leaves it alone."""
    spread_evidence = _local_spread(_gray(evidence))
    spread_reference = _local_spread(_gray(reference))
    ratio = (spread_evidence + _SPREAD_FLOOR) / (spread_reference + _SPREAD_FLOOR)
    return np.abs(np.log(ratio)).astype(np.float32)


def _local_spread(gray: Float) -> Float:
    mean = _window(gray)
    variance = np.maximum(_window(gray * gray) - mean * mean, 0.0)
    return np.sqrt(variance).astype(np.float32)


def _window(values: Float) -> Float:
    return np.asarray(cv2.blur(values, (_WINDOW_PX, _WINDOW_PX)), np.float32)


def _gray(rgb: Float) -> Float:
    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return (rgb @ weights).astype(np.float32)


def _gradient(rgb: Float) -> Float:
    gray = _gray(rgb)
    dx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    dy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    return np.asarray(cv2.magnitude(dx, dy), np.float32) / np.float32(4.0)


def _ramp(values: Float, start: float, full: float) -> Float:
    ramp: Float = np.clip((values - start) / (full - start), 0.0, 1.0).astype(np.float32)
    return ramp
