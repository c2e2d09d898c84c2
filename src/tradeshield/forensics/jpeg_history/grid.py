"""Non-aligned JPEG grids: an earlier compression whose 8x8 grid is not the file's, for the whole
photo and per 128x128 tile.

A JPEG stores each 8x8 block's mean as a multiple of the DC quantisation step. Decoded and
saved again on the same grid, that trace is what `double_quantisation` reads. Cropped off the
grid first, or pasted into another photo, the earlier blocks sit at another offset (a "grid
shift" of 0-7 rows and columns): the means of the 8x8 blocks taken at that shift are still
near multiples of the earlier step, and those at any other shift are not (Bianchi & Piva 2012
on non-aligned double JPEG; the measure here is the DC-only form of their integer-periodicity
test, implemented from the description):

1. for each of the 64 shifts, the DC coefficient of every 8x8 block at that shift, from an
   integral image (``sum / 8 - 1024``, JPEG's level shift and scale);
2. for candidate steps q, the mean of ``cos(2 pi DC / q)`` over the blocks: near 1 when the
   DCs are multiples of q, near 0 otherwise. Flat and clipped blocks are left out (their DC is
   "periodic" at every shift). Computed per tile from DC histograms, one matrix product;
3. shift 0 is the file's own grid (always periodic at the last step). The strongest other
   shift says whether the photo was cropped off an earlier grid and saved again, and tiles
   whose strongest other shift differs from the photo's lie on another JPEG's grid.

A blockiness-phase measure (steps between neighbouring pixels per column modulo 8, after Li et
al. 2009) was tried first and left out: a save at quality 90 wiped a quality-70 grid's steps,
while the DC periodicity survived it. Steps below 4 are not searched: a second save's rounding
noise (about 1.5 DC levels at quality 90) hides them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float32]

STEPS = np.array([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 20, 24], dtype=np.float64)
TILE_BLOCKS = 16  # 128x128 pixels
_DC_BINS = 2041  # rint(sum / 8) of 8-bit pixels: 0 .. 2040, i.e. DC -1024 .. 1016
_MIN_BLOCK_STD = 1.5  # grey levels: flatter blocks carry no information about a grid
_MAX_BLOCKS = 60_000  # blocks read per shift: larger photos are read every n-th block row
_CLIPPED = (4.0, 251.0)  # block means outside: clipped highlights or shadows
_MIN_TILE_BLOCKS = 96


@dataclass(frozen=True, slots=True)
class GridEvidence:
    """For every shift (row, column) 0..7 and candidate step: mean cos(2 pi DC / q)."""

    photo: Floats  # 8 x 8 x len(STEPS), over the whole photo
    tiles: Floats  # tiles_r x tiles_c x 8 x 8 x len(STEPS); NaN where a tile has too few blocks
    photo_blocks: int  # textured blocks read at shift 0
    tile_blocks: int  # tile side in blocks
    leaking: npt.NDArray[np.bool_]  # steps where the last save's own grid shows through

    def strongest_shift(self, periodicity: Floats) -> tuple[tuple[int, int], float, int]:
        """The non-zero shift whose DCs are the most periodic beyond the other shifts' (content
        such as posterised gradients is periodic at every shift), that excess and the step."""
        beyond = excess(periodicity)
        beyond[0, 0] = -np.inf
        beyond[..., self.leaking] = -np.inf
        row, col, step = np.unravel_index(int(np.nanargmax(beyond)), beyond.shape)
        return (int(row), int(col)), float(beyond[row, col, step]), _fundamental(beyond[row, col])


def excess(periodicity: Floats) -> Floats:
    """Periodicity (..., 8, 8, steps) minus its median over the 64 shifts, per step."""
    shape = periodicity.shape
    flat = periodicity.reshape(*shape[:-3], 64, shape[-1])
    median = np.median(flat, axis=-2, keepdims=True)
    beyond: Floats = (flat - median).reshape(shape).astype(np.float32)
    return beyond


def leaking_steps(last_dc_step: int) -> npt.NDArray[np.bool_]:
    """Steps at which the file's own grid shows through at other shifts. A block shifted by k
    pixels mixes two aligned blocks in shares k/8 and (8-k)/8; where their DCs are equal
    (smooth areas) or both multiples of the last step Q, its DC is near a multiple of Q k / 8."""
    leaks = np.array([last_dc_step * k / 8 for k in range(1, 9)])
    near: npt.NDArray[np.bool_] = (np.abs(STEPS[:, None] - leaks[None]) < 0.75).any(axis=1)
    return near


def grid_evidence(luma: npt.NDArray[np.uint8], last_dc_step: int) -> GridEvidence:
    """DC periodicity per shift and step, for the photo and per tile (8-bit luma in the stored
    frame, at least 16 pixels a side; ``last_dc_step`` the file's own luma DC step)."""
    tile_blocks = tile_blocks_for(luma.shape)
    blocks_r, blocks_c = (luma.shape[0] - 7) // 8, (luma.shape[1] - 7) // 8
    every = max(1, -(-blocks_r * blocks_c // _MAX_BLOCKS))  # block rows read: every n-th
    tiles_r, tiles_c = max(1, blocks_r // tile_blocks), max(1, blocks_c // tile_blocks)
    tile_rows = np.minimum(np.arange(0, blocks_r, every) // tile_blocks, tiles_r - 1)
    tile_cols = np.minimum(np.arange(blocks_c) // tile_blocks, tiles_c - 1)
    tile_of = (tile_rows[:, None] * tiles_c + tile_cols[None, :]) * _DC_BINS
    textured = _textured_blocks(luma, blocks_r, blocks_c)[:, :, ::every]
    phases = 2.0 * np.pi * (np.arange(_DC_BINS, dtype=np.float64) - 1024)[:, None] / STEPS[None]
    cosines = np.cos(phases).astype(np.float32)
    tiles = np.full((tiles_r * tiles_c, 8, 8, STEPS.size), np.nan, np.float32)
    photo = np.zeros((8, 8, STEPS.size), np.float32)
    photo_blocks = 0
    for (row, col), total in _block_sums(luma, blocks_r, blocks_c, every):
        keep = textured[row, col] & (total > _CLIPPED[0] * 64) & (total < _CLIPPED[1] * 64)
        dc = (total[keep] + 4) // 8  # rint(sum / 8)
        histogram = np.bincount(tile_of[keep] + dc, minlength=tiles_r * tiles_c * _DC_BINS)
        counts = histogram.reshape(-1, _DC_BINS)
        totals = counts.astype(np.float32) @ cosines  # tiles x steps
        blocks = counts.sum(axis=1)
        photo[row, col] = totals.sum(axis=0) / max(1, int(blocks.sum()))
        photo_blocks = photo_blocks or int(blocks.sum())
        enough = blocks >= _MIN_TILE_BLOCKS
        tiles[enough, row, col] = totals[enough] / blocks[enough, None]
    return GridEvidence(
        photo=photo,
        tiles=tiles.reshape(tiles_r, tiles_c, 8, 8, STEPS.size),
        photo_blocks=photo_blocks * every,
        tile_blocks=tile_blocks,
        leaking=leaking_steps(last_dc_step),
    )


def shift_cosines(
    luma: npt.NDArray[np.uint8], shift: tuple[int, int], step: int, blocks: tuple[int, int]
) -> tuple[Floats, Floats]:
    """cos(2 pi DC / step) of every block at ``shift``, and 1 where the block is informative
    (textured, not clipped), 0 elsewhere; both laid out like the aligned blocks (``blocks``,
    the block at 8i + shift in cell i)."""
    row, col = shift
    rows = min(blocks[0], (luma.shape[0] - row) // 8)
    cols = min(blocks[1], (luma.shape[1] - col) // 8)
    part = np.ascontiguousarray(luma[row : row + 8 * rows, col : col + 8 * cols])
    integral = cv2.integral(part, sdepth=cv2.CV_32S)
    with np.errstate(over="ignore"):
        strip = integral[8::8] - integral[:-8:8]
        total = strip[:, 8::8] - strip[:, :-8:8]
    informative = _textured_blocks(part, rows, cols)[0, 0]
    informative &= (total > _CLIPPED[0] * 64) & (total < _CLIPPED[1] * 64)
    cosines = np.zeros(blocks, np.float32)
    weights = np.zeros(blocks, np.float32)
    dc = (total + 4) // 8 - 1024
    cosines[:rows, :cols] = np.cos(2.0 * np.pi * dc / step)
    weights[:rows, :cols] = informative
    return cosines, weights


def tile_blocks_for(shape: tuple[int, ...]) -> int:
    """Tile side in blocks: 128 pixels, 256 on photos above 4 megapixels (a pasted region is
    larger there in pixels, and the search stays fast)."""
    return TILE_BLOCKS if shape[0] * shape[1] <= 4_000_000 else 2 * TILE_BLOCKS


def _block_sums(
    luma: npt.NDArray[np.uint8], blocks_r: int, blocks_c: int, every: int
) -> Iterator[tuple[tuple[int, int], npt.NDArray[np.int32]]]:
    """For each shift, the pixel sums of its 8x8 blocks (every ``every``-th row of blocks,
    blocks_c a row), from the integral
    image. The integral wraps around in int32 on large photos; a block's sum (at most 16,320)
    comes out exact anyway, as differences in modular arithmetic do."""
    integral = cv2.integral(luma, sdepth=cv2.CV_32S)
    with np.errstate(over="ignore"):
        for row in range(8):
            top = integral[row : row + 8 * blocks_r : 8 * every]
            bottom = integral[row + 8 : row + 8 * blocks_r + 1 : 8 * every]
            strip = bottom - top  # blocks_r x (width + 1): column running sums of 8 rows
            for col in range(8):
                right = strip[:, col + 8 : col + 8 * blocks_c + 1 : 8]
                yield (row, col), right - strip[:, col : col + 8 * blocks_c : 8]


def _textured_blocks(
    luma: npt.NDArray[np.uint8], blocks_r: int, blocks_c: int
) -> npt.NDArray[np.bool_]:
    """shift_r x shift_c x blocks_r x blocks_c: whether a block at that shift has texture.
    Judged on the aligned blocks it overlaps (all four must vary), which is cheap and
    conservative: a flat block's mean is "periodic" at every shift and says nothing."""
    rows, cols = luma.shape[0] // 8, luma.shape[1] // 8
    pixels = luma[: rows * 8, : cols * 8].astype(np.float32)
    means = cv2.resize(pixels, (cols, rows), interpolation=cv2.INTER_AREA)  # exact: factor 8
    squares = cv2.resize(pixels * pixels, (cols, rows), interpolation=cv2.INTER_AREA)
    varies = np.asarray(squares - means * means) >= _MIN_BLOCK_STD**2
    padded = np.zeros((blocks_r + 1, blocks_c + 1), bool)
    padded[: min(rows, blocks_r + 1), : min(cols, blocks_c + 1)] = varies[
        : blocks_r + 1, : blocks_c + 1
    ]
    both_rows = padded[:-1] & padded[1:]
    four = both_rows[:, :-1] & both_rows[:, 1:]
    first_row = padded[:-1, :-1] & padded[:-1, 1:]
    first_col = padded[:-1, :-1] & padded[1:, :-1]
    out = np.empty((8, 8, blocks_r, blocks_c), bool)
    out[...] = four
    out[0, 1:] = first_row
    out[1:, 0] = first_col
    out[0, 0] = padded[:-1, :-1]
    return out


def _fundamental(periodicity: Floats) -> int:
    """The largest step whose periodicity is near the best: DCs that are multiples of 10 are
    multiples of 5 too, and the first step is the larger."""
    best = float(np.nanmax(periodicity))
    near = np.flatnonzero(periodicity >= 0.8 * best)
    return int(STEPS[near.max()])
