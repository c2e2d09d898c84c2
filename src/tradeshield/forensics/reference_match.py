"""Whether an evidence photo is one of the case's reference photos — the product's listing
photos, the merchant's packing photos, earlier evidence — and, if it is, what was changed.

A buyer who paints a stain or a crack onto the merchant's own listing photo leaves the rest of
the photo pixel-for-pixel the same; aligning the two and differencing them shows exactly where
the change is. That is proof, not a statistical hint, which is why a substantial, confident
changed region is reported as PROOF.

What this does not decide: whether a photo that matches no reference is genuine (a new photo of
the parcel is supposed to match nothing), nor whether two different shots of the same product
show the same damage. Two shots that share only a planar label are rejected as "not the same
photo" by the share of texture that agrees after alignment.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from tradeshield.errors import Invalid
from tradeshield.forensics.downscale import scale_for_long_side, shrink
from tradeshield.forensics.findings import DetectorResult, Finding, HeatMap, Region, Strength
from tradeshield.forensics.loading import LoadedImage
from tradeshield.forensics.reference.alignment import (
    Alignment,
    Keypoints,
    align,
    keypoints,
    refine,
)
from tradeshield.forensics.reference.difference import (
    AlignedDifference,
    ChangedRegion,
    aligned_difference,
    changed_regions,
)
from tradeshield.forensics.reference.thresholds import MatchThresholds, load_thresholds
from tradeshield.i18n.catalog import reason

DETECTOR = "reference_match"
CATALOG_DOMAIN = "forensics_matching"
# More changed regions than this per reference say nothing new to a reviewer.
_MAX_REGIONS = 5

RGB = npt.NDArray[np.uint8]


class ReferenceKind(enum.StrEnum):
    LISTING = "listing"  # the product's listing (main) photos
    PACKING = "packing"  # the merchant's photos of the parcel before shipping
    EARLIER_EVIDENCE = "earlier_evidence"  # photos sent earlier in this or another case


@dataclass(frozen=True, slots=True)
class Reference:
    """A photo the evidence may have been made from. ``index`` is its 1-based number among
    photos of its kind, as a person would count them ("listing photo 2")."""

    label: str  # the caller's name for it, kept in the findings' details
    kind: ReferenceKind
    rgb: RGB
    index: int = 1

    def __post_init__(self) -> None:
        if self.rgb.ndim != 3 or self.rgb.shape[2] != 3 or self.rgb.dtype != np.uint8:
            raise Invalid(f"reference {self.label!r} must be H x W x 3 uint8 RGB pixels")
        if self.index < 1:
            raise Invalid(f"reference {self.label!r}: index counts from 1")


@dataclass(frozen=True, slots=True)
class _Comparison:
    reference: Reference
    alignment: Alignment
    difference: AlignedDifference
    regions: list[ChangedRegion]


def detect(
    image: LoadedImage,
    references: Sequence[Reference],
    thresholds: MatchThresholds | None = None,
) -> DetectorResult:
    """Match the evidence against each reference. The heat map (evidence pixels) is present
    when at least one reference matched, and 0 where nothing changed or nothing overlaps."""
    limits = thresholds or load_thresholds()
    if not references:
        return DetectorResult(DETECTOR, limits.version, [])
    evidence, scale = _work_copy(image.rgb, limits.work_long_side)
    evidence_points = keypoints(_gray(evidence), limits.max_features, limits.feature_long_side)
    comparisons = [
        found
        for reference in references
        if (found := _compare(evidence, evidence_points, reference, limits)) is not None
    ]
    if not comparisons:
        finding = Finding(
            detector=DETECTOR,
            code="reference_no_match",
            strength=Strength.INFO,
            score=0.0,
            reason=reason("reference_no_match", CATALOG_DOMAIN, count=len(references)),
            details={"references": [r.label for r in references]},
        )
        return DetectorResult(DETECTOR, limits.version, [finding])
    findings = [f for c in comparisons for f in _findings(c, scale, image, limits)]
    heat = np.maximum.reduce([c.difference.heat for c in comparisons])
    return DetectorResult(DETECTOR, limits.version, findings, _full_size(heat, image))


def _compare(
    evidence: RGB, evidence_points: Keypoints, reference: Reference, limits: MatchThresholds
) -> _Comparison | None:
    work, _ = _work_copy(reference.rgb, limits.work_long_side)
    work_gray = _gray(work)
    alignment = align(
        evidence_points,
        keypoints(work_gray, limits.max_features, limits.feature_long_side),
        (evidence.shape[0], evidence.shape[1]),
        (work.shape[0], work.shape[1]),
        limits,
    )
    if alignment is None:
        return None
    homography = refine(_gray(evidence), work_gray, alignment.homography)
    difference = aligned_difference(evidence, work, homography, limits)
    if (
        difference.consistent_ratio < limits.min_consistent_ratio
        or difference.changed_ratio > limits.max_changed_ratio
    ):
        return None  # two shots of the same thing, not one photo and its copy
    regions = changed_regions(difference, limits)[:_MAX_REGIONS]
    return _Comparison(reference, alignment, difference, regions)


def _findings(
    comparison: _Comparison, scale: float, image: LoadedImage, limits: MatchThresholds
) -> list[Finding]:
    reference = comparison.reference
    details = {
        "reference": reference.label,
        "reference_kind": reference.kind.value,
        "matches": comparison.alignment.matches,
        "inliers": comparison.alignment.inliers,
        "inlier_spread": comparison.alignment.inlier_spread,
        "overlap_ratio": comparison.alignment.overlap_ratio,
        "consistent_ratio": comparison.difference.consistent_ratio,
        "changed_ratio": comparison.difference.changed_ratio,
        "colour_gain": list(comparison.difference.colour_gain),
    }
    if not comparison.regions:
        copied_photo = reference.kind is not ReferenceKind.EARLIER_EVIDENCE
        return [
            Finding(
                detector=DETECTOR,
                code="derived_from_reference",
                strength=Strength.MODERATE if copied_photo else Strength.INFO,
                score=0.3 if copied_photo else 0.0,
                reason=reason(
                    f"derived_from_reference_{reference.kind.value}",
                    CATALOG_DOMAIN,
                    index=reference.index,
                ),
                details=details,
            )
        ]
    overlap_area = float(np.count_nonzero(comparison.difference.overlap))
    return [
        _region_finding(region, overlap_area, scale, image, reference, details, limits)
        for region in comparison.regions
    ]


def _region_finding(
    region: ChangedRegion,
    overlap_area: float,
    scale: float,
    image: LoadedImage,
    reference: Reference,
    details: Mapping[str, object],
    limits: MatchThresholds,
) -> Finding:
    area_ratio = region.area / max(overlap_area, 1.0)
    extent_ratio = region.width * region.height / max(overlap_area, 1.0)
    proof = region.mean_heat >= limits.proof_region_heat and (
        area_ratio >= limits.proof_region_area_ratio
        or extent_ratio >= limits.proof_region_extent_ratio
    )
    box = _full_region(region, scale, image)
    return Finding(
        detector=DETECTOR,
        code="reference_changed_region",
        strength=Strength.PROOF if proof else Strength.MODERATE,
        score=round(0.8 + 0.2 * region.mean_heat, 4) if proof else round(0.5 * region.mean_heat, 4),
        reason=reason(
            f"reference_changed_region_{reference.kind.value}",
            CATALOG_DOMAIN,
            index=reference.index,
            x=box.x,
            y=box.y,
            width=box.width,
            height=box.height,
        ),
        region=box,
        details={
            **details,
            "area_ratio": round(area_ratio, 5),
            "extent_ratio": round(extent_ratio, 5),
            "mean_heat": region.mean_heat,
        },
    )


def _work_copy(rgb: RGB, long_side: int) -> tuple[RGB, float]:
    """A copy whose long side is at most ``long_side``, and the factor applied."""
    scale = scale_for_long_side(rgb.shape, long_side)
    return shrink(rgb, scale), scale


def _gray(rgb: RGB) -> npt.NDArray[np.uint8]:
    return np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), np.uint8)


def _full_region(region: ChangedRegion, scale: float, image: LoadedImage) -> Region:
    x = min(image.width - 1, int(region.x / scale))
    y = min(image.height - 1, int(region.y / scale))
    right = min(image.width, int(np.ceil((region.x + region.width) / scale)))
    bottom = min(image.height, int(np.ceil((region.y + region.height) / scale)))
    return Region(x=x, y=y, width=max(1, right - x), height=max(1, bottom - y))


def _full_size(heat: HeatMap, image: LoadedImage) -> HeatMap:
    if heat.shape == (image.height, image.width):
        return heat.astype(np.float32)
    full = cv2.resize(heat, (image.width, image.height), interpolation=cv2.INTER_LINEAR)
    return np.clip(full, 0.0, 1.0).astype(np.float32)
