"""Reduced decoding for references: a JPEG decoded in the DCT domain at a fraction of its size,
upright, never below the size asked for; bad input refused like a full load."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tradeshield.errors import Invalid, TooLarge
from tradeshield.forensics.loading import load_image, load_reduced


def _encoded(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _gradient(width: int, height: int) -> Image.Image:
    yy, xx = np.mgrid[0:height, 0:width]
    rgb = np.stack([xx * 255 // width, yy * 255 // height, (xx + yy) % 256], axis=-1)
    return Image.fromarray(rgb.astype(np.uint8))


def test_large_jpeg_is_decoded_at_a_fraction_but_not_below_the_size_asked() -> None:
    data = _encoded(_gradient(4000, 3000), quality=90)
    rgb = load_reduced(data, 1024)
    assert rgb.shape == (1500, 2000, 3)  # half size: a quarter (1000 px) would be below 1024
    full = np.asarray(Image.fromarray(load_image(data).rgb).resize(rgb.shape[1::-1]), np.int16)
    assert float(np.abs(full - rgb).mean()) < 3.0  # the same picture


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown rotated 90 degrees clockwise
    rgb = load_reduced(_encoded(_gradient(4000, 2000), exif=exif), 1024)
    assert rgb.shape[0] > rgb.shape[1]


def test_small_or_non_jpeg_photos_keep_their_size() -> None:
    assert load_reduced(_encoded(_gradient(640, 480)), 1024).shape == (480, 640, 3)
    assert load_reduced(_encoded(_gradient(3000, 1000), "PNG"), 1024).shape == (1000, 3000, 3)


def test_bad_input_is_refused() -> None:
    data = _encoded(_gradient(800, 600))
    with pytest.raises(Invalid):
        load_reduced(data[: len(data) // 3] + b"\x00" * 10, 1024)
    with pytest.raises(Invalid):
        load_reduced(b"not an image", 1024)
    with pytest.raises(TooLarge):
        load_reduced(data, 1024, max_bytes=100)
