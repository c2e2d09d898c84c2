"""Does the small JPEG preview that cameras store in EXIF (IFD1) still show the photo?

Many editors re-save a photo with its EXIF block untouched, so the preview keeps the picture
as it was before the edit. Preview and photo are compared as normalised grey images after
searching the rotation (a lossless rotate leaves the preview as it was), letterbox and crop
(cameras and croppers frame the preview differently) that align them best; then an 8x8 grid
says where they still disagree. A photo whose preview cannot be aligned at all (the camera
frames it differently, or it is blank) yields nothing: that is not evidence either way.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image
from scipy import ndimage

from tradeshield.forensics.findings import Finding, HeatMap, Region
from tradeshield.forensics.provenance.tables import ThumbnailSettings, make_finding, tables

Grey = npt.NDArray[np.float32]
Box = tuple[float, float, float, float]

_GRID = 8
_ORIENT = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}
_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)  # the refinement finds the scales between
_OFFSETS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True, slots=True)
class ThumbnailComparison:
    correlation: float  # of the aligned, normalised grey images
    cells: npt.NDArray[np.float32]  # 8x8 mean absolute difference, in standard deviations
    difference: Grey  # per pixel at compare size, for the heat map


def thumbnail_findings(
    thumbnail: bytes, luma: npt.NDArray[np.uint8], orientation: int
) -> tuple[list[Finding], HeatMap | None]:
    """Findings and heat map from the EXIF preview against the photo's (upright) luma."""
    settings = tables().thumbnail
    comparison = compare_thumbnail(thumbnail, luma, orientation, settings)
    if comparison is None:
        return [], None
    details: dict[str, float | str] = {
        "correlation": round(comparison.correlation, 3),
        "worst_cell": round(float(comparison.cells.max()), 3),
        "median_cell": round(float(np.median(comparison.cells)), 3),
    }
    if comparison.correlation < settings.different_correlation:
        details["verdict"] = "different_picture"
        return [make_finding("exif_thumbnail_mismatch", details=details)], None
    aligned = float(np.median(comparison.cells)) < settings.aligned_median
    if not aligned or comparison.cells.max() <= settings.cell_changed:
        return [], None
    heat = _heatmap(comparison.difference, luma.shape[0], luma.shape[1], settings)
    region = _region(comparison.cells, luma.shape[0], luma.shape[1], settings.cell_changed)
    details["verdict"] = "local_change"
    return [make_finding("exif_thumbnail_mismatch", details=details, region=region)], heat


def compare_thumbnail(
    thumbnail: bytes, luma: npt.NDArray[np.uint8], orientation: int, settings: ThumbnailSettings
) -> ThumbnailComparison | None:
    """Align the preview to the photo and measure where they differ; ``None`` if unusable."""
    preview = _decode(thumbnail, orientation)
    if preview is None:
        return None
    photo = _reduced(luma, 4 * settings.compare_side)
    coarse = _normalised(_shrink(photo, settings.search_side))
    fine = _normalised(_shrink(photo, settings.compare_side))
    if coarse is None or fine is None:
        return None
    source, box = _coarse_alignment(preview, coarse)
    box, correlation = _refine(source, box, fine)
    view = _views(source, np.array([box]), fine.shape)[0]
    difference = np.abs(view - fine)
    rows, cols = (fine.shape[0] // _GRID) * _GRID, (fine.shape[1] // _GRID) * _GRID
    cells = difference[:rows, :cols].reshape(_GRID, rows // _GRID, _GRID, cols // _GRID)
    return ThumbnailComparison(correlation, cells.mean(axis=(1, 3)).astype(np.float32), difference)


def _decode(thumbnail: bytes, orientation: int) -> Grey | None:
    try:
        with Image.open(io.BytesIO(thumbnail)) as opened:
            preview = opened.convert("L")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    for transpose in _ORIENT.get(orientation, []):
        preview = preview.transpose(transpose)
    grey = np.asarray(preview, dtype=np.float32)
    if min(grey.shape) < _GRID or float(grey.std()) < 2.0:
        return None  # blank previews say nothing
    # the preview is sampled at about a quarter of its size: average first, not alias
    return ndimage.uniform_filter(grey, 3).astype(np.float32)


def _reduced(luma: npt.NDArray[np.uint8], side: int) -> Image.Image:
    """The photo box-averaged down to about ``side`` pixels (an integer factor: cheap)."""
    image = Image.fromarray(luma)
    factor = max(1, min(image.size) // side)
    return image.reduce(factor) if factor > 1 else image


def _shrink(image: Image.Image, side: int) -> Image.Image:
    width, height = image.size
    scale = side / max(width, height)
    size = (max(_GRID, round(width * scale)), max(_GRID, round(height * scale)))
    return image.resize(size, Image.Resampling.BOX, reducing_gap=3.0)


def _normalised(image: Image.Image) -> Grey | None:
    grey = ndimage.uniform_filter(np.asarray(image, dtype=np.float32), 3)
    spread = float(grey.std())
    return ((grey - grey.mean()) / spread).astype(np.float32) if spread > 1.0 else None


def _views(source: Grey, boxes: npt.NDArray[np.float64], shape: tuple[int, ...]) -> Grey:
    """Each box (x0, y0, x1, y1) of ``source`` sampled to ``shape`` and normalised: N x H x W."""
    rows, cols = shape[0], shape[1]
    fy = (np.arange(rows) + 0.5) / rows
    fx = (np.arange(cols) + 0.5) / cols
    ys = boxes[:, 1, None] + fy[None, :] * (boxes[:, 3] - boxes[:, 1])[:, None] - 0.5
    xs = boxes[:, 0, None] + fx[None, :] * (boxes[:, 2] - boxes[:, 0])[:, None] - 0.5
    grid_y = np.broadcast_to(ys[:, :, None], (len(boxes), rows, cols))
    grid_x = np.broadcast_to(xs[:, None, :], (len(boxes), rows, cols))
    sampled = ndimage.map_coordinates(
        source, [grid_y.ravel(), grid_x.ravel()], order=1, mode="nearest"
    ).reshape(len(boxes), rows, cols)
    # a light blur at compare size keeps resampling aliasing from counting as a difference
    sampled = ndimage.uniform_filter(sampled, (1, 3, 3))
    sampled -= sampled.mean(axis=(1, 2), keepdims=True)
    sampled /= sampled.std(axis=(1, 2), keepdims=True) + 1e-3
    return sampled.astype(np.float32)


def _correlations(
    source: Grey, boxes: npt.NDArray[np.float64], target: Grey
) -> npt.NDArray[np.float32]:
    products = _views(source, boxes, target.shape) * target[None]
    correlations: npt.NDArray[np.float32] = products.mean(axis=(1, 2), dtype=np.float32)
    return correlations


def _coarse_alignment(preview: Grey, target: Grey) -> tuple[Grey, Box]:
    """Best rotation, scale and offset of a photo-shaped crop of the preview."""
    aspect = target.shape[1] / target.shape[0]
    best: tuple[float, Grey, Box] = (-2.0, preview, (0.0, 0.0, 0.0, 0.0))
    for quarter_turns in range(4):
        source = np.ascontiguousarray(np.rot90(preview, quarter_turns))
        candidates = {
            _crop_box(source.shape, aspect, scale, fx, fy)
            for scale in _SCALES
            for fx in _OFFSETS
            for fy in _OFFSETS
        }
        boxes = np.array(sorted(candidates))
        scores = _correlations(source, boxes, target)
        index = int(np.argmax(scores))
        if scores[index] > best[0]:
            x0, y0, x1, y1 = (float(v) for v in boxes[index])
            best = (float(scores[index]), source, (x0, y0, x1, y1))
    return best[1], best[2]


def _crop_box(shape: tuple[int, ...], aspect: float, scale: float, fx: float, fy: float) -> Box:
    height, width = shape[0], shape[1]
    if width / height > aspect:
        crop_h = height * scale
        crop_w = crop_h * aspect
    else:
        crop_w = width * scale
        crop_h = crop_w / aspect
    x0, y0 = (width - crop_w) * fx, (height - crop_h) * fy
    return (x0, y0, x0 + crop_w, y0 + crop_h)


def _refine(source: Grey, box: Box, target: Grey) -> tuple[Box, float]:
    """Hill-climb the four crop edges in shrinking steps of preview pixels."""
    current = np.array(box, dtype=np.float64)
    score = float(_correlations(source, current[None], target)[0])
    moves = np.concatenate([np.eye(4), -np.eye(4)])
    for step in (2.0, 1.0, 0.5):
        for _ in range(20):
            trials = current[None] + step * moves
            trials = trials[[_inside(trial, source.shape) for trial in trials]]
            if not len(trials):
                break
            scores = _correlations(source, trials, target)
            index = int(np.argmax(scores))
            if scores[index] <= score + 1e-4:
                break
            current, score = trials[index], float(scores[index])
    x0, y0, x1, y1 = (float(v) for v in current)
    return (x0, y0, x1, y1), score


def _inside(box: npt.NDArray[np.float64], shape: tuple[int, ...]) -> bool:
    x0, y0, x1, y1 = (float(v) for v in box)
    return x0 >= 0 and y0 >= 0 and x1 <= shape[1] and y1 <= shape[0] and min(x1 - x0, y1 - y0) >= 4


def _heatmap(difference: Grey, height: int, width: int, settings: ThumbnailSettings) -> HeatMap:
    level = np.clip((difference - settings.cell_changed / 2) / (2 * settings.cell_changed), 0, 1)
    small = Image.fromarray(level.astype(np.float32), mode="F")
    return np.asarray(small.resize((width, height), Image.Resampling.BILINEAR), dtype=np.float32)


def _region(cells: npt.NDArray[np.float32], height: int, width: int, threshold: float) -> Region:
    """Bounding box of the connected changed cells that hold the worst one."""
    labels, _ = ndimage.label(cells > threshold)
    worst = np.unravel_index(int(np.argmax(cells)), cells.shape)
    rows, cols = np.nonzero(labels == labels[worst])
    cell_h, cell_w = height / _GRID, width / _GRID
    y0, y1 = int(rows.min() * cell_h), int((rows.max() + 1) * cell_h)
    x0, x1 = int(cols.min() * cell_w), int((cols.max() + 1) * cell_w)
    return Region(x=x0, y=y0, width=x1 - x0, height=y1 - y0)
