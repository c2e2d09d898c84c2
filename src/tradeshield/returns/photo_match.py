"""Is the returned unit in this photo the unit shipped in that one? Local features.

ORB keypoints and a RANSAC homography, through the forensics module's pure alignment
functions: keypoints survive changes of light and a moderate change of angle, and a swapped
unit (another print, another scratch pattern, another label) leaves few keypoints that fit
one homography. The share of the smaller photo's keypoints that do is the similarity.
"""

from __future__ import annotations

import cv2
import numpy as np

from tradeshield.errors import Invalid
from tradeshield.forensics.reference.alignment import align, keypoints
from tradeshield.forensics.reference.thresholds import load_thresholds
from tradeshield.returns.facts import PhotoComparison
from tradeshield.returns.policy import VerificationPolicy


def _gray(data: bytes, long_side: int) -> np.ndarray:
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if decoded is None:
        raise Invalid("a unit photo could not be decoded", field="photos")
    height, width = decoded.shape[:2]
    factor = min(1.0, long_side / max(height, width))
    if factor < 1.0:
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        decoded = cv2.resize(decoded, size, interpolation=cv2.INTER_AREA)
    # equalise so a darker or brighter shot finds the same corners
    return np.asarray(cv2.equalizeHist(decoded), np.uint8)


def compare_photos(
    angle: str, shipped: bytes, returned: bytes, policy: VerificationPolicy
) -> PhotoComparison:
    first, second = _gray(shipped, policy.photo_long_side), _gray(returned, policy.photo_long_side)
    thresholds = load_thresholds().model_copy(
        update={"min_inliers": policy.photo_min_inliers, "min_overlap_ratio": 0.05}
    )
    found_first = keypoints(first, policy.photo_max_features, policy.photo_long_side)
    found_second = keypoints(second, policy.photo_max_features, policy.photo_long_side)
    fitted = align(found_second, found_first, second.shape[:2], first.shape[:2], thresholds)
    inliers = 0 if fitted is None else fitted.inliers
    fewer = max(1, min(len(found_first), len(found_second)))
    share = inliers / fewer
    same = inliers >= policy.photo_min_inliers and share >= policy.photo_min_inlier_share
    return PhotoComparison(angle, inliers, share, same)
