"""What the container says about where the photo came from: a camera's own EXIF, nothing
at all, or a JPEG written by general-purpose software rather than by a camera.

Re-save by software: libjpeg (IJG) writes its example tables scaled by a quality factor, and
so do Pillow, OpenCV, GIMP, most phone editors and chat apps; cameras mostly write their own
tables. Measured on ``real/camera`` (66 camera-original JPEGs of 54 models): 22 of 66 still
used scaled IJG tables (HTC One, Moto G, Galaxy S4, Pixel 7 Pro, Sony Ericsson phones, Canon
PowerShot G2, Sony Cybershot, ...), so standard tables alone prove nothing; the 30 re-saved
``declan_*`` photos and every AI image saved as JPEG in the dataset use them. The finding is
therefore only raised when camera EXIF is missing too, and only as WEAK: that is also what a
chat app's re-compression of an honest photo looks like.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from tradeshield.forensics.findings import Finding
from tradeshield.forensics.provenance.tables import make_finding

# ITU-T T.81 annex K tables, natural (row-major) order
_IJG_LUMA = np.array([
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
])  # fmt: skip
_IJG_CHROMA = np.array([
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
] + [99] * 32)  # fmt: skip
_CAMERA_FIELDS = ("Make", "Model", "DateTimeOriginal", "DateTime", "Software", "LensModel")


def ijg_quality(tables: Sequence[Sequence[int]]) -> int | None:
    """The libjpeg quality (1..100) whose scaled standard tables these are, if any."""
    if not tables or len(tables[0]) != 64:
        return None
    luma = np.asarray(tables[0])
    chroma = np.asarray(tables[1]) if len(tables) > 1 and len(tables[1]) == 64 else None
    for quality in range(100, 0, -1):
        scale = 5000 // quality if quality < 50 else 200 - 2 * quality
        if not np.array_equal(luma, _scaled(_IJG_LUMA, scale)):
            continue
        if chroma is None or np.array_equal(chroma, _scaled(_IJG_CHROMA, scale)):
            return quality
    return None


def capture_findings(
    exif: Mapping[str, str],
    has_other_metadata: bool,
    quant_tables: Sequence[Sequence[int]],
) -> list[Finding]:
    make, model = exif.get("Make", "").strip(), exif.get("Model", "").strip()
    findings = []
    if (make or model) and exif.get("DateTimeOriginal"):
        findings.append(
            make_finding(
                "camera_original_exif",
                make=make[:40],
                model=model[:60],
                details={"make": make, "model": model, "taken_at": exif["DateTimeOriginal"]},
            )
        )
    if not any(exif.get(name) for name in _CAMERA_FIELDS) and not has_other_metadata:
        findings.append(make_finding("no_metadata"))
    quality = ijg_quality(quant_tables)
    if quality is not None and not (make or model):
        findings.append(
            make_finding(
                "jpeg_resaved_by_software", quality=quality, details={"ijg_quality": quality}
            )
        )
    return findings


def _scaled(base: npt.NDArray[np.int64], scale: int) -> npt.NDArray[np.int64]:
    scaled: npt.NDArray[np.int64] = np.clip((base * scale + 50) // 100, 1, 255)
    return scaled
