"""Label OCR (offline PP-OCR) and the local-feature photo match of returned vs shipped."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest

from tests.factories import Api
from tradeshield.errors import Invalid
from tradeshield.returns.kinds import SerialFormat
from tradeshield.returns.label_ocr import read_label
from tradeshield.returns.photo_match import compare_photos
from tradeshield.returns.policy import load_policy


def _png(image: np.ndarray) -> bytes:  # type: ignore[type-arg]
    ok, encoded = cv2.imencode(".png", image)
    assert ok
    return bytes(encoded)


def _label(text: str) -> bytes:
    image = np.full((160, 900, 3), 255, np.uint8)
    cv2.putText(image, text, (30, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.8, (0, 0, 0), 4, cv2.LINE_AA)
    return _png(image)


def test_serial_is_read_from_a_label_photo_with_its_confidence() -> None:
    reading = read_label(_label("S/N: AB12CD3456"))
    assert reading.serial == "AB12CD3456"
    assert reading.serial_format is SerialFormat.SERIAL
    assert 0.5 < reading.confidence <= 1.0


def test_imei_is_read_and_luhn_checked() -> None:
    reading = read_label(_label("IMEI 490154203237518"))
    assert (reading.serial, reading.serial_format) == ("490154203237518", SerialFormat.IMEI)


def test_blank_or_broken_label_photo_is_refused() -> None:
    with pytest.raises(Invalid, match="no serial"):
        read_label(_png(np.full((200, 400, 3), 255, np.uint8)))
    with pytest.raises(Invalid, match="not a readable image"):
        read_label(b"not an image at all")


def test_unreadable_label_is_a_422_problem(api: Api) -> None:
    blank = _png(np.full((200, 400, 3), 255, np.uint8))
    answer = api.client.post(
        "/v1/returns/label-reading",
        headers=api.headers,
        files={"file": ("label.png", io.BytesIO(blank), "image/png")},
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"


def _product(seed: int) -> np.ndarray:  # type: ignore[type-arg]
    """A textured 'product' shot: shapes and print with many corners."""
    rng = np.random.default_rng(seed)
    image = np.full((480, 640, 3), 200, np.uint8)
    for _ in range(60):
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        x, y = (int(v) for v in rng.integers(20, 600, 2))
        cv2.rectangle(
            image, (x, y % 460), (x + int(rng.integers(10, 60)), (y % 460) + 25), colour, -1
        )
        cv2.circle(
            image,
            (int(rng.integers(0, 640)), int(rng.integers(0, 480))),
            int(rng.integers(4, 20)),
            colour,
            2,
        )
    return image


def _another_shot(image: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    """The same unit from a slightly different angle, darker."""
    turn = cv2.getRotationMatrix2D((320, 240), 7, 0.92)
    moved = cv2.warpAffine(image, turn, (640, 480), borderValue=(200, 200, 200))
    return np.clip(moved.astype(np.float32) * 0.75, 0, 255).astype(np.uint8)


def test_same_unit_under_other_angle_and_light_matches_and_a_swap_does_not() -> None:
    policy = load_policy().verification
    shipped = _product(1)
    same = compare_photos("front", _png(shipped), _png(_another_shot(shipped)), policy)
    swapped = compare_photos("front", _png(shipped), _png(_another_shot(_product(2))), policy)
    assert same.same_unit, same
    assert not swapped.same_unit, swapped
    assert same.inliers > 3 * max(1, swapped.inliers)
