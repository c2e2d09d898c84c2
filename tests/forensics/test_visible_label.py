"""Visible AI labels: "AI生成" drawn in any corner of a photo is read (offline OCR) and is
proof; a tool's watermark is strong; ordinary text and unlabelled photos are left alone."""

from __future__ import annotations

import time

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image, ImageDraw, ImageFont

from tradeshield.forensics.findings import Region, Strength
from tradeshield.forensics.loading import LoadedImage
from tradeshield.forensics.visible_label import (
    TextLine,
    detect,
    load_patterns,
    matching_patterns,
    normalise,
)

RGB = npt.NDArray[np.uint8]
# CJK fonts Pillow finds by file name in the system font folders (Debian: fonts-wqy-microhei).
_CJK_FONTS = ["wqy-microhei.ttc", "wqy-zenhei.ttc", "NotoSansCJK-Regular.ttc"]


def _cjk_font(size: int) -> ImageFont.FreeTypeFont:
    for name in _CJK_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")


def _photo(seed: int, width: int = 1200, height: int = 900) -> RGB:
    """Photo-like: smooth lighting, textured surfaces and a few soft-edged objects, drawn at a
    quarter of the size and enlarged (cheap), with fine grain added at full size."""
    rng = np.random.default_rng(seed)
    w, h = width // 4, height // 4
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = rng.uniform(60, 200, 3).astype(np.float32)
    light = 0.6 + 0.4 * (xx / w) * (1 - 0.5 * yy / h)
    texture = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1)
    rgb = base * light[..., None] + 18 * texture[..., None]
    for _ in range(6):
        mask = np.zeros((h, w), np.uint8)
        centre = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        axes = (int(rng.integers(15, 75)), int(rng.integers(15, 75)))
        cv2.ellipse(mask, centre, axes, float(rng.uniform(0, 180)), 0, 360, 255, -1)
        alpha = cv2.GaussianBlur(mask, (0, 0), 2)[..., None] / 255.0
        rgb = rgb * (1 - alpha) + rng.uniform(20, 235, 3) * alpha
    small = np.clip(rgb, 0, 255).astype(np.uint8)
    full = np.asarray(cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC), np.int16)
    grain = rng.integers(-6, 7, (height, width, 1), dtype=np.int16)
    photo: RGB = np.clip(full + grain, 0, 255).astype(np.uint8)
    return photo


def _draw(rgb: RGB, text: str, corner: str, share: float) -> tuple[RGB, Region]:
    """``text`` in white with a dark shadow, ``share`` of the short side tall, in a corner."""
    image = Image.fromarray(rgb)
    draw = ImageDraw.Draw(image)
    font = _cjk_font(int(min(image.size) * share))
    left, top, right, bottom = (int(v) for v in draw.textbbox((0, 0), text, font=font))
    width, height = right - left, bottom - top
    margin = int(min(image.size) * 0.03)
    x = margin if corner.endswith("left") else image.width - width - margin
    y = margin if corner.startswith("top") else image.height - height - margin
    draw.text((x - left + 2, y - top + 2), text, font=font, fill=(20, 20, 20))
    draw.text((x - left, y - top), text, font=font, fill=(255, 255, 255))
    return np.asarray(image), Region(x, y, width, height)


def _loaded(rgb: RGB) -> LoadedImage:
    return LoadedImage(rgb=rgb, source=b"", format="JPEG")


def _overlaps(found: Region | None, drawn: Region) -> bool:
    assert found is not None
    return (
        found.x < drawn.x + drawn.width
        and drawn.x < found.x + found.width
        and found.y < drawn.y + drawn.height
        and drawn.y < found.y + found.height
    )


@pytest.mark.parametrize(
    ("corner", "text"),
    [
        ("bottom right", "AI生成"),
        ("bottom left", "由AI合成"),
        ("top right", "人工智能生成"),
        ("top left", "AIGC"),
    ],
)
def test_gb45438_label_in_a_corner_is_proof_at_its_place(corner: str, text: str) -> None:
    rgb, drawn = _draw(_photo(seed=len(text)), text, corner, share=0.05)
    result = detect(_loaded(rgb))
    labels = [f for f in result.findings if f.code == "visible_ai_label"]
    assert labels, result.findings
    assert labels[0].strength is Strength.PROOF
    assert _overlaps(labels[0].region, drawn)
    assert labels[0].reason["code"] == "visible_ai_label"


def test_label_on_a_12_megapixel_photo_is_read_quickly() -> None:
    rgb, drawn = _draw(_photo(seed=4, width=4000, height=3000), "AI生成", "bottom right", 0.05)
    detect(_loaded(rgb[:400, :400]))  # the engine loads once per process
    started = time.perf_counter()
    result = detect(_loaded(rgb))
    elapsed = time.perf_counter() - started
    assert [f.code for f in result.findings] == ["visible_ai_label"]
    assert _overlaps(result.findings[0].region, drawn)
    assert elapsed < 1.5  # about 0.3 s on one idle core; generous for a loaded CI machine


def test_doubao_watermark_is_proof_and_names_the_tool() -> None:
    rgb, _ = _draw(_photo(seed=5), "豆包AI生成", "bottom right", share=0.035)
    (finding,) = detect(_loaded(rgb)).findings
    assert finding.strength is Strength.PROOF
    assert finding.details["generator"] == "Doubao (豆包)"


def test_tool_watermark_alone_is_strong() -> None:
    rgb, drawn = _draw(_photo(seed=6), "Made with Google AI", "bottom left", share=0.035)
    (finding,) = detect(_loaded(rgb)).findings
    assert (finding.code, finding.strength) == ("generator_watermark", Strength.STRONG)
    assert _overlaps(finding.region, drawn)
    assert "Google" in finding.reason["en"]


@pytest.mark.parametrize("text", ["新品上市 限时特价", "SALE -50%", "AI Smart Speaker"])
def test_ordinary_text_in_a_corner_is_not_a_label(text: str) -> None:
    rgb, _ = _draw(_photo(seed=7), text, "bottom right", share=0.05)
    assert detect(_loaded(rgb)).findings == []


def test_unlabelled_photo_has_no_findings() -> None:
    assert detect(_loaded(_photo(seed=8))).findings == []


def test_label_in_the_middle_of_the_photo_is_outside_the_margins_read() -> None:
    rgb = _photo(seed=9)
    image = Image.fromarray(rgb)
    ImageDraw.Draw(image).text((520, 420), "AI生成", font=_cjk_font(50), fill=(255, 255, 255))
    assert detect(_loaded(np.asarray(image))).findings == []


class _BrightBoxReader:
    """Stands in for OCR: reports one line around the bright pixels of what it is shown."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls = 0

    def read(self, rgb: RGB) -> list[TextLine]:
        self.calls += 1
        rows = np.flatnonzero(rgb.max(axis=(1, 2)) > 128)
        cols = np.flatnonzero(rgb.max(axis=(0, 2)) > 128)
        if not rows.size:
            return []
        height, width = int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)
        return [TextLine(self.text, 0.95, int(cols[0]), int(rows[0]), width, height)]


def test_box_read_in_the_text_strips_maps_back_to_photo_pixels() -> None:
    image = Image.new("RGB", (1920, 1280))
    ImageDraw.Draw(image).text((200, 1100), "AI生成", font=_cjk_font(64), fill=(255, 255, 255))
    drawn = np.flatnonzero(np.asarray(image).max(axis=(0, 2)) > 128)
    reader = _BrightBoxReader("A1生成")  # OCR read the I as a 1
    (finding,) = detect(_loaded(np.asarray(image)), reader=reader).findings
    # read at half size; the box comes back to photo pixels within the reduction's rounding
    assert finding.region is not None
    assert abs(finding.region.x - int(drawn[0])) <= 2
    assert abs(finding.region.x + finding.region.width - int(drawn[-1])) <= 3
    assert 1100 <= finding.region.y <= 1100 + 64 <= finding.region.y + finding.region.height + 20


def test_photo_without_text_skips_the_ocr() -> None:
    reader = _BrightBoxReader("AI生成")
    assert detect(_loaded(_photo(seed=11)), reader=reader).findings == []
    assert reader.calls == 0


def test_small_corner_label_on_a_large_photo_passes_the_text_test() -> None:
    photo = _photo(seed=12, width=3000, height=2000)
    rgb, drawn = _draw(photo, "AI生成", "bottom right", share=0.03)  # 60 px on a 2000 px side
    labels = [f for f in detect(_loaded(rgb)).findings if f.code == "visible_ai_label"]
    assert labels, "the small label was not found"
    assert _overlaps(labels[0].region, drawn)


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        ("Al生成", ["AI生成"]),
        ("由A生成", ["AI生成"]),
        ("豆包A生成", ["AI生成", "豆包AI"]),
        ("内容由 AI 合成", ["AI合成"]),
        ("DALL-E 3", ["DALL·E"]),
        ("lmagined with Al", ["Imagined with AI"]),
        ("Made with Gogle AI", ["Made with Google AI"]),
        ("AI Smart Speaker", []),
        ("豆包", []),
    ],
)
def test_patterns_survive_ocr_confusions(seen: str, expected: list[str]) -> None:
    found = matching_patterns(seen, load_patterns().pattern)
    assert [p.text for p in found] == expected


def test_normalise_keeps_only_letters_digits_and_cjk() -> None:
    assert normalise(" DALL·E ") == "DAIIE"
