"""The loader decodes every kind of evidence photo once, upright and in 8-bit RGB, reads
its metadata under stable keys, and refuses what it cannot decode safely with `Invalid`."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import Image

from tradeshield.errors import Invalid, TooLarge
from tradeshield.forensics.loading import load_image

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "forensics"
# the only files of the dataset that are not images at all
NOT_IMAGES = {"provenance/c2pa/es256_certs.pem", "provenance/c2pa/es256_private.key"}


@pytest.fixture(scope="module")
def dataset() -> Path:
    if not DATASET.is_dir():
        pytest.skip("shared forensics dataset not present")
    return DATASET


def jpeg_bytes(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def marked_photo(width: int = 64, height: int = 48) -> Image.Image:
    """Grey with a red square in the stored top-left corner."""
    pixels = np.full((height, width, 3), 128, dtype=np.uint8)
    pixels[:16, :16] = (255, 0, 0)
    return Image.fromarray(pixels)


def test_every_dataset_file_decodes_or_is_refused_as_invalid(dataset: Path) -> None:
    refused = set()
    for path in sorted(p for p in dataset.rglob("*") if p.is_file()):
        if path.name in ("README.md", "manifest.csv"):
            continue
        try:
            image = load_image(path.read_bytes())
        except Invalid:
            refused.add(path.relative_to(dataset).as_posix())
            continue
        assert image.rgb.dtype == np.uint8
        assert image.rgb.ndim == 3
        assert image.rgb.shape[2] == 3
        assert image.luma8().shape == image.rgb.shape[:2]
    assert refused == NOT_IMAGES


def test_all_eight_exif_orientations_come_out_upright(dataset: Path) -> None:
    # the same scene stored eight ways; _1 was encoded differently, so _2 is the reference
    reference = load_image((dataset / "metadata" / "orientation_landscape_2.jpg").read_bytes())
    upright = reference.rgb.astype(int)
    for orientation in range(1, 9):
        path = dataset / "metadata" / f"orientation_landscape_{orientation}.jpg"
        image = load_image(path.read_bytes())
        assert image.metadata["orientation"] == orientation
        assert image.rgb.shape == reference.rgb.shape
        pixels = image.rgb.astype(int)
        same = np.abs(pixels - upright).mean()
        mirrored = np.abs(pixels[:, ::-1] - upright).mean()
        assert same < mirrored / 3, f"orientation {orientation}: {same:.1f} vs {mirrored:.1f}"


def test_orientation_6_turns_the_stored_top_left_to_the_top_right() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    image = load_image(jpeg_bytes(marked_photo(), exif=exif.tobytes(), quality=95))
    assert image.rgb.shape == (64, 48, 3)
    assert image.rgb[4, -4, 0] > 200  # red now top right
    assert image.rgb[4, 4, 0] < 160


def test_cmyk_jpeg_becomes_rgb() -> None:
    cmyk = Image.new("CMYK", (32, 32), (0, 255, 255, 0))  # red in CMYK
    image = load_image(jpeg_bytes(cmyk, quality=95))
    assert image.metadata["original_mode"] == "CMYK"
    red, green, blue = image.rgb[16, 16].astype(int)
    assert red > 200
    assert green < 60
    assert blue < 60


def test_16_bit_png_is_scaled_to_8_bit_not_clipped() -> None:
    ramp = np.tile(np.linspace(0, 65535, 256).astype(np.uint16), (8, 1))
    out = io.BytesIO()
    Image.fromarray(ramp).save(out, "PNG")
    image = load_image(out.getvalue())
    assert image.metadata["bit_depth"] == 16 or image.metadata["original_mode"].startswith("I")
    assert image.rgb[0, 0, 0] == 0
    assert image.rgb[0, -1, 0] == 255
    assert 120 <= image.rgb[0, 128, 0] <= 135


def test_animated_gif_keeps_the_first_frame_and_says_so() -> None:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue", "green")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=50)
    image = load_image(out.getvalue())
    assert image.metadata["animated"] is True
    assert image.rgb[10, 10, 0] > 200  # red: the first frame
    assert image.rgb[10, 10, 2] < 60


def test_transparent_palette_png_is_laid_on_white() -> None:
    palette = Image.new("P", (10, 10), 0)
    palette.putpalette([0, 0, 0] * 256)
    out = io.BytesIO()
    palette.save(out, "PNG", transparency=0)
    image = load_image(out.getvalue())
    assert (image.rgb == 255).all()


def test_webp_with_alpha_decodes_on_white() -> None:
    rgba = Image.new("RGBA", (16, 16), (255, 0, 0, 0))
    out = io.BytesIO()
    rgba.save(out, "WEBP", lossless=True)
    image = load_image(out.getvalue())
    assert image.format == "WEBP"
    assert image.metadata["mime"] == "image/webp"
    assert (image.rgb == 255).all()


def test_heic_decodes_when_it_can_be_encoded() -> None:
    if not pillow_heif.libheif_info().get("encoders", {}).get("x265"):
        pytest.skip("this libheif build has no HEVC encoder")
    out = io.BytesIO()
    marked_photo().save(out, "HEIF", quality=90)
    image = load_image(out.getvalue())
    assert image.format == "HEIF"
    assert image.metadata["mime"] == "image/heif"
    assert image.rgb[4, 4, 0] > 180


def test_png_declaring_huge_dimensions_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("L", (8, 8)).save(out, "PNG")
    data = bytearray(out.getvalue())
    header = struct.pack(">II", 200_000, 200_000) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    start = time.perf_counter()
    with pytest.raises(Invalid, match="pixels"):
        load_image(bytes(data))
    assert time.perf_counter() - start < 1.0


def test_pixel_limit_is_the_callers() -> None:
    data = jpeg_bytes(Image.new("RGB", (100, 100)))
    with pytest.raises(Invalid, match="limit is 5000 pixels"):
        load_image(data, max_pixels=5000)


def test_truncated_jpeg_is_refused() -> None:
    noise = np.random.default_rng(1).integers(0, 255, (200, 200, 3), dtype=np.uint8)
    data = jpeg_bytes(Image.fromarray(noise), quality=90)
    with pytest.raises(Invalid, match="truncated or corrupt"):
        load_image(data[: len(data) * 2 // 3])


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7 not a photo", b"\xff\xd8\xff\xe0garbage"])
def test_non_images_are_refused(data: bytes) -> None:
    with pytest.raises(Invalid):
        load_image(data)


def test_too_many_bytes_is_too_large() -> None:
    with pytest.raises(TooLarge):
        load_image(b"\x00" * 2000, max_bytes=1000)


def test_jpeg_metadata_has_its_stable_keys() -> None:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0131] = "Canon", "EOS 5D", "Firmware 1.0"
    exif.get_ifd(0x8769)[0x9003] = "2024:05:01 10:00:00"
    data = jpeg_bytes(marked_photo(), exif=exif.tobytes(), quality=80, subsampling=2)
    metadata = load_image(data).metadata
    assert metadata["mime"] == "image/jpeg"
    assert metadata["exif"]["Make"] == "Canon"
    assert metadata["exif"]["Model"] == "EOS 5D"
    assert metadata["exif"]["DateTimeOriginal"] == "2024:05:01 10:00:00"
    assert metadata["xmp"] == ""
    assert metadata["iptc"] == {}
    assert metadata["png_text"] == {}
    assert len(metadata["jpeg_quant_tables"]) == 2
    assert all(len(table) == 64 for table in metadata["jpeg_quant_tables"])
    assert metadata["jpeg_subsampling"] == "4:2:0"
    assert "exif_thumbnail" not in metadata
    assert metadata["animated"] is False


def test_png_text_and_xmp_are_read() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", "a photo, Steps: 20")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info)
    metadata = load_image(out.getvalue()).metadata
    assert metadata["png_text"]["parameters"] == "a photo, Steps: 20"
    assert "xmpmeta" in metadata["xmp"]


def test_camera_exif_thumbnail_is_extracted(dataset: Path) -> None:
    image = load_image((dataset / "real" / "camera" / "mei_Canon_PowerShot_A20.jpg").read_bytes())
    thumbnail = image.metadata["exif_thumbnail"]
    assert thumbnail[:2] == b"\xff\xd8"
    assert Image.open(io.BytesIO(thumbnail)).size == (160, 120)
