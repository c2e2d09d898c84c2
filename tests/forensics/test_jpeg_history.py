"""Double-quantisation history: a region pasted into a JPEG before it was saved again lacks
the first compression's trace, and the heat map shows where."""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from tradeshield.forensics import jpeg_history
from tradeshield.forensics.findings import DetectorResult, Strength
from tradeshield.forensics.loading import load_image

BOX = (576, 320, 320, 256)  # x, y, width, height of the pasted region


def textured(height: int, width: int, seed: int) -> npt.NDArray[np.uint8]:
    """A photo-like picture: smooth colour field, diagonal edges and grain."""
    rng = np.random.default_rng(seed)
    field = rng.random((height // 32 + 2, width // 32 + 2, 3)) * 255
    base = np.asarray(
        Image.fromarray(field.astype(np.uint8)).resize((width, height), Image.Resampling.BICUBIC),
        dtype=np.float32,
    )
    rows, cols = np.mgrid[:height, :width]
    base += 30 * np.sign(np.sin(cols / 37.0 + rows / 53.0))[:, :, None]
    base += rng.normal(0, 4, (height, width, 3))
    return np.clip(base, 0, 255).astype(np.uint8)


def encode(pixels: npt.NDArray[np.uint8], quality: int, **options: object) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=quality, **options)
    return out.getvalue()


def decode(data: bytes) -> npt.NDArray[np.uint8]:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def spliced(donor_offset: tuple[int, int] = (0, 0), **options: object) -> bytes:
    """A quality-75 photo, a region replaced from another picture, saved again at 90."""
    first = decode(encode(textured(1024, 1536, seed=1), 75)).copy()
    donor = textured(1024, 1536, seed=2)
    if donor_offset != (0, 0):  # the donor was itself a JPEG on a shifted grid
        shifted = np.roll(donor, donor_offset, axis=(0, 1))
        donor = np.roll(decode(encode(shifted, 70)), (-donor_offset[0], -donor_offset[1]), (0, 1))
    x, y, width, height = BOX
    first[y : y + height, x : x + width] = donor[y : y + height, x : x + width]
    return encode(first, 90, **options)


def inside_mask(shape: tuple[int, ...]) -> npt.NDArray[np.bool_]:
    x, y, width, height = BOX
    mask = np.zeros(shape[:2], dtype=bool)
    mask[y : y + height, x : x + width] = True
    return mask


def codes(result: DetectorResult) -> dict[str, Strength]:
    return {finding.code: finding.strength for finding in result.findings}


@pytest.mark.parametrize("donor_offset", [(0, 0), (5, 3)], ids=["raw donor", "shifted-grid donor"])
def test_pasted_region_lights_up_inside_and_not_outside(donor_offset: tuple[int, int]) -> None:
    result = jpeg_history.detect(load_image(spliced(donor_offset)))
    assert result.heatmap is not None
    mask = inside_mask(result.heatmap.shape)
    inside, outside = result.heatmap[mask].mean(), result.heatmap[~mask].mean()
    # measured: inside ~1.0, outside ~0.02
    assert inside > 0.8
    assert inside > 10 * outside
    hot = result.heatmap > 0.5
    iou = (hot & mask).sum() / (hot | mask).sum()
    assert iou > 0.6
    assert codes(result)["jpeg_double_compression_mismatch"] is Strength.STRONG
    assert codes(result)["jpeg_saved_twice"] is Strength.INFO


def test_finding_region_frames_the_pasted_area() -> None:
    result = jpeg_history.detect(load_image(spliced()))
    region = next(f.region for f in result.findings if f.region is not None)
    x, y, width, height = BOX
    assert abs(region.x - x) <= 64
    assert abs(region.y - y) <= 64
    assert abs(region.width - width) <= 96
    assert abs(region.height - height) <= 96


def test_heat_map_follows_exif_rotation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: the upright photo is the stored one turned clockwise
    image = load_image(spliced(exif=exif.tobytes()))
    result = jpeg_history.detect(image)
    assert result.heatmap is not None
    assert result.heatmap.shape == (image.height, image.width) == (1536, 1024)
    stored_mask = inside_mask((1024, 1536))
    upright_mask = np.rot90(stored_mask, -1)
    assert result.heatmap[upright_mask].mean() > 10 * result.heatmap[~upright_mask].mean()


def test_photo_saved_once_has_no_history_and_no_finding() -> None:
    result = jpeg_history.detect(load_image(encode(textured(512, 768, seed=4), 90)))
    assert result.findings == []
    assert result.heatmap is not None
    assert float(result.heatmap.max()) == 0.0


def test_photo_saved_twice_whole_is_information_only() -> None:
    twice = encode(decode(encode(textured(512, 768, seed=5), 75)), 90)
    result = jpeg_history.detect(load_image(twice))
    assert codes(result) == {"jpeg_saved_twice": Strength.INFO}
    finding = result.findings[0]
    assert finding.details["first_quantisation_steps"]["0,1"] == 6  # q75 table, step 6


def test_png_gets_one_information_finding_and_no_map() -> None:
    out = io.BytesIO()
    Image.fromarray(textured(128, 128, seed=6)).save(out, "PNG")
    result = jpeg_history.detect(load_image(out.getvalue()))
    assert codes(result) == {"jpeg_history_not_jpeg": Strength.INFO}
    assert result.heatmap is None
    assert result.findings[0].reason["zh"]
