"""Small procedural source photos for the yardstick's tests (no files from outside)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image


def textured(height: int, width: int, seed: int) -> np.ndarray:
    """A photo-like picture: smooth colour gradients, a few shapes and sensor-like grain."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack(
        [
            90 + 80 * np.sin(xx / (17 + seed)) * np.cos(yy / 23),
            120 + 60 * np.cos(xx / 31 + yy / 41),
            100 + 50 * np.sin((xx + yy) / 29),
        ],
        axis=2,
    )
    base[height // 4 : height // 2, width // 3 : width // 2] += 40
    grain = rng.normal(0, 4.0, base.shape)
    return np.clip(base + grain, 0, 255).astype(np.uint8)


def write_sources(folder: Path, count: int = 3, height: int = 160, width: int = 200) -> Path:
    """``count`` camera-like JPEGs in ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        out = io.BytesIO()
        Image.fromarray(textured(height, width, index)).save(out, format="JPEG", quality=92)
        (folder / f"photo_{index}.jpg").write_bytes(out.getvalue())
    return folder
