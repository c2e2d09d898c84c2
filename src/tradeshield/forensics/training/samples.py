"""Training samples, drawn with one seeded numpy generator so a run is repeatable.

Localiser: square patches of generator output with the mask averaged to the net's output
resolution (the share of each cell that was edited); patches of untouched photos are drawn
half the time from their most textured place, the hard negatives for a residual model.
Generated detector: native-resolution crops that both classes receive through the same
re-encoding (random rescale, random JPEG quality), so the file format and the source's
resolution are not what the model learns.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from tradeshield.forensics.loading import load_image

RGB = npt.NDArray[np.uint8]
_ON_MASK = 0.6  # share of edited-photo patches centred on the edit
_TEXTURED = 0.5  # share of control patches taken from the most textured of a few places
_TEXTURE_TRIES = 4


@dataclass(frozen=True, slots=True)
class EditedPhoto:
    rgb: RGB
    mask: npt.NDArray[np.bool_] | None  # None for untouched controls


def read_rgb(path: Path) -> RGB:
    return load_image(path.read_bytes()).rgb[..., :3]


def read_manifest(manifest: Path) -> list[tuple[dict[str, object], EditedPhoto]]:
    rows = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        rgb = np.asarray(Image.open(manifest.parent / row["path"]).convert("RGB"))
        mask = None
        if row.get("mask_path"):
            mask = np.asarray(Image.open(manifest.parent / row["mask_path"]).convert("L")) > 127
        rows.append((row, EditedPhoto(rgb, mask)))
    return rows


def _corner(size: int, patch: int, centre: int | None, rng: np.random.Generator) -> int:
    if size <= patch:
        return 0
    if centre is None:
        return int(rng.integers(0, size - patch + 1))
    return int(
        np.clip(centre - patch // 2 + rng.integers(-patch // 4, patch // 4 + 1), 0, size - patch)
    )


def _pad_to(rgb: RGB, patch: int) -> RGB:
    pad_h, pad_w = max(0, patch - rgb.shape[0]), max(0, patch - rgb.shape[1])
    if not (pad_h or pad_w):
        return rgb
    return np.pad(rgb, ((0, pad_h), (0, pad_w), (0, 0)), mode="reflect")


def _texture(rgb: RGB) -> float:
    grey = rgb.astype(np.float32).mean(axis=2)
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


def _corners(photo: EditedPhoto, patch: int, rng: np.random.Generator) -> tuple[int, int]:
    height, width = photo.rgb.shape[:2]
    if photo.mask is not None and photo.mask.any() and rng.random() < _ON_MASK:
        ys, xs = np.nonzero(photo.mask)
        pick = int(rng.integers(ys.size))
        return _corner(height, patch, int(ys[pick]), rng), _corner(width, patch, int(xs[pick]), rng)
    tries = _TEXTURE_TRIES if photo.mask is None and rng.random() < _TEXTURED else 1
    places = [
        (_corner(height, patch, None, rng), _corner(width, patch, None, rng)) for _ in range(tries)
    ]
    return max(places, key=lambda c: _texture(photo.rgb[c[0] : c[0] + patch, c[1] : c[1] + patch]))


def localiser_patch(
    photo: EditedPhoto, patch: int, rng: np.random.Generator, stride: int = 8
) -> tuple[RGB, npt.NDArray[np.float32]]:
    """A patch and its target at 1/``stride`` resolution (share of edited pixels per cell)."""
    height, width = photo.rgb.shape[:2]
    mask = photo.mask if photo.mask is not None else np.zeros((height, width), bool)
    top, left = _corners(photo, patch, rng)
    rgb = _pad_to(photo.rgb[top : top + patch, left : left + patch], patch)
    cut = mask[top : top + patch, left : left + patch].astype(np.float32)
    cut = np.pad(cut, ((0, patch - cut.shape[0]), (0, patch - cut.shape[1])))
    cells = patch // stride
    target = cut.reshape(cells, stride, cells, stride).mean(axis=(1, 3))
    if rng.random() < 0.5:
        rgb, target = rgb[:, ::-1], target[:, ::-1]
    return np.ascontiguousarray(rgb), np.ascontiguousarray(target)


def reencoded_crop(rgb: RGB, patch: int, rng: np.random.Generator) -> RGB:
    """A native-resolution crop after the re-encoding both classes share."""
    window = 2 * patch
    top = int(rng.integers(0, max(1, rgb.shape[0] - window + 1)))
    left = int(rng.integers(0, max(1, rgb.shape[1] - window + 1)))
    image = Image.fromarray(_pad_to(rgb[top : top + window, left : left + window], window))
    if rng.random() < 0.3:
        side = max(patch, round(window * float(rng.uniform(0.6, 1.0))))
        image = image.resize((side, side), Image.Resampling.BILINEAR)
    if rng.random() < 0.7:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=int(rng.integers(60, 96)))
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    out = np.asarray(image)
    top = int(rng.integers(0, out.shape[0] - patch + 1))
    left = int(rng.integers(0, out.shape[1] - patch + 1))
    crop = out[top : top + patch, left : left + patch]
    return np.ascontiguousarray(crop[:, ::-1] if rng.random() < 0.5 else crop)
