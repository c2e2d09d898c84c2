"""Whether one photo is a geometric copy of another, and the homography that maps it.

ORB keypoints survive the crops, small rotations, resizes and recompressions a copied photo
goes through, and cost a fraction of SIFT's time. Matches pass Lowe's ratio test, then
MAGSAC++ fits a homography; the fit is kept only when it is one a camera-free copy can produce
(no mirror, bounded scale and shear, a convex footprint) and its inliers are spread over the
overlap rather than packed on one logo. This decides geometry only: whether the pixels agree
once aligned is `difference`'s question.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from tradeshield.forensics.reference.thresholds import MatchThresholds

Gray8 = npt.NDArray[np.uint8]
Points = npt.NDArray[np.float32]  # N x 2, (x, y)
Homography = npt.NDArray[np.float64]  # 3 x 3

# Refinement runs on copies this small (long side, pixels): a tenth of the cost at 512 px, and
# still accurate to about half a work pixel.
_REFINE_LONG_SIDE = 256
_REFINE_STEPS = 30
# A refinement that moves a corner by more than this share of the evidence's long side has
# locked onto something else; the keypoint fit is kept.
_REFINE_MAX_SHIFT = 0.03
# FAST corner threshold: higher skips the weakest corners, which rarely survive recompression.
_FAST_THRESHOLD = 20
# A similarity (rotation, scale, shift) is preferred unless a homography explains clearly more
# matches: with fewer degrees of freedom it is the steadier fit for crops and rotations.
_HOMOGRAPHY_GAIN = 1.1


@dataclass(frozen=True, slots=True)
class Keypoints:
    """Where the keypoints of one photo are (work pixels) and their ORB descriptors."""

    points: Points
    descriptors: npt.NDArray[np.uint8]  # N x 32

    def __len__(self) -> int:
        return int(self.points.shape[0])


@dataclass(frozen=True, slots=True)
class Alignment:
    """A reference mapped onto the evidence: ``homography`` takes reference work pixels to
    evidence work pixels."""

    homography: Homography
    matches: int
    inliers: int
    inlier_spread: float  # inliers' hull area / overlap area, 0..1
    overlap_ratio: float  # overlap area / evidence area, 0..1


def keypoints(gray: Gray8, max_features: int, long_side: int) -> Keypoints:
    """ORB keypoints found on a copy whose long side is at most ``long_side``, with their
    positions given in ``gray``'s pixels. Fine texture (foliage, fabric) yields unstable
    keypoints at full resolution; at about 640 px they repeat across copies far better."""
    height, width = gray.shape[:2]
    factor = min(1.0, long_side / max(height, width))
    if factor < 1.0:
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        gray = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), np.uint8)
    orb = cv2.ORB.create(nfeatures=max_features, fastThreshold=_FAST_THRESHOLD)
    found, descriptors = orb.detectAndCompute(gray, None)
    if descriptors is None or not found:
        return Keypoints(np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8))
    points = np.array([k.pt for k in found], dtype=np.float32) / np.float32(factor)
    return Keypoints(points, np.asarray(descriptors, dtype=np.uint8))


def align(
    evidence: Keypoints,
    reference: Keypoints,
    evidence_shape: tuple[int, int],
    reference_shape: tuple[int, int],
    thresholds: MatchThresholds,
) -> Alignment | None:
    """The homography from the reference onto the evidence, or None when there is none a
    copy could produce. Shapes are (height, width) in work pixels."""
    if len(evidence) < thresholds.min_inliers or len(reference) < thresholds.min_inliers:
        return None
    source, target = _ratio_matches(evidence, reference, thresholds.ratio_test)
    if len(source) < thresholds.min_inliers:
        return None
    fitted = _fit(source, target, thresholds.reprojection_px)
    if fitted is None:
        return None
    homography, inlier_mask = fitted
    inliers = int(inlier_mask.sum())
    if inliers < thresholds.min_inliers:
        return None
    if not _plausible(homography, thresholds):
        return None
    footprint = _footprint(homography, evidence_shape, reference_shape)
    evidence_area = float(evidence_shape[0] * evidence_shape[1])
    if footprint <= 0 or footprint / evidence_area < thresholds.min_overlap_ratio:
        return None
    spread = min(1.0, _hull_area(target[inlier_mask]) / footprint)
    if spread < thresholds.min_inlier_spread:
        return None
    return Alignment(
        homography=homography,
        matches=len(source),
        inliers=inliers,
        inlier_spread=round(spread, 4),
        overlap_ratio=round(footprint / evidence_area, 4),
    )


def refine(evidence: Gray8, reference: Gray8, homography: Homography) -> Homography:
    """The homography polished to a fraction of a pixel by maximising the correlation of the
    two photos (ECC) on small copies. Keypoints found on text or at coarse pyramid levels can
    leave the fit a few pixels off, which would read as changes along every edge; ECC
    compares all pixels instead, and is blind to brightness and contrast changes. When it
    fails or wanders off, the keypoint fit stands."""
    factor = _REFINE_LONG_SIDE / max(*evidence.shape[:2], *reference.shape[:2])
    if factor >= 1.0:
        factor = 1.0
    small_evidence = _shrink(evidence, factor)
    small_reference = _shrink(reference, factor)
    scaling = np.diag([factor, factor, 1.0])
    # ECC warps the template's (evidence's) pixels onto the input's (reference's).
    start = scaling @ np.linalg.inv(homography) @ np.linalg.inv(scaling)
    start = (start / start[2, 2]).astype(np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, _REFINE_STEPS, 1e-4)
    try:
        _, warp = cv2.findTransformECC(
            small_evidence,
            small_reference,
            start,
            cv2.MOTION_HOMOGRAPHY,
            criteria,
            None,
        )
    except cv2.error:  # did not converge: the photos do not correlate after all
        return homography
    inverse = np.linalg.inv(scaling) @ np.asarray(warp, np.float64) @ scaling
    refined = np.asarray(np.linalg.inv(inverse), np.float64)
    refined /= refined[2, 2]
    if _corner_shift(homography, refined, reference.shape[:2]) > _REFINE_MAX_SHIFT * max(
        evidence.shape[:2]
    ):
        return homography
    return refined


def _shrink(gray: Gray8, factor: float) -> npt.NDArray[np.float32]:
    if factor == 1.0:
        return gray.astype(np.float32)
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return np.asarray(small, np.float32)


def _corner_shift(first: Homography, second: Homography, shape: tuple[int, ...]) -> float:
    height, width = shape[0], shape[1]
    corners = np.array([[[0, 0]], [[width, 0]], [[width, height]], [[0, height]]], np.float32)
    moved = cv2.perspectiveTransform(corners, first) - cv2.perspectiveTransform(corners, second)
    return float(np.abs(moved).max())


def _fit(
    source: Points, target: Points, reprojection_px: float
) -> tuple[Homography, npt.NDArray[np.bool_]] | None:
    """The similarity or homography taking ``source`` onto ``target``, and its inliers."""
    projective, projective_mask = cv2.findHomography(
        source, target, cv2.USAC_MAGSAC, reprojection_px, maxIters=5000, confidence=0.999
    )
    similar, similar_mask = cv2.estimateAffinePartial2D(
        source,
        target,
        method=cv2.RANSAC,
        ransacReprojThreshold=reprojection_px,
        maxIters=5000,
        confidence=0.999,
    )
    projective_inliers = 0 if projective_mask is None else int(projective_mask.sum())
    similar_inliers = 0 if similar_mask is None else int(similar_mask.sum())
    if (
        similar is not None
        and similar_mask is not None
        and (similar_inliers * _HOMOGRAPHY_GAIN >= projective_inliers)
    ):
        matrix = np.vstack([np.asarray(similar, np.float64), [0.0, 0.0, 1.0]])
        return matrix, similar_mask.ravel().astype(bool)
    if projective is None or projective_mask is None:
        return None
    return np.asarray(projective, np.float64), projective_mask.ravel().astype(bool)


def _ratio_matches(
    evidence: Keypoints, reference: Keypoints, ratio: float
) -> tuple[Points, Points]:
    """Reference and evidence points of the matches that pass the ratio test."""
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(evidence.descriptors, reference.descriptors, k=2)
    kept = [p[0] for p in pairs if len(p) == 2 and p[0].distance < ratio * p[1].distance]
    reference_index = np.array([m.trainIdx for m in kept], dtype=np.intp)
    evidence_index = np.array([m.queryIdx for m in kept], dtype=np.intp)
    return reference.points[reference_index], evidence.points[evidence_index]


def _plausible(homography: Homography, thresholds: MatchThresholds) -> bool:
    """A copy is a similarity plus mild perspective: no mirror, bounded scale and shear."""
    if abs(homography[2, 2]) < 1e-12:
        return False
    normalised = homography / homography[2, 2]
    linear = normalised[:2, :2]
    if np.linalg.det(linear) <= 0:
        return False
    singular = np.linalg.svd(linear, compute_uv=False)
    scale = float(np.sqrt(singular[0] * singular[1]))
    anisotropy = float(singular[0] / max(singular[1], 1e-12))
    return (
        thresholds.min_scale <= scale <= thresholds.max_scale
        and anisotropy <= thresholds.max_anisotropy
    )


def _footprint(
    homography: Homography, evidence_shape: tuple[int, int], reference_shape: tuple[int, int]
) -> float:
    """Area of the evidence covered by the warped reference; 0 when the warp folds."""
    height, width = reference_shape
    corners = np.array([[[0, 0]], [[width, 0]], [[width, height]], [[0, height]]], np.float32)
    warped = cv2.perspectiveTransform(corners, homography)
    if not cv2.isContourConvex(warped.astype(np.float32)):
        return 0.0
    frame = np.array(
        [
            [0, 0],
            [evidence_shape[1], 0],
            [evidence_shape[1], evidence_shape[0]],
            [0, evidence_shape[0]],
        ],
        np.float32,
    )
    area, _ = cv2.intersectConvexConvex(warped.reshape(-1, 2), frame)
    return float(area)


def _hull_area(points: Points) -> float:
    if len(points) < 3:
        return 0.0
    hull = cv2.convexHull(points.astype(np.float32))
    return float(cv2.contourArea(hull))
