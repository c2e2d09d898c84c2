"""Between the JPEG's stored frame and the upright photo, and between 8x8 blocks and pixels.

The JPEG grid lives in the stored frame (before EXIF rotation); findings and heat maps are
given in upright photo pixels like every other detector's.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tradeshield.forensics.findings import HeatMap, Region

Floats = npt.NDArray[np.float32]

# inverse of the EXIF orientation the loader applied: upright pixels -> stored frame
_TO_STORED = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1, :],
    5: lambda a: a.T,
    6: lambda a: np.rot90(a, 1),
    7: lambda a: a[::-1, ::-1].T,
    8: lambda a: np.rot90(a, -1),
}
_TO_UPRIGHT = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1, :],
    5: lambda a: a.T,
    6: lambda a: np.rot90(a, -1),
    7: lambda a: a[::-1, ::-1].T,
    8: lambda a: np.rot90(a, 1),
}


def stored_luma(upright: npt.NDArray[np.uint8], orientation: int) -> Floats:
    """The photo's luma in the frame the JPEG stored it (before EXIF rotation), as float."""
    return stored_luma8(upright, orientation).astype(np.float32)


def stored_luma8(upright: npt.NDArray[np.uint8], orientation: int) -> npt.NDArray[np.uint8]:
    """The photo's 8-bit luma in the frame the JPEG stored it (before EXIF rotation)."""
    to_stored = _TO_STORED.get(orientation)
    return np.ascontiguousarray(to_stored(upright)) if to_stored else upright


def block_to_pixels(block_map: Floats, shape: tuple[int, ...]) -> HeatMap:
    pixels = np.zeros(shape, dtype=np.float32)
    rows, cols = block_map.shape
    covered = pixels[: rows * 8, : cols * 8].reshape(rows, 8, cols, 8)
    covered[...] = block_map[:, None, :, None]
    return pixels


def upright(stored: npt.NDArray[np.float32], orientation: int) -> HeatMap:
    to_upright = _TO_UPRIGHT.get(orientation)
    return np.ascontiguousarray(to_upright(stored)) if to_upright else stored


def block_region(mask: npt.NDArray[np.bool_], shape: tuple[int, ...], orientation: int) -> Region:
    """Bounding box, in upright photo pixels, of a block mask of the stored frame."""
    pixels = np.zeros(shape, dtype=bool)
    rows, cols = mask.shape
    pixels[: rows * 8, : cols * 8].reshape(rows, 8, cols, 8)[...] = mask[:, None, :, None]
    to_upright = _TO_UPRIGHT.get(orientation)
    upright = to_upright(pixels) if to_upright else pixels
    rows = np.flatnonzero(upright.any(axis=1))
    cols = np.flatnonzero(upright.any(axis=0))
    return Region(
        x=int(cols[0]),
        y=int(rows[0]),
        width=int(cols[-1] - cols[0] + 1),
        height=int(rows[-1] - rows[0] + 1),
    )
