"""Whether a small picture may hold a line of text: the cheap test run before OCR.

OCR costs a few hundred milliseconds even on a photo's margins, and most evidence photos have
no text there. Printed or stamped text is a row of strokes: short, high-contrast edges of both
polarities packed side by side on a line. This test (after the classic edge-density text
locators, e.g. Liu & Samarabandu 2006) marks strong edges with a morphological gradient,
joins each line's strokes with a horizontal closing, and keeps blobs that are line-shaped
(wider than tall, of a text height) and crossed by several strokes along their middle. It is
tuned to miss nothing OCR could read (false alarms only cost the OCR run) and returns the
candidate boxes, and `TextStrips` cuts the rows that hold them out of the picture, so OCR
reads only where text may be.

Measured on the margins the visible-label detector reads: every label drawn by its tests is a
candidate; on the dataset's 97 camera photos and 30 diffusion images 9 of 127 have no
candidate at all (plain surroundings: product shots on a plain background do better), and the
median candidate strips cover about half of the margins.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

RGB = npt.NDArray[np.uint8]

# An edge counts as a stroke edge at this gradient (grey levels over 3x3), or at this many
# times the picture's median gradient when the picture is busier than that (texture, grain).
_MIN_EDGE = 40
_BUSY_FACTOR = 4.0
# Text heights read, in pixels of the picture handed in (the OCR reads 10 px text at best).
_MIN_HEIGHT, _MAX_HEIGHT = 7, 120
_MIN_WIDTH_RATIO = 0.8  # a label of two characters and more is about as wide as tall or wider
_MIN_STROKES = 3  # edges crossed along the blob's middle rows
_MIN_DENSITY, _MAX_DENSITY = 0.08, 0.85  # stroke-edge pixels over the blob's box
_PAD = 6
_SEPARATOR_PX = 16
_WHOLE_SHARE = 0.9  # strips that would cover this share of the picture: read it whole


@dataclass(frozen=True, slots=True)
class Box:
    x: int
    y: int
    width: int
    height: int


def text_candidates(gray: npt.NDArray[np.uint8]) -> list[Box]:
    """Boxes (padded, in ``gray``'s pixels) that may hold a line of text."""
    gradient = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    level = max(_MIN_EDGE, _BUSY_FACTOR * float(np.median(gradient)))
    edges = np.asarray(gradient >= level, np.uint8)
    joined = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((3, 9), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for x, y, width, height, _area in stats[1:count]:
        if not _MIN_HEIGHT <= height <= _MAX_HEIGHT or width < _MIN_WIDTH_RATIO * height:
            continue
        inside = edges[y : y + height, x : x + width]
        if not _MIN_DENSITY <= float(inside.mean()) <= _MAX_DENSITY:
            continue
        if _strokes_across(inside) < _MIN_STROKES:
            continue
        boxes.append(_padded(int(x), int(y), int(width), int(height), gray.shape))
    return boxes


def _strokes_across(edges: npt.NDArray[np.uint8]) -> int:
    """Most edge runs met along one of the blob's middle rows."""
    height = edges.shape[0]
    middle = edges[height // 4 : max(height // 4 + 1, 3 * height // 4)]
    rises = np.diff(middle.astype(np.int8), axis=1) > 0
    return int(rises.sum(axis=1).max()) if rises.size else 0


def _padded(x: int, y: int, width: int, height: int, shape: tuple[int, ...]) -> Box:
    left, top = max(0, x - _PAD), max(0, y - _PAD)
    right, bottom = min(shape[1], x + width + _PAD), min(shape[0], y + height + _PAD)
    return Box(left, top, right - left, bottom - top)


@dataclass(frozen=True, slots=True)
class _Strip:
    top: int  # in the source picture
    bottom: int
    left: int
    right: int
    placed_at: int  # first row in the strips picture


class TextStrips:
    """The rows of a picture that hold candidate boxes, stacked into one smaller picture, and
    the way back from its pixels to the source picture's."""

    def __init__(self, picture: RGB, boxes: list[Box]) -> None:
        self._strips: list[_Strip] = []
        merged: list[list[int]] = []
        for box in sorted(boxes, key=lambda b: b.y):
            if merged and box.y <= merged[-1][1]:
                top, bottom, left, right = merged[-1]
                merged[-1] = [top, max(bottom, box.y + box.height), min(left, box.x),
                              max(right, box.x + box.width)]  # fmt: skip
            else:
                merged.append([box.y, box.y + box.height, box.x, box.x + box.width])
        width = max((right - left for _, _, left, right in merged), default=1)
        stacked = sum(bottom - top + _SEPARATOR_PX for top, bottom, _, _ in merged) * width
        if merged and stacked >= _WHOLE_SHARE * picture.shape[0] * picture.shape[1]:
            merged, width = [[0, picture.shape[0], 0, picture.shape[1]]], picture.shape[1]
        parts, row = [], 0
        for top, bottom, left, right in merged:
            self._strips.append(_Strip(top, bottom, left, right, row))
            part = np.zeros((bottom - top + _SEPARATOR_PX, width, 3), np.uint8)
            part[: bottom - top, : right - left] = picture[top:bottom, left:right]
            parts.append(part)
            row += part.shape[0]
        self.picture: RGB = (
            np.ascontiguousarray(np.concatenate(parts)) if parts else np.zeros((1, 1, 3), np.uint8)
        )

    def to_source(self, x: int, y: int, height: int) -> tuple[int, int]:
        """Where a box found at (x, y) in the strips picture starts in the source picture."""
        middle = y + height / 2
        strip = next((s for s in reversed(self._strips) if s.placed_at <= middle), self._strips[0])
        return x + strip.left, y - strip.placed_at + strip.top
