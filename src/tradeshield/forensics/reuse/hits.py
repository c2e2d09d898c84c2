"""Turning index hits into findings: where else this photo (or a near copy) has been seen.

A photo already sent in another buyer's case, or taken from a listing or a public review, is
not a photo of the item this buyer received. The same buyer sending one photo in two cases is
suspicious too (the same damage claimed twice) but can be honest (two items from one
delivery), so it weighs less. Near copies (distance above `EXACT_DISTANCE`) are reported as
such until the caller confirms them pixel by pixel (`reference_match` against the stored
photo) and marks the hit ``confirmed``: 64-bit hashes alone cannot rule out a look-alike among
millions.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from tradeshield.forensics.findings import DetectorResult, Finding, Region, Strength
from tradeshield.forensics.loading import LoadedImage
from tradeshield.i18n.catalog import reason

DETECTOR = "reuse"
VERSION = "reuse-1.0.0"
CATALOG_DOMAIN = "forensics_matching"
# At or below this many differing bits the hashes say "the same photo" on their own.
EXACT_DISTANCE = 4


class ReuseSource(enum.StrEnum):
    OTHER_BUYER_CASE = "other_buyer"  # evidence in a case opened by another buyer
    SAME_BUYER_CASE = "same_buyer"  # evidence this buyer sent in another case
    SAME_CASE = "same_case"  # sent earlier in this very case
    LISTING = "listing"  # a product's listing photo
    REVIEW = "review"  # a photo posted with a review


@dataclass(frozen=True, slots=True)
class ReuseHit:
    """One stored photo the index found near the evidence, with where it came from.
    ``source_id`` names it for people: the case, product or review id."""

    photo_id: int
    distance: int
    source: ReuseSource
    source_id: str = ""
    confirmed: bool = False  # the caller matched the two photos pixel by pixel


# (strength, score) for an exact or confirmed copy; a near copy drops one step.
_WEIGHT: dict[ReuseSource, tuple[Strength, float]] = {
    ReuseSource.OTHER_BUYER_CASE: (Strength.STRONG, 0.8),
    ReuseSource.LISTING: (Strength.STRONG, 0.7),
    ReuseSource.REVIEW: (Strength.STRONG, 0.7),
    ReuseSource.SAME_BUYER_CASE: (Strength.MODERATE, 0.4),
    ReuseSource.SAME_CASE: (Strength.INFO, 0.0),
}
_WEAKER = {
    Strength.STRONG: Strength.MODERATE,
    Strength.MODERATE: Strength.WEAK,
    Strength.WEAK: Strength.WEAK,
    Strength.INFO: Strength.INFO,
    Strength.PROOF: Strength.STRONG,
}


def detect(image: LoadedImage, matches: Sequence[ReuseHit]) -> DetectorResult:
    """One finding per source kind, from its nearest hit; the region is the whole photo."""
    nearest: dict[ReuseSource, ReuseHit] = {}
    for hit in sorted(matches, key=lambda h: (not h.confirmed, h.distance, h.photo_id)):
        nearest.setdefault(hit.source, hit)
    whole = Region(0, 0, image.width, image.height)
    findings = [_finding(hit, whole, matches) for hit in nearest.values()]
    return DetectorResult(DETECTOR, VERSION, findings)


def _finding(hit: ReuseHit, whole: Region, matches: Sequence[ReuseHit]) -> Finding:
    strength, score = _WEIGHT[hit.source]
    exact = hit.confirmed or hit.distance <= EXACT_DISTANCE
    if not exact:
        strength, score = _WEAKER[strength], round(score * 0.5, 4)
    return Finding(
        detector=DETECTOR,
        code="reused_photo",
        strength=strength,
        score=score,
        reason=reason(f"reused_photo_{hit.source.value}", CATALOG_DOMAIN, source_id=hit.source_id),
        region=whole,
        details={
            "source": hit.source.value,
            "source_id": hit.source_id,
            "photo_id": hit.photo_id,
            "distance": hit.distance,
            "confirmed": hit.confirmed,
            "exact": exact,
            "sightings": sum(1 for m in matches if m.source is hit.source),
        },
    )
