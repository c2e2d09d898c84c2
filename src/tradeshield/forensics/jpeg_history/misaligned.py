"""From grid evidence to what a reviewer reads: a photo cut off an earlier JPEG's grid, and
regions that sit on another JPEG's grid, with a block-resolution heat map.

Thresholds, measured on the dataset's 97 camera photos and 88 metadata JPEGs (none re-cropped
as far as is known) against files the tests make:

- photo level: the strongest off-grid excess of the camera and metadata JPEGs with at least
  1,000 textured blocks was at most 0.18; a quality-70 (85) JPEG cropped by 3 x 5 pixels and
  saved at quality 90 (95) gave 0.71 (0.53). Reported from 0.3.
- tile level, beyond the photo's own value at that shift: at most 0.32 on the same files; a
  region pasted from a quality-70 JPEG on a shifted grid, 0.64-0.68. A tile counts from 0.45.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from tradeshield.forensics.jpeg_history.grid import (
    STEPS,
    GridEvidence,
    excess,
    grid_evidence,
    shift_cosines,
)

Floats = npt.NDArray[np.float32]

_MIN_PHOTO_BLOCKS = 1_000
_SHIFTED_PHOTO = 0.3
_TILE_CLEAN, _TILE_FULL = 0.35, 0.55  # tile excess over the photo's: heat 0 .. heat 1
_TILE_HOT = 0.45
# Inside hot tiles, the blocks of the region: mean cos over 8x8 blocks from 0.25 (heat 0) to
# 0.55 (heat 1); the rest of a pasted tile's blocks sit near 0.
_BLOCK_WINDOW = 8
_BLOCK_CLEAN, _BLOCK_FULL = 0.25, 0.55


@dataclass(frozen=True, slots=True)
class ShiftedGrid:
    shift: tuple[int, int]  # rows, columns, in the stored frame
    step: int  # the earlier save's DC step
    excess: float


@dataclass(frozen=True, slots=True)
class MisalignedGrids:
    photo: ShiftedGrid | None  # the whole photo carries an earlier grid at this shift
    block_heat: Floats  # blocks_r x blocks_c (stored frame): on another JPEG's grid, 0..1
    regions: list[ShiftedGrid]  # the grids found in the hot tiles, strongest first
    peak: float


def misaligned_grids(
    luma: npt.NDArray[np.uint8], last_dc_step: int, blocks: tuple[int, int]
) -> MisalignedGrids:
    evidence = grid_evidence(luma, last_dc_step)
    photo = _photo_shift(evidence)
    photo_excess = excess(evidence.photo)
    tile_excess = excess(evidence.tiles) - photo_excess  # beyond the photo's own
    tile_excess[:, :, 0, 0] = -np.inf
    tile_excess[..., evidence.leaking] = -np.inf
    flat = tile_excess.reshape(*tile_excess.shape[:2], -1)
    known = np.isfinite(flat).any(axis=-1)
    best_index = np.argmax(np.where(np.isfinite(flat), flat, -np.inf), axis=-1)
    best = np.where(known, np.take_along_axis(flat, best_index[..., None], -1)[..., 0], 0.0)
    hot = best >= _TILE_HOT
    block_heat = np.zeros(blocks, np.float32)
    grids: list[ShiftedGrid] = []
    for index in _hot_grids(best_index[hot], best[hot]):
        row, col, step = np.unravel_index(index, (8, 8, STEPS.size))
        tiles_here = hot & (best_index == index)
        value = float(best[tiles_here].max())
        grid = ShiftedGrid((int(row), int(col)), int(STEPS[step]), value)
        heat = _block_heat(luma, grid, tiles_here, evidence.tile_blocks, blocks)
        np.maximum(block_heat, heat, out=block_heat)
        grids.append(grid)
    peak = float(np.clip((best.max() - _TILE_CLEAN) / (_TILE_FULL - _TILE_CLEAN), 0, 1))
    return MisalignedGrids(photo, block_heat, grids, peak if grids else 0.0)


def _photo_shift(evidence: GridEvidence) -> ShiftedGrid | None:
    if evidence.photo_blocks < _MIN_PHOTO_BLOCKS:
        return None
    shift, value, step = evidence.strongest_shift(evidence.photo)
    return ShiftedGrid(shift, step, value) if value >= _SHIFTED_PHOTO else None


def _hot_grids(indices: npt.NDArray[np.intp], values: Floats) -> list[int]:
    """The (shift, step) indices found in hot tiles, strongest first, at most three."""
    strongest: dict[int, float] = {}
    for index, value in zip(indices.tolist(), values.tolist(), strict=True):
        strongest[index] = max(strongest.get(index, 0.0), value)
    return sorted(strongest, key=lambda i: -strongest[i])[:3]


def _block_heat(
    luma: npt.NDArray[np.uint8],
    grid: ShiftedGrid,
    tiles: npt.NDArray[np.bool_],
    tile_blocks: int,
    blocks: tuple[int, int],
) -> Floats:
    """Per aligned block, how clearly the blocks of ``grid``'s shift nearby are multiples of
    its step; kept to the hot tiles and their neighbours."""
    cosines, weights = shift_cosines(luma, grid.shift, grid.step, blocks)
    summed = ndimage.uniform_filter(cosines * weights, _BLOCK_WINDOW, mode="constant")
    counted = ndimage.uniform_filter(weights, _BLOCK_WINDOW, mode="constant")
    mean = np.where(counted > 0.25, summed / np.maximum(counted, 1e-6), 0.0)
    heat = np.clip((mean - _BLOCK_CLEAN) / (_BLOCK_FULL - _BLOCK_CLEAN), 0, 1)
    near = ndimage.binary_dilation(tiles, np.ones((3, 3), bool))
    area = np.kron(near, np.ones((tile_blocks, tile_blocks), bool))
    within = np.zeros(blocks, bool)
    rows, cols = min(blocks[0], area.shape[0]), min(blocks[1], area.shape[1])
    within[:rows, :cols] = area[:rows, :cols]
    if area.shape[0] < blocks[0]:  # the last tile row takes the leftover blocks
        within[rows:, :cols] = area[-1:, :cols]
    if area.shape[1] < blocks[1]:
        within[:, cols:] = within[:, cols - 1 : cols]
    return np.where(within, heat, 0.0).astype(np.float32)
