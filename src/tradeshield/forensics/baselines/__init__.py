"""Classical forensic methods a user could run instead of ours, written here from their
published descriptions, run side by side with the engine by the evaluation.

Each takes the decoded photo (pixels; the aligned double-JPEG method also reads the file's
luminance quantisation table when there is one) and returns an image-level score (0..1,
higher = more likely edited) and a per-pixel map (0..1, same size as the photo).
"""

from __future__ import annotations

from collections.abc import Callable

from tradeshield.forensics.baselines import adq, bag, ela, noise_mad
from tradeshield.forensics.baselines.common import BaselineResult
from tradeshield.forensics.loading import LoadedImage

Baseline = Callable[[LoadedImage], BaselineResult]


def luma_table(image: LoadedImage) -> list[int] | None:
    """The first (luminance) quantisation table of a JPEG, row-major; None otherwise."""
    tables = image.metadata.get("jpeg_quant_tables") or []
    return [int(step) for step in tables[0]] if tables and len(tables[0]) == 64 else None


BASELINES: dict[str, Baseline] = {
    "ela": lambda image: ela.detect(image.rgb),
    "bag": lambda image: bag.detect(image.rgb),
    "adq": lambda image: adq.detect(image.rgb, luma_table(image)),
    "noise_mad": lambda image: noise_mad.detect(image.rgb),
}

__all__ = ["BASELINES", "Baseline", "BaselineResult"]
