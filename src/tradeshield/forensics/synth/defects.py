"""What each kind of damage looks like: its outline and how it changes the pixels under it.

A defect is an outline (a boolean mask) and a tone: a function from the pixels that will sit
under the defect (the photo itself, a copy-moved or spliced patch) to damaged-looking pixels.
How the toned pixels are put into the photo is the edit method's business (compose.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from tradeshield.forensics.synth import shapes

Float = npt.NDArray[np.float32]  # H x W x 3, 0..255
Tone = Callable[[Float], Float]


@dataclass(frozen=True, slots=True)
class Defect:
    outline: shapes.Mask
    tone: Tone
    params: dict[str, Any]


def _hole(rng: np.random.Generator, h: int, w: int) -> Defect:
    scale = float(rng.uniform(0.05, 0.14))
    shade = float(rng.uniform(0.08, 0.3))
    texture = shapes.smooth_noise(rng, h, w, 6)[..., None]

    def tone(under: Float) -> Float:
        return (under * shade * (0.6 + 0.8 * texture) + 6.0).astype(np.float32)

    return Defect(shapes.polygon(rng, h, w, scale), tone, {"scale": scale, "shade": shade})


def _stain(rng: np.random.Generator, h: int, w: int) -> Defect:
    scale = float(rng.uniform(0.07, 0.18))
    tint = np.array(
        [rng.uniform(0.55, 0.85), rng.uniform(0.45, 0.7), rng.uniform(0.25, 0.5)], np.float32
    )
    return Defect(
        shapes.blob(rng, h, w, scale),
        lambda under: under * tint,
        {"scale": scale, "tint": [round(float(t), 3) for t in tint]},
    )


def _mould(rng: np.random.Generator, h: int, w: int) -> Defect:
    scale = float(rng.uniform(0.07, 0.16))
    colour = np.array(
        rng.choice([[90, 110, 70], [200, 205, 190], [60, 70, 50], [150, 160, 90]]), np.float32
    )
    grain = shapes.smooth_noise(rng, h, w, 3)[..., None]

    def tone(under: Float) -> Float:
        return (0.25 * under + 0.75 * colour * (0.7 + 0.6 * grain)).astype(np.float32)

    return Defect(
        shapes.speckles(rng, h, w, scale), tone, {"scale": scale, "colour": colour.tolist()}
    )


def _crack(rng: np.random.Generator, h: int, w: int) -> Defect:
    scale = float(rng.uniform(0.08, 0.2))
    shade = float(rng.uniform(0.15, 0.4))
    outline = shapes.walk(rng, h, w, scale, straight=False)
    return Defect(outline, lambda under: under * shade, {"scale": scale, "shade": shade})


def _scratch(rng: np.random.Generator, h: int, w: int) -> Defect:
    scale = float(rng.uniform(0.08, 0.2))
    light = float(rng.uniform(0.4, 0.75))
    outline = shapes.walk(rng, h, w, scale, straight=True)
    return Defect(
        outline, lambda under: under * (1 - light) + 235.0 * light, {"scale": scale, "light": light}
    )


def _dent(rng: np.random.Generator, h: int, w: int) -> Defect:
    scale = float(rng.uniform(0.07, 0.16))
    depth = float(rng.uniform(0.15, 0.4))
    outline = shapes.ellipse(rng, h, w, scale)
    angle = rng.uniform(0, 2 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ys, xs = np.nonzero(outline)
    cy, cx = (ys.mean(), xs.mean()) if ys.size else (h / 2, w / 2)
    span = max(4.0, float(np.sqrt(outline.sum())))
    ramp = ((xx - cx) * np.cos(angle) + (yy - cy) * np.sin(angle)) / span
    shading = (1.0 - depth * np.clip(ramp + 0.5, 0.0, 1.5))[..., None].astype(np.float32)
    return Defect(outline, lambda under: under * shading, {"scale": scale, "depth": depth})


def _missing(rng: np.random.Generator, h: int, w: int) -> Defect:
    scale = float(rng.uniform(0.06, 0.15))
    return Defect(shapes.polygon(rng, h, w, scale), lambda under: under, {"scale": scale})


def _faded(rng: np.random.Generator, h: int, w: int) -> Defect:
    scale = float(rng.uniform(0.1, 0.22))
    fade = float(rng.uniform(0.35, 0.75))
    lift = float(rng.uniform(10, 45))

    def tone(under: Float) -> Float:
        grey = cv2.cvtColor(under, cv2.COLOR_RGB2GRAY)[..., None]
        return (under * (1 - fade) + grey * fade + lift).astype(np.float32)

    return Defect(shapes.blob(rng, h, w, scale), tone, {"scale": scale, "fade": fade})


KINDS: dict[str, Callable[[np.random.Generator, int, int], Defect]] = {
    "hole": _hole,
    "stain": _stain,
    "mould": _mould,
    "crack": _crack,
    "scratch": _scratch,
    "dent": _dent,
    "missing_part": _missing,
    "faded": _faded,
}

# The ways each kind is plausibly made, as a fraudster with an editor or an app would.
METHODS: dict[str, tuple[str, ...]] = {
    "hole": ("feather_alpha", "poisson", "splice", "copy_move"),
    "stain": ("feather_alpha", "poisson", "splice"),
    "mould": ("feather_alpha", "poisson"),
    "crack": ("feather_alpha", "poisson"),
    "scratch": ("feather_alpha", "poisson"),
    "dent": ("feather_alpha", "local_blur"),
    "missing_part": ("inpaint_telea", "inpaint_ns", "copy_move", "splice"),
    "faded": ("feather_alpha", "local_blur"),
}
