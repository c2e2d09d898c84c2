"""Decoding an evidence photo once, safely, into what every detector reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

RGB = npt.NDArray[np.uint8]  # H x W x 3


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """A decoded photo: pixels after EXIF orientation, the original bytes, the container.

    ``metadata`` holds what the loader read from the file (EXIF, XMP, IPTC, PNG text, JPEG
    quantisation tables, ...) under stable keys documented in the loader.
    """

    rgb: RGB
    source: bytes
    format: str  # "JPEG", "PNG", "WEBP", "HEIF", ...
    metadata: dict[str, Any] = field(default_factory=dict)

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
