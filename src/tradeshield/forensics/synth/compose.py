"""Putting a defect into a photo the ways fraudsters do, with a pixel-exact mask.

Every method builds a candidate image, then only pixels inside the defect's (feathered)
footprint are taken from it. The mask is computed last as exactly the pixels whose value
changed, so it can never disagree with the edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from tradeshield.forensics.synth.defects import KINDS, METHODS, Defect, Float
from tradeshield.forensics.synth.shapes import Mask

RGB = npt.NDArray[np.uint8]
MIN_CHANGED_FRACTION = 0.001
_ATTEMPTS = 12


@dataclass(frozen=True, slots=True)
class Edit:
    image: RGB
    mask: Mask  # exactly the pixels that differ from the input photo
    kind: str
    method: str
    params: dict[str, Any] = field(default_factory=dict)


def _feather(outline: Mask, sigma: float) -> npt.NDArray[np.float32]:
    alpha = outline.astype(np.float32)
    if sigma > 0:
        alpha = np.asarray(cv2.GaussianBlur(alpha, (0, 0), sigma), np.float32)
    return alpha[..., None]


def _blend(photo: Float, layer: Float, alpha: npt.NDArray[np.float32]) -> Float:
    return np.asarray(photo * (1.0 - alpha) + layer * alpha, np.float32)


def _shifted(photo: Float, outline: Mask, rng: np.random.Generator) -> tuple[Float, list[int]]:
    """The photo moved so that a patch from elsewhere lands on the outline (copy-move)."""
    h, w = outline.shape
    ys, xs = np.nonzero(outline)
    span_y, span_x = int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1
    dy = int(rng.choice([-1, 1]) * rng.integers(span_y, max(span_y + 1, h // 2)))
    dx = int(rng.choice([-1, 1]) * rng.integers(span_x, max(span_x + 1, w // 2)))
    padded = np.asarray(cv2.copyMakeBorder(photo, h, h, w, w, cv2.BORDER_REFLECT_101), np.float32)
    return padded[h - dy : 2 * h - dy, w - dx : 2 * w - dx].copy(), [dy, dx]


def _donor_layer(donor: RGB, h: int, w: int, rng: np.random.Generator) -> Float:
    """A piece of another photo the size of this one (splice source)."""
    dh, dw = donor.shape[:2]
    zoom = max(h / dh, w / dw, 1.0) * float(rng.uniform(1.0, 1.5))
    size = (int(dw * zoom) + 1, int(dh * zoom) + 1)
    scaled = np.asarray(cv2.resize(donor, size, interpolation=cv2.INTER_LINEAR))
    y = int(rng.integers(0, scaled.shape[0] - h + 1))
    x = int(rng.integers(0, scaled.shape[1] - w + 1))
    return scaled[y : y + h, x : x + w].astype(np.float32)


_MIN_CLONE_SPAN = 2  # last row (column) minus first of the mask


def _poisson(photo: RGB, layer: Float, outline: Mask, rng: np.random.Generator) -> Float:
    inner = outline.copy()
    inner[:3, :] = inner[-3:, :] = False
    inner[:, :3] = inner[:, -3:] = False
    ys, xs = np.nonzero(inner)
    # OpenCV's seamlessClone fails on a mask under 3 pixels across (a sliver of a stain at
    # the photo's edge): leave the photo unchanged so that `make_edit` draws another defect
    if ys.size == 0 or min(ys.max() - ys.min(), xs.max() - xs.min()) < _MIN_CLONE_SPAN:
        return photo.astype(np.float32)
    centre = (int((xs.min() + xs.max() + 1) // 2), int((ys.min() + ys.max() + 1) // 2))
    mode = cv2.MIXED_CLONE if rng.random() < 0.3 else cv2.NORMAL_CLONE
    source = np.clip(np.rint(layer), 0, 255).astype(np.uint8)
    mask8 = inner.astype(np.uint8) * 255
    return np.asarray(cv2.seamlessClone(source, photo, mask8, centre, mode), np.float32)


def _candidate(
    photo: RGB, defect: Defect, method: str, rng: np.random.Generator, donor: RGB | None
) -> tuple[Float, Mask, dict[str, Any]]:
    """The edited candidate and the footprint outside which nothing may change."""
    base = photo.astype(np.float32)
    outline = defect.outline
    sigma = float(rng.uniform(0.0, 2.5))
    footprint = cv2.dilate(outline.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    params: dict[str, Any] = {"feather_sigma": round(sigma, 3)}
    if method in ("inpaint_telea", "inpaint_ns"):
        radius = int(rng.integers(3, 9))
        flag = cv2.INPAINT_TELEA if method == "inpaint_telea" else cv2.INPAINT_NS
        filled = np.asarray(cv2.inpaint(photo, outline.astype(np.uint8), radius, flag), np.float32)
        return defect.tone(filled), outline, {"radius": radius}
    if method == "poisson":
        return _poisson(photo, defect.tone(base), outline, rng), footprint, {}
    if method == "copy_move":
        moved, offset = _shifted(base, outline, rng)
        params["offset"] = offset
        return _blend(base, defect.tone(moved), _feather(outline, sigma)), footprint, params
    if method == "splice":
        source = donor if donor is not None else photo
        height, width = outline.shape
        layer = defect.tone(_donor_layer(source, height, width, rng))
        return _blend(base, layer, _feather(outline, sigma)), footprint, params
    if method == "local_blur":
        blur = float(rng.uniform(2.0, 6.0))
        smooth = np.asarray(cv2.GaussianBlur(base, (0, 0), blur), np.float32)
        params["blur_sigma"] = round(blur, 3)
        return _blend(base, defect.tone(smooth), _feather(outline, sigma)), footprint, params
    if method == "feather_alpha":
        opacity = float(rng.uniform(0.6, 1.0))
        params["opacity"] = round(opacity, 3)
        alpha = _feather(outline, sigma) * opacity
        return _blend(base, defect.tone(base), alpha), footprint, params
    raise ValueError(f"unknown edit method {method!r}")


def make_edit(
    photo: RGB,
    kind: str,
    rng: np.random.Generator,
    method: str | None = None,
    donor: RGB | None = None,
) -> Edit:
    """One defect of ``kind`` put into ``photo``; ``method`` drawn from the kind's when None."""
    h, w = photo.shape[:2]
    chosen = method or str(rng.choice(METHODS[kind]))
    for _ in range(_ATTEMPTS):
        defect = KINDS[kind](rng, h, w)
        if not defect.outline.any():
            continue
        candidate, footprint, params = _candidate(photo, defect, chosen, rng, donor)
        rounded = np.clip(np.rint(candidate), 0, 255).astype(np.uint8)
        edited = np.where(footprint[..., None], rounded, photo)
        mask = np.any(edited != photo, axis=2)
        if mask.sum() >= max(16, MIN_CHANGED_FRACTION * h * w):
            return Edit(edited, mask, kind, chosen, {**defect.params, **params})
    raise ValueError(f"could not place a visible {kind} in a {w}x{h} photo")
