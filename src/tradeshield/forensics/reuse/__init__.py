"""Whether an evidence photo was already seen elsewhere: perceptual fingerprints, an index
that finds near copies among millions, and the findings made from its hits."""

from tradeshield.forensics.reuse.fingerprint import (
    PhotoFingerprint,
    fingerprint,
    fingerprint_pixels,
)
from tradeshield.forensics.reuse.hits import (
    DETECTOR,
    EXACT_DISTANCE,
    VERSION,
    ReuseHit,
    ReuseSource,
    detect,
)
from tradeshield.forensics.reuse.index import MAX_DISTANCE, PhotoIndex

# Hashes of copies made by recompression, resizing, colour changes, frames and crops of up to
# about 2-3 % fall within this many bits; see bench/bench_forensics_matching.py.
DEFAULT_MAX_DISTANCE = 10

__all__ = [
    "DEFAULT_MAX_DISTANCE",
    "DETECTOR",
    "EXACT_DISTANCE",
    "MAX_DISTANCE",
    "VERSION",
    "PhotoFingerprint",
    "PhotoIndex",
    "ReuseHit",
    "ReuseSource",
    "detect",
    "fingerprint",
    "fingerprint_pixels",
]
