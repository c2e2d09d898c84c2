"""The classical baselines find the tampering each was published for, on photos made here."""

from __future__ import annotations

import io

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image
from tests.forensics.synth.photos import textured

from tradeshield.forensics.baselines import BASELINES
from tradeshield.forensics.loading import LoadedImage, load_image

BOX = (slice(96, 160), slice(128, 224))


def _encode(rgb: npt.NDArray[np.uint8], fmt: str, quality: int = 95) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format=fmt, quality=quality)
    return out.getvalue()


def _decoded(data: bytes) -> npt.NDArray[np.uint8]:
    with Image.open(io.BytesIO(data)) as image:
        return np.array(image.convert("RGB"))


def _mask() -> npt.NDArray[np.bool_]:
    mask = np.zeros((256, 320), bool)
    mask[BOX] = True
    return mask


def _uncompressed_paste_in_jpeg() -> LoadedImage:
    photo = _decoded(_encode(textured(256, 320, 3), "JPEG", 75))
    photo[BOX] = textured(256, 320, 9)[BOX]
    return load_image(_encode(photo, "PNG"))


def _paste_then_second_jpeg() -> LoadedImage:
    photo = _decoded(_encode(textured(256, 320, 3), "JPEG", 60))
    photo[BOX] = textured(256, 320, 9)[BOX]
    return load_image(_encode(photo, "JPEG", 90))


def _smoothed_patch() -> LoadedImage:
    photo = textured(256, 320, 3)
    photo[BOX] = cv2.GaussianBlur(photo, (0, 0), 3)[BOX]
    return load_image(_encode(photo, "JPEG", 95))


@pytest.mark.parametrize(
    ("method", "make"),
    [
        ("ela", _uncompressed_paste_in_jpeg),
        ("bag", _uncompressed_paste_in_jpeg),
        ("adq", _paste_then_second_jpeg),
        ("noise_mad", _smoothed_patch),
    ],
)
def test_baseline_marks_the_tampered_region(method: str, make: object) -> None:
    assert callable(make)
    result = BASELINES[method](make())
    inside, outside = result.heatmap[_mask()].mean(), result.heatmap[~_mask()].mean()
    assert inside > 2 * outside + 0.1
    assert 0.0 <= result.score <= 1.0


@pytest.mark.parametrize("method", sorted(BASELINES))
def test_maps_have_the_photo_size_and_range(method: str) -> None:
    for height, width in ((256, 320), (70, 93), (20, 20)):
        image = load_image(_encode(textured(height, width, 1), "PNG"))
        result = BASELINES[method](image)
        assert result.heatmap.shape == (height, width)
        assert result.heatmap.dtype == np.float32
        assert 0.0 <= float(result.heatmap.min()) <= float(result.heatmap.max()) <= 1.0
