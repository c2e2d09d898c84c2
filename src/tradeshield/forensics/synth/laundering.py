"""What a phone, an app filter and a chat app do to a photo after it was edited.

Each step changes the pixels (and the mask with them, by nearest neighbour) and is recorded
as a short string, e.g. ``"resize:0.72"``, ``"crop:3,5"``, ``"jpeg:78"``, ``"screenshot"``.
Edited photos and untouched controls go through the same random chains, so the format or the
laundering alone cannot tell the classes apart.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from tradeshield.forensics.synth.shapes import Mask

RGB = npt.NDArray[np.uint8]
FILTERS = ("gamma", "saturation", "warm", "contrast", "sharpen")


def global_filter(photo: RGB, rng: np.random.Generator) -> tuple[RGB, str]:
    """A whole-photo app filter; returns the filtered photo and its step name."""
    name = str(rng.choice(FILTERS))
    image = photo.astype(np.float32)
    if name == "gamma":
        image = 255.0 * (image / 255.0) ** float(rng.uniform(0.8, 1.25))
    elif name == "saturation":
        grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[..., None]
        image = grey + (image - grey) * float(rng.uniform(0.7, 1.4))
    elif name == "warm":
        image = image * np.array([1.06, 1.0, 0.93], np.float32)
    elif name == "contrast":
        image = (image - 128.0) * float(rng.uniform(0.8, 1.25)) + 128.0
    else:
        image = image + 0.8 * (image - cv2.GaussianBlur(image, (0, 0), 1.5))
    return np.clip(np.rint(image), 0, 255).astype(np.uint8), f"filter:{name}"


def encode_jpeg(photo: RGB, quality: int) -> bytes:
    out = io.BytesIO()
    Image.fromarray(photo).save(out, format="JPEG", quality=quality, optimize=False)
    return out.getvalue()


def encode_png(photo: RGB) -> bytes:
    """A screenshot: lossless, no metadata."""
    out = io.BytesIO()
    Image.fromarray(photo).save(out, format="PNG", compress_level=6)
    return out.getvalue()


def decode(data: bytes) -> RGB:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"), dtype=np.uint8).copy()


def resize(photo: RGB, mask: Mask | None, scale: float) -> tuple[RGB, Mask | None]:
    h, w = photo.shape[:2]
    size = (max(8, round(w * scale)), max(8, round(h * scale)))
    small = np.asarray(cv2.resize(photo, size, interpolation=cv2.INTER_AREA), np.uint8)
    if mask is None:
        return small, None
    scaled = np.asarray(cv2.resize(mask.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST))
    return small, scaled > 0


def crop(photo: RGB, mask: Mask | None, top: int, left: int) -> tuple[RGB, Mask | None]:
    """Cut ``top`` rows and ``left`` columns (not multiples of 8: the JPEG grid moves)."""
    return photo[top:, left:], None if mask is None else mask[top:, left:]


def launder(
    saved: bytes, mask: Mask | None, rng: np.random.Generator
) -> tuple[bytes, str, Mask | None, list[str]]:
    """A random chain applied to the editor's saved file: (bytes, extension, mask, steps).

    About a third of the photos are sent as the editor saved them (no laundering at all).
    """
    if rng.random() < 0.3:
        return saved, "jpg", mask, []
    photo, steps = decode(saved), []
    if rng.random() < 0.5:
        scale = round(float(rng.uniform(0.5, 0.9)), 3)
        photo, mask = resize(photo, mask, scale)
        steps.append(f"resize:{scale}")
    if rng.random() < 0.5:
        top, left = int(rng.integers(1, 8)), int(rng.integers(1, 8))
        photo, mask = crop(photo, mask, top, left)
        steps.append(f"crop:{top},{left}")
    if rng.random() < 0.65:
        quality = int(rng.integers(60, 96))
        steps.append(f"jpeg:{quality}")
        return encode_jpeg(photo, quality), "jpg", mask, steps
    steps.append("screenshot")
    return encode_png(photo), "png", mask, steps


def laundering_key(steps: list[str]) -> str:
    """The chain without its parameters, for breakdowns: ``"resize+jpeg"``, ``"none"``."""
    names = [step.split(":", 1)[0] for step in steps if not step.startswith("filter:")]
    return "+".join(names) or "none"


def encode_png_mask(mask: Mask) -> bytes:
    """A ground-truth mask: white (255) where the photo was changed, black elsewhere."""
    out = io.BytesIO()
    Image.fromarray(mask.astype(np.uint8) * 255, mode="L").save(out, format="PNG")
    return out.getvalue()
