"""Serials and codes read from a photo of the unit's label, offline.

The OCR is the forensics module's ``TextReader`` adapter (PP-OCR models bundled with
``rapidocr``, run by ONNX Runtime; nothing downloaded). A fifteen-digit run that passes the
Luhn check is an IMEI; otherwise the longest token after an "S/N", "SN" or "Serial" caption,
else the longest serial-like token. The reading keeps the OCR's confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from tradeshield.errors import Invalid
from tradeshield.forensics.visible_label import RapidTextReader, TextLine, TextReader
from tradeshield.returns.evidence_schema import luhn_valid, normalise_serial
from tradeshield.returns.kinds import SerialFormat

_DIGITS15 = re.compile(r"(?<!\d)(\d{15})(?!\d)")
_CAPTION = re.compile(r"(?:S/?N|SERIAL(?:\s*NO\.?)?|IMEI)\s*[:：]?\s*([A-Z0-9/-]{6,30})")
_TOKEN = re.compile(r"[A-Z0-9][A-Z0-9-]{5,29}")
_MIN_SHORT_SIDE = 32


@dataclass(frozen=True, slots=True)
class LabelReading:
    serial: str
    serial_format: SerialFormat
    confidence: float
    text: str  # everything the OCR read, for a reviewer


@lru_cache(maxsize=1)
def default_reader() -> TextReader:
    return RapidTextReader(threads=1)


def _decode(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None or min(image.shape[:2]) < _MIN_SHORT_SIDE:
        raise Invalid("the label photo is not a readable image", field="photo")
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), np.uint8)


def _candidates(line: TextLine) -> list[str]:
    text = line.text.upper().replace(" ", "")
    found = [m for m in _DIGITS15.findall(text) if luhn_valid(m)]
    found += _CAPTION.findall(line.text.upper())
    found += sorted(_TOKEN.findall(text), key=len, reverse=True)
    return found


def read_label(data: bytes, reader: TextReader | None = None) -> LabelReading:
    """The serial on the label; ``Invalid`` (HTTP 422) when nothing serial-like is legible."""
    lines = (reader or default_reader()).read(_decode(data))
    for line in sorted(lines, key=lambda found: found.confidence, reverse=True):
        for candidate in _candidates(line):
            try:
                serial, kind = normalise_serial(candidate)
            except Invalid:
                continue
            if kind is SerialFormat.SERIAL and not any(c.isdigit() for c in serial):
                continue  # a word such as "WARRANTY" is not a serial
            text = " | ".join(found.text for found in lines)
            return LabelReading(serial, kind, round(line.confidence, 4), text)
    raise Invalid("no serial or IMEI could be read from the label photo", field="photo")
