"""Decoding an evidence photo once, safely, into what every detector reads.

`load_image` refuses what is not a decodable still image (empty, truncated, corrupt, a
decompression bomb, too many bytes) with one sentence, and otherwise returns upright 8-bit RGB
pixels plus the container's metadata (`container_metadata`, which lists the keys).
`load_reduced` decodes a JPEG at a fraction of its size in the DCT domain, for photos that are
only compared at a reduced size (references).

It does not judge anything: detectors do.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pillow_heif
from PIL import ExifTags, Image, ImageOps

from tradeshield.errors import Invalid, TooLarge
from tradeshield.forensics.container_metadata import container_metadata

RGB = npt.NDArray[np.uint8]  # H x W x 3

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MIB
DEFAULT_MAX_PIXELS = 80_000_000

pillow_heif.register_heif_opener()


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """A decoded photo: pixels after EXIF orientation, the original bytes, the container.

    ``metadata`` holds what the loader read from the file (EXIF, XMP, IPTC, PNG text, JPEG
    quantisation tables, ...) under the stable keys listed in this module's docstring.
    """

    rgb: RGB
    source: bytes
    format: str  # "JPEG", "PNG", "WEBP", "HEIF", ...
    metadata: dict[str, Any] = field(default_factory=dict)
    # BT.601 luma rounded to 0..255 (Pillow's "L"), made once by the loader because several
    # detectors need it; absent when a LoadedImage is built by hand (see `luma8`).
    luma: npt.NDArray[np.uint8] | None = field(default=None, repr=False, compare=False)

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    def gray(self) -> npt.NDArray[np.float32]:
        """Luma (ITU-R BT.601), float32 0..255."""
        weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
        return (self.rgb.astype(np.float32) @ weights).astype(np.float32)

    def luma8(self) -> npt.NDArray[np.uint8]:
        """Luma (ITU-R BT.601) as uint8, as Pillow's "L" mode rounds it."""
        if self.luma is not None:
            return self.luma
        return np.asarray(Image.fromarray(self.rgb).convert("L"), dtype=np.uint8)


def load_image(
    data: bytes,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> LoadedImage:
    """Decode ``data`` into a `LoadedImage`, or raise `Invalid` / `TooLarge`.

    The declared size is checked before any pixel is decoded, so a small file that claims
    billions of pixels is refused at once.
    """
    with _decoding(data, max_bytes):
        return _load(data, max_pixels)


@contextmanager
def _decoding(data: bytes, max_bytes: int) -> Iterator[None]:
    """Refuses empty and oversized files, quiets Pillow's warnings and turns its decoding
    failures into `Invalid`: the same for a full and a reduced decode."""
    if len(data) > max_bytes:
        raise TooLarge(f"The photo is {len(data)} bytes; the limit is {max_bytes} bytes.")
    if not data:
        raise Invalid("The file is empty.")
    with warnings.catch_warnings():
        # Pillow warns about odd metadata (and sizes between its own bomb limits, ours being
        # checked in `_open`); the photo is judged by detectors, not by warnings.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        warnings.filterwarnings("ignore", category=UserWarning, module="PIL")
        try:
            yield
        except Image.DecompressionBombError as error:
            raise Invalid("The photo declares more pixels than can be decoded safely.") from error
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError) as error:
            raise Invalid(
                "The photo is truncated or corrupt and cannot be decoded.", cause=str(error)[:200]
            ) from error


def _load(data: bytes, max_pixels: int) -> LoadedImage:
    image = _open(data, max_pixels)
    try:
        metadata = container_metadata(image)
        upright, orientation = _decode_upright(image)
        rgb = np.asarray(upright, dtype=np.uint8)
        luma = np.asarray(upright.convert("L"), dtype=np.uint8)
    finally:
        image.close()
    metadata["orientation"] = orientation
    return LoadedImage(rgb=rgb, source=data, format=str(image.format), metadata=metadata, luma=luma)


def load_reduced(
    data: bytes,
    long_side: int,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> RGB:
    """Upright 8-bit RGB pixels whose long side is at least ``long_side`` (or the photo's, if
    smaller), for photos only compared at a reduced size. A JPEG is decoded at 1/2, 1/4 or 1/8
    of its size in the DCT domain (Pillow's ``draft``): a 12-megapixel reference costs a
    fraction of a full decode. Refuses what `load_image` refuses."""
    with _decoding(data, max_bytes):
        image = _open(data, max_pixels)
        try:
            width, height = image.size
            factor = max(1.0, max(width, height) / max(1, long_side))
            wanted = (max(1, int(width / factor)), max(1, int(height / factor)))
            if image.format == "JPEG" and image.mode in ("RGB", "L", "YCbCr"):
                image.draft("RGB", wanted)
            upright, _ = _decode_upright(image)
            return np.asarray(upright, dtype=np.uint8)
        finally:
            image.close()


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Read the header only and check the declared size."""
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:
        raise Invalid("The photo declares more pixels than can be decoded safely.") from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError) as error:
        raise Invalid(
            "The file is not an image in a supported format.", cause=str(error)[:200]
        ) from error
    width, height = image.size
    if width <= 0 or height <= 0:
        image.close()
        raise Invalid("The photo declares no pixels.")
    if width * height > max_pixels:
        image.close()
        raise Invalid(
            f"The photo declares {width}x{height} pixels; the limit is {max_pixels} pixels."
        )
    return image


def _decode_upright(image: Image.Image) -> tuple[Image.Image, int]:
    """First frame, EXIF orientation applied, in 8-bit RGB."""
    image.seek(0)
    image.load()
    orientation = _orientation(image)
    upright = ImageOps.exif_transpose(image) if orientation != 1 else image
    return _to_rgb(upright), orientation


def _orientation(image: Image.Image) -> int:
    value = image.getexif().get(ExifTags.Base.Orientation, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_rgb(image: Image.Image) -> Image.Image:
    """8-bit RGB whatever the mode: high bit depths are scaled, alpha is laid on white."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return _wide_gray_to_rgb(image)
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        mode in ("P", "L", "RGB") and "transparency" in image.info
    ):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB") if mode != "RGB" else image


def _wide_gray_to_rgb(image: Image.Image) -> Image.Image:
    values = np.asarray(image).astype(np.float64)
    if image.mode == "F":
        top = 1.0 if values.size and float(np.nanmax(values)) <= 1.0 else 255.0
    else:
        top = 65535.0 if values.size and float(values.max()) > 255 else 255.0
    grey = np.clip(np.nan_to_num(values) * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)
    return Image.fromarray(grey).convert("RGB")
