"""The JPEG history detector: runs the double-quantisation and grid analyses on a JPEG's luma
and turns them into findings and one heat map (upright, like the photo)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
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
from tradeshield.forensics.jpeg_history.double_quantisation import HistoryMaps, history_maps
from tradeshield.forensics.jpeg_history.frames import (
    block_region,
    block_to_pixels,
    stored_luma8,
    upright,
)
from tradeshield.forensics.jpeg_history.misaligned import (
    MisalignedGrids,
    ShiftedGrid,
    misaligned_grids,
)
from tradeshield.forensics.loading import LoadedImage

DETECTOR = "jpeg_history"
VERSION = "jpeg_history-1.2.0"  # 1.1: non-aligned grids (misaligned.py); 1.2: heat_top signal

Floats = npt.NDArray[np.float32]

_FINDING_HEAT = 0.5
_MIN_REGION_BLOCKS = 48  # ~3 windows: smaller areas are noise
_MIN_SIDE = 64


def detect(image: LoadedImage) -> DetectorResult:
    tables = image.metadata.get("jpeg_quant_tables") or []
    if image.format not in ("JPEG", "MPO") or not tables or len(tables[0]) != 64:
        return _result([_finding("jpeg_history_not_jpeg", Strength.INFO, 0.0)], None)
    if min(image.height, image.width) < _MIN_SIDE:
        return _result([_finding("jpeg_history_too_small", Strength.INFO, 0.0)], None)
    orientation = int(image.metadata.get("orientation", 1))
    luma8 = stored_luma8(image.luma8(), orientation)
    luma = luma8.astype(np.float32)
    maps = history_maps(luma, np.asarray(tables[0], dtype=np.int64).reshape(8, 8))
    grids = misaligned_grids(luma8, int(tables[0][0]), maps.double_heat.shape)
    block_heat = np.maximum(maps.double_heat, grids.block_heat)
    heat = upright(block_to_pixels(block_heat, luma.shape), orientation)
    findings = _findings(maps, maps.double_heat, luma.shape, orientation)
    findings += _grid_findings(grids, luma.shape, orientation)
    return _result(findings, heat, {"heat_top": round(hottest_mean(block_heat), 4)})


def _grid_findings(
    grids: MisalignedGrids, shape: tuple[int, ...], orientation: int
) -> list[Finding]:
    findings = []
    if grids.photo is not None:
        details = _grid_details(grids.photo)
        findings.append(_finding("jpeg_grid_shifted", Strength.WEAK, 0.3, details=details))
    area = _strongest_area(grids.block_heat)
    if area is not None and grids.regions:
        mask, peak = area
        strength = Strength.STRONG if grids.peak >= 0.9 and peak >= 0.9 else Strength.MODERATE
        details = {**_grid_details(grids.regions[0]), "peak": round(peak, 3)}
        details["blocks"] = int(mask.sum())
        findings.append(
            _finding(
                "jpeg_grid_mismatch",
                strength,
                0.75 if strength is Strength.STRONG else 0.5,
                region=block_region(mask, shape, orientation),
                details=details,
            )
        )
    return findings


def _grid_details(grid: ShiftedGrid) -> dict[str, object]:
    """Where the other grid sits, in the file's stored frame, and the earlier save's step."""
    return {
        "grid_shift_rows": grid.shift[0],
        "grid_shift_columns": grid.shift[1],
        "earlier_dc_step": grid.step,
        "excess": round(grid.excess, 3),
    }


def _findings(
    maps: HistoryMaps, block_heat: Floats, shape: tuple[int, ...], orientation: int
) -> list[Finding]:
    findings = []
    if maps.dominant_double:
        first = {f"{u},{v}": fit.q1 for fit in maps.fits for (u, v) in [fit.frequency]}
        findings.append(
            _finding(
                "jpeg_saved_twice", Strength.INFO, 0.0, details={"first_quantisation_steps": first}
            )
        )
    area = _strongest_area(block_heat)
    if area is not None:
        mask, peak = area
        strength = Strength.STRONG if peak >= 0.9 else Strength.MODERATE
        findings.append(
            _finding(
                "jpeg_double_compression_mismatch",
                strength,
                0.75 if strength is Strength.STRONG else 0.5,
                region=block_region(mask, shape, orientation),
                details={
                    "peak": round(peak, 3),
                    "blocks": int(mask.sum()),
                    "background_saved_twice": maps.dominant_double,
                },
            )
        )
    return findings


def _strongest_area(heat: Floats) -> tuple[npt.NDArray[np.bool_], float] | None:
    labels, count = ndimage.label(heat > _FINDING_HEAT)
    if not count:
        return None
    sizes = ndimage.sum_labels(np.ones_like(heat), labels, index=np.arange(1, count + 1))
    peaks = ndimage.maximum(heat, labels, index=np.arange(1, count + 1))
    scores = np.where(sizes >= _MIN_REGION_BLOCKS, sizes * np.asarray(peaks), 0)
    if not scores.max():
        return None
    best = int(np.argmax(scores)) + 1
    return labels == best, float(peaks[best - 1])


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
