"""Procedural defect shapes: random polygons, noise blobs, crack walks and scratch strokes.

All shapes are boolean masks drawn from a seeded generator, so one seed gives one shape. No
image assets: every outline is made here from random numbers with numpy and OpenCV.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

Mask = npt.NDArray[np.bool_]  # H x W


def _centre(rng: np.random.Generator, height: int, width: int, margin: int) -> tuple[int, int]:
    y = int(rng.integers(margin, max(margin + 1, height - margin)))
    x = int(rng.integers(margin, max(margin + 1, width - margin)))
    return y, x


def polygon(rng: np.random.Generator, height: int, width: int, scale: float) -> Mask:
    """A ragged star-shaped polygon (a tear, a missing piece) around a random centre."""
    radius = max(4.0, scale * min(height, width))
    cy, cx = _centre(rng, height, width, int(radius))
    corners = int(rng.integers(6, 14))
    angles = np.sort(rng.uniform(0, 2 * np.pi, corners))
    radii = radius * rng.uniform(0.45, 1.0, corners)
    points = np.stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)], axis=1)
    canvas = np.zeros((height, width), np.uint8)
    cv2.fillPoly(canvas, [np.round(points).astype(np.int32)], 1)
    return canvas.astype(bool)


def smooth_noise(
    rng: np.random.Generator, height: int, width: int, cell: int
) -> npt.NDArray[np.float32]:
    """Value noise in 0..1: a coarse random grid upsampled smoothly, two octaves summed."""
    total = np.zeros((height, width), np.float32)
    for octave, weight in ((cell, 0.7), (max(2, cell // 3), 0.3)):
        grid = rng.random((height // octave + 2, width // octave + 2)).astype(np.float32)
        size = (width + 2 * octave, height + 2 * octave)
        up = np.asarray(cv2.resize(grid, size, interpolation=cv2.INTER_CUBIC), np.float32)
        total += weight * up[octave : octave + height, octave : octave + width]
    return np.clip(total, 0.0, 1.0).astype(np.float32)


def blob(rng: np.random.Generator, height: int, width: int, scale: float) -> Mask:
    """An irregular noise blob (a stain, a spill): noise thresholded inside a soft ellipse."""
    radius = max(4.0, scale * min(height, width))
    cy, cx = _centre(rng, height, width, int(radius * 0.8))
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    aspect = rng.uniform(0.6, 1.6)
    dist = np.hypot((yy - cy) / (radius * aspect), (xx - cx) / (radius / aspect))
    noise = smooth_noise(rng, height, width, max(4, int(radius / 2)))
    inside: Mask = (1.0 - dist) + 0.6 * (noise - 0.5) > 0.25
    return inside


def speckles(rng: np.random.Generator, height: int, width: int, scale: float) -> Mask:
    """A cluster of small spots (mould, rot): many tiny blobs around one centre."""
    radius = max(6.0, scale * min(height, width))
    cy, cx = _centre(rng, height, width, int(radius))
    canvas = np.zeros((height, width), np.uint8)
    for _ in range(int(rng.integers(8, 30))):
        dy, dx = rng.normal(0, radius / 2, 2)
        size = max(1, int(rng.uniform(0.04, 0.18) * radius))
        cv2.circle(canvas, (int(cx + dx), int(cy + dy)), size, 1, -1)
    noise = smooth_noise(rng, height, width, max(3, int(radius / 4)))
    return canvas.astype(bool) & (noise > 0.25)


def walk(rng: np.random.Generator, height: int, width: int, scale: float, straight: bool) -> Mask:
    """A crack (wandering, branching) or a scratch (nearly straight) drawn as thin strokes."""
    canvas = np.zeros((height, width), np.uint8)
    length = max(10.0, scale * 3 * min(height, width))
    strokes = int(rng.integers(1, 4))
    for _ in range(strokes):
        y, x = _centre(rng, height, width, 4)
        heading = rng.uniform(0, 2 * np.pi)
        step = max(2.0, length / 40)
        thickness = int(rng.integers(1, 3 if straight else 4))
        wobble = 0.05 if straight else 0.5
        for _ in range(40):
            heading += rng.normal(0, wobble)
            ny, nx = y + step * np.sin(heading), x + step * np.cos(heading)
            cv2.line(canvas, (int(x), int(y)), (int(nx), int(ny)), 1, thickness)
            y, x = ny, nx
    return canvas.astype(bool)


def ellipse(rng: np.random.Generator, height: int, width: int, scale: float) -> Mask:
    """A rounded region (a dent, a faded patch)."""
    radius = max(5.0, scale * min(height, width))
    cy, cx = _centre(rng, height, width, int(radius))
    canvas = np.zeros((height, width), np.uint8)
    axes = (int(radius * rng.uniform(0.6, 1.3)), int(radius * rng.uniform(0.6, 1.3)))
    cv2.ellipse(canvas, (cx, cy), axes, float(rng.uniform(0, 180)), 0, 360, 1, -1)
    return canvas.astype(bool)
