"""Noise inconsistency detector: regions whose fine-grain noise does not match the photo's.

A camera leaves sensor noise everywhere in a photo, at a level that depends on brightness.
Areas filled by an AI model, smoothed with a brush or pasted from a cleaner (or noisier)
picture carry a different level. This module:

1. takes the luma at full resolution and the high-pass residual of Immerkaer's fast noise
   estimator (the 3x3 difference of Laplacians, which cancels flat and linearly shaded
   content), in 16-bit integers to stay fast on 12-megapixel photos;
2. estimates the noise of each 32x32 tile as the median over its 8x8 blocks (one edge or a
   few textured blocks do not move it);
3. fits the photo's noise-level function: the median tile noise per brightness band;
4. marks tiles whose noise is far below what their brightness predicts (less than ~30 %),
   ignoring tiles near black or white where noise is clipped.

What is measured in a JPEG is sensor noise plus compression residue: JPEG at usual qualities
wipes grain from flat areas (sky, walls), so genuine photos have low-noise patches too.
Measured on ``real/camera`` (97 photos): 12 had a low-noise area large enough for a finding
(3 MODERATE), and 52 were too faint to judge: photos whose overall level is below 0.8 grey
levels (heavily compressed or denoised) and pictures under 384 pixels a side are not judged.
Hence the finding is WEAK, MODERATE only for near-noiseless areas in a clearly noisy photo,
and "too much noise" is not reported (texture made it fire on most photos).
It does not say what changed, only where the photo's grain is not the photo's.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
from PIL import Image
from scipy import ndimage

from tradeshield.forensics.findings import (
    DetectorResult,
    Finding,
    HeatMap,
    Region,
    Strength,
    catalogue_finding,
    hottest_mean,
)
from tradeshield.forensics.loading import LoadedImage

DETECTOR = "noise"
VERSION = "noise-1.1.0"  # 1.1: the heat_top signal for the fitted fusion

Floats = npt.NDArray[np.float32]

_BLOCK = 8
_TILE_BLOCKS = 4  # tiles of 32x32 pixels
_TILE_PERCENTILE = 50  # of the 16 block residuals in a tile
_IMMERKAER = float(np.sqrt(np.pi / 2) / 6)  # mean |residual| -> noise standard deviation
_BANDS = 8  # brightness bands of the noise-level function
_MIN_TILES_PER_BAND = 12
_DARK, _BRIGHT = 20.0, 235.0  # tiles whose mean is outside carry clipped noise
_MIN_NOISE = 0.3  # floor of the noise-level function, in grey levels
_MIN_PHOTO_NOISE = 0.8  # below this the photo's grain is too faint to compare
# tile noise / expected noise: 0.7 and above is heat 0, 0.3 heat 0.5, 0.1 and below heat 1
_RATIO_CLEAN, _RATIO_MISSING = 0.7, 0.1
_FINDING_HEAT = 0.5
_MODERATE_RATIO = 0.15
_MODERATE_PHOTO_NOISE = 1.5
_MIN_REGION_TILES = 12
_MIN_REGION_SHARE = 0.005  # of the usable tiles
_MIN_SIDE = 384  # smaller pictures have too few tiles to tell a region from chance


def detect(image: LoadedImage) -> DetectorResult:
    if min(image.height, image.width) < _MIN_SIDE:
        return _result([_finding("noise_too_small", Strength.INFO, 0.0)], None)
    luma = image.luma8()
    noise, brightness = tile_noise(luma)
    expected = _expected_noise(noise, brightness)
    if expected is None:
        return _result([_finding("noise_not_measurable", Strength.INFO, 0.0)], None)
    tile_heat = _inconsistency(noise, brightness, expected)
    heat = _to_pixels(tile_heat, luma.shape)
    signals = {"heat_top": round(hottest_mean(tile_heat), 4)}
    return _result(_findings(tile_heat, noise, expected, luma.shape), heat, signals)


def tile_noise(luma: npt.NDArray[np.uint8]) -> tuple[Floats, Floats]:
    """Noise standard deviation and mean brightness of every 32x32 tile."""
    signed = luma.astype(np.int16)
    across = signed[:, :-2] + signed[:, 2:]
    across -= signed[:, 1:-1] * np.int16(2)
    residual = across[:-2] + across[2:]
    residual -= across[1:-1] * np.int16(2)
    np.abs(residual, out=residual)
    rows = residual.shape[0] // _BLOCK
    cols = residual.shape[1] // _BLOCK
    blocks = residual[: rows * _BLOCK, : cols * _BLOCK].reshape(rows, _BLOCK, cols, _BLOCK)
    block_mean = blocks.sum(axis=(1, 3), dtype=np.int32).astype(np.float32) / _BLOCK**2
    tiles_r, tiles_c = rows // _TILE_BLOCKS, cols // _TILE_BLOCKS
    grouped = (
        block_mean[: tiles_r * _TILE_BLOCKS, : tiles_c * _TILE_BLOCKS]
        .reshape(tiles_r, _TILE_BLOCKS, tiles_c, _TILE_BLOCKS)
        .transpose(0, 2, 1, 3)
    )
    flat = np.percentile(grouped.reshape(tiles_r, tiles_c, -1), _TILE_PERCENTILE, axis=-1)
    side = _BLOCK * _TILE_BLOCKS
    # tile t of the residual covers pixels 32t+1 .. 32t+32; one pixel off is fine for a mean
    brightness = np.asarray(Image.fromarray(luma).reduce(side), dtype=np.float32)[
        :tiles_r, :tiles_c
    ]
    return (flat * _IMMERKAER).astype(np.float32), brightness.astype(np.float32)


def _expected_noise(noise: Floats, brightness: Floats) -> Floats | None:
    """The photo's noise-level function evaluated at every tile's brightness."""
    usable = (brightness > _DARK) & (brightness < _BRIGHT)
    if usable.sum() < _MIN_TILES_PER_BAND:
        return None
    overall = float(np.median(noise[usable]))
    if overall < _MIN_PHOTO_NOISE:
        return None
    edges = np.quantile(brightness[usable], np.linspace(0, 1, _BANDS + 1))
    centres, levels = [], []
    for low, high in itertools.pairwise(edges):
        band = usable & (brightness >= low) & (brightness <= high)
        if band.sum() >= _MIN_TILES_PER_BAND:
            centres.append(float(np.median(brightness[band])))
            levels.append(max(float(np.median(noise[band])), _MIN_NOISE))
    if not centres:
        return np.full_like(noise, overall)
    return np.interp(brightness, centres, levels).astype(np.float32)


def _inconsistency(noise: Floats, brightness: Floats, expected: Floats) -> Floats:
    usable = (brightness > _DARK) & (brightness < _BRIGHT)
    ratio = np.maximum(noise, 1e-3) / expected
    span = np.log(_RATIO_CLEAN) - np.log(_RATIO_MISSING)
    heat = np.clip((np.log(_RATIO_CLEAN) - np.log(ratio)) / span, 0, 1)
    heat = np.where(usable, heat, 0.0)
    # a lone tile is texture or chance; a patch of them is a region
    return ndimage.median_filter(heat, size=3, mode="nearest").astype(np.float32)


def _findings(
    tile_heat: Floats, noise: Floats, expected: Floats, shape: tuple[int, ...]
) -> list[Finding]:
    labels, count = ndimage.label(tile_heat >= _FINDING_HEAT)
    if not count:
        return []
    index = np.arange(1, count + 1)
    sizes = np.asarray(ndimage.sum_labels(np.ones_like(tile_heat), labels, index))
    peaks = np.asarray(ndimage.maximum(tile_heat, labels, index))
    least = max(_MIN_REGION_TILES, _MIN_REGION_SHARE * tile_heat.size)
    scores = np.where(sizes >= least, sizes * peaks, 0)
    if not scores.max():
        return []
    best = int(np.argmax(scores)) + 1
    mask = labels == best
    ratio = float(np.median(noise[mask] / expected[mask]))
    photo_noise = float(np.median(expected))
    clear = ratio <= _MODERATE_RATIO and photo_noise >= _MODERATE_PHOTO_NOISE
    strength = Strength.MODERATE if clear else Strength.WEAK
    code = "noise_missing"
    details: dict[str, object] = {
        "noise_ratio": round(ratio, 3),
        "tiles": int(mask.sum()),
        "photo_noise": round(photo_noise, 3),
    }
    return [
        _finding(
            code,
            strength,
            0.5 if strength is Strength.MODERATE else 0.25,
            region=_region(mask, shape),
            details=details,
        )
    ]


def _region(mask: npt.NDArray[np.bool_], shape: tuple[int, ...]) -> Region:
    side = _BLOCK * _TILE_BLOCKS
    rows, cols = np.nonzero(mask)
    # +1: the residual drops the first pixel row and column
    y0, x0 = int(rows.min() * side + 1), int(cols.min() * side + 1)
    y1 = min(int((rows.max() + 1) * side + 1), shape[0])
    x1 = min(int((cols.max() + 1) * side + 1), shape[1])
    return Region(x=x0, y=y0, width=x1 - x0, height=y1 - y0)


def _to_pixels(tile_heat: Floats, shape: tuple[int, ...]) -> HeatMap:
    side = _BLOCK * _TILE_BLOCKS
    pixels = np.zeros(shape[:2], dtype=np.float32)
    rows, cols = tile_heat.shape
    covered = pixels[1 : 1 + rows * side, 1 : 1 + cols * side].reshape(rows, side, cols, side)
    covered[...] = tile_heat[:, None, :, None]
    return pixels


def _finding(
    code: str,
    strength: Strength,
    score: float,
    region: Region | None = None,
    details: dict[str, object] | None = None,
) -> Finding:
    return catalogue_finding(DETECTOR, code, strength, score, region, details)


def _result(
    findings: list[Finding], heatmap: HeatMap | None, signals: dict[str, float] | None = None
) -> DetectorResult:
    return DetectorResult(DETECTOR, VERSION, findings, heatmap, signals or {})
