"""Perceptual fingerprints of a photo: two 64-bit hashes that stay nearly the same when the
photo is recompressed, resized, lightly cropped or retouched in colour, and differ in about
half their bits between unrelated photos.

- pHash: signs of the 64 lowest-frequency DCT coefficients (DC left out, zig-zag order) of a
  32x32 gray thumbnail, against their median. It captures the photo's coarse layout.
- dHash: whether each pixel of a 9x8 gray thumbnail is darker than its right neighbour. It
  captures coarse gradients and fails differently from pHash, so requiring both to agree cuts
  false matches.

Flat borders (a frame, letterbox bars, a screenshot's margin) are cut off first, so a framed
copy hashes like the photo. Both hashes compare values with each other, never with a fixed
level, so a brightened, darkened or contrast-stretched copy hashes alike. Crops beyond a few
per cent move the hashes too far: that is `reference_match`'s job. This decides nothing;
`index` finds near neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from tradeshield.forensics.downscale import reduce_by
from tradeshield.forensics.loading import LoadedImage

RGB = npt.NDArray[np.uint8]

_THUMBNAIL = 32
_HASH_SIDE = 8
# A row or column is border when this share of its pixels lies within the tolerance (gray
# levels) of the edge's colour. Tight on purpose: a looser test also eats dark or bright photo
# content, and JPEG noise then moves where the trim stops, which moves the hash.
_BORDER_TOLERANCE = 3.0
_BORDER_SHARE = 0.99
_TRIM_PASSES = 4


def _zigzag(side: int, count: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Row and column of the first ``count`` coefficients after DC, in JPEG zig-zag order."""
    cells = sorted(
        ((r, c) for r in range(side) for c in range(side)),
        key=lambda rc: (rc[0] + rc[1], rc[0] if (rc[0] + rc[1]) % 2 else rc[1]),
    )[1 : count + 1]
    return np.array([r for r, _ in cells], np.intp), np.array([c for _, c in cells], np.intp)


_ZIGZAG_ROWS, _ZIGZAG_COLS = _zigzag(12, 64)
_BIT_WEIGHTS = np.uint64(1) << np.arange(63, -1, -1, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class PhotoFingerprint:
    """Two unsigned 64-bit perceptual hashes."""

    phash: int
    dhash: int

    def distance(self, other: PhotoFingerprint) -> int:
        """Differing bits of the worse of the two hashes: both must agree for a near copy."""
        return max((self.phash ^ other.phash).bit_count(), (self.dhash ^ other.dhash).bit_count())


def fingerprint(image: LoadedImage) -> PhotoFingerprint:
    return fingerprint_pixels(image.rgb)


def fingerprint_pixels(rgb: RGB) -> PhotoFingerprint:
    gray = _thumbnail_gray(rgb)
    return PhotoFingerprint(phash=_phash(gray), dhash=_dhash(gray))


def _thumbnail_gray(rgb: RGB) -> npt.NDArray[np.float32]:
    """A 32x32 gray thumbnail of the photo without flat borders. Large photos are first
    reduced by a whole factor, OpenCV's fast path, so a 12 MP photo costs a few milliseconds."""
    height, width = rgb.shape[:2]
    whole = max(1, min(height, width) // (_THUMBNAIL * 8))
    gray = np.asarray(cv2.cvtColor(reduce_by(rgb, whole), cv2.COLOR_RGB2GRAY), np.float32)
    content = gray
    # Trim until nothing changes: side borders keep a frame's top rows from looking flat, and
    # a flat edge of the photo itself shows only once the frame around it is gone.
    for _ in range(_TRIM_PASSES):
        top, bottom = _content_span(content)
        left, right = _content_span(content[top:bottom].T)
        if (top, bottom, left, right) == (0, content.shape[0], 0, content.shape[1]):
            break
        content = content[top:bottom, left:right]
    content = np.ascontiguousarray(content)
    small = cv2.resize(content, (_THUMBNAIL, _THUMBNAIL), interpolation=cv2.INTER_AREA)
    return np.asarray(small, np.float32)


def _content_span(gray: npt.NDArray[np.float32]) -> tuple[int, int]:
    """First and past-last row that is not part of a flat border (a frame, letterbox bars, a
    screenshot's margin): rows almost all within a few gray levels of the edge's colour. Never
    more than a quarter of the rows from either side."""
    rows = gray.shape[0]
    limit = rows // 4
    if limit == 0:
        return 0, rows
    top = _border_depth(gray[:limit])
    bottom = rows - _border_depth(gray[rows - limit :][::-1])
    return top, bottom


def _border_depth(band: npt.NDArray[np.float32]) -> int:
    """How many leading rows of ``band`` share the first row's colour."""
    edge = float(np.median(band[0]))
    near = (np.abs(band - edge) <= _BORDER_TOLERANCE).mean(axis=1) >= _BORDER_SHARE
    return int(np.argmin(near)) if not near.all() else int(near.size)


def _phash(gray: npt.NDArray[np.float32]) -> int:
    coefficients = np.asarray(cv2.dct(gray), np.float32)[_ZIGZAG_ROWS, _ZIGZAG_COLS]
    return _pack(coefficients > np.median(coefficients))


def _dhash(gray: npt.NDArray[np.float32]) -> int:
    small = np.asarray(
        cv2.resize(gray, (_HASH_SIDE + 1, _HASH_SIDE), interpolation=cv2.INTER_AREA), np.float32
    )
    return _pack((small[:, 1:] > small[:, :-1]).ravel())


def _pack(bits: npt.NDArray[np.bool_]) -> int:
    return int(np.bitwise_or.reduce(_BIT_WEIGHTS[bits.astype(bool)], initial=np.uint64(0)))
