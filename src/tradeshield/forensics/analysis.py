"""`analyze`: one photo in, one forensic report out. Pure and deterministic.

Runs every detector on the decoded photo, then fuses their findings. A detector that fails on
an odd file is reported as such in the findings instead of failing the whole report, so one
bad detector never turns a readable photo into an error.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence

from tradeshield.forensics import (
    jpeg_history,
    learned,
    noise,
    provenance,
    reference_match,
    reuse,
    visible_label,
)
from tradeshield.forensics.findings import DetectorResult, Finding, Strength
from tradeshield.forensics.fusion import decide, fuse_heatmap, fused_score, load_policy
from tradeshield.forensics.loading import LoadedImage, load_image
from tradeshield.forensics.reference_match import Reference
from tradeshield.forensics.report import ForensicReport
from tradeshield.i18n.catalog import reason

log = logging.getLogger(__name__)
Detector = Callable[[LoadedImage], DetectorResult]


def _blind_detectors() -> list[tuple[str, Detector]]:
    return [
        ("provenance", provenance.detect),
        ("jpeg_history", jpeg_history.detect),
        ("noise", noise.detect),
        ("visible_label", visible_label.detect),
        # The trained AI-generation detector (learned.detect_generated) is not run here: on
        # held-out GAN families it scores fakes below real photos (see its model card).
        ("pixel_model", _pixel_model),
    ]


def _pixel_model(image: LoadedImage) -> DetectorResult:
    # The localiser maps every photo; its map only joins the fused heat map when the photo as
    # a whole passed the model's threshold, or clean photos would glow faintly everywhere.
    result = learned.localise(image.rgb)
    if result.findings:
        return result
    return dataclasses.replace(result, heatmap=None)


def _run(name: str, detector: Detector, image: LoadedImage) -> DetectorResult:
    try:
        return detector(image)
    except Exception as exc:  # reported in the findings; the rest of the report stands
        log.exception("forensic detector %s failed", name)
        failed = Finding(
            detector=name,
            code="detector_failed",
            strength=Strength.INFO,
            score=0.0,
            reason=reason("detector_failed", "forensics", detector=name),
            details={"error": type(exc).__name__},
        )
        return DetectorResult(name, "failed", [failed])


def analyze(
    photo: bytes | LoadedImage,
    references: Sequence[Reference] = (),
    reuse_hits: Sequence[reuse.ReuseHit] = (),
) -> ForensicReport:
    """The report for one photo; ``references`` are listing or packing photos it may come from,
    ``reuse_hits`` the stored photos a fingerprint lookup found near it (the history).

    Raises ``Invalid`` / ``TooLarge`` for input that is not a readable photo.
    """
    image = photo if isinstance(photo, LoadedImage) else load_image(photo)
    results = [_run(name, detector, image) for name, detector in _blind_detectors()]
    if references:
        results.append(
            _run(
                "reference_match",
                lambda loaded: reference_match.detect(loaded, references),
                image,
            )
        )
    if reuse_hits:
        results.append(_run("reuse", lambda loaded: reuse.detect(loaded, reuse_hits), image))
    return fuse(image, results)


def fuse(image: LoadedImage, results: Sequence[DetectorResult]) -> ForensicReport:
    policy = load_policy()
    findings = [f for result in results for f in result.findings]
    fused = fused_score(results, policy)
    versions = {result.detector: result.version for result in results}
    versions["fusion"] = policy.version
    versions["calibration"] = fused.calibration
    return ForensicReport(
        score=fused.score,
        raw_score=fused.raw,
        # the policy's thresholds are set on the raw fused score; see fusion.toml
        verdict=decide(findings, fused.raw, policy),
        findings=findings,
        heatmap=fuse_heatmap(results, image.height, image.width, policy),
        versions=versions,
        width=image.width,
        height=image.height,
        fusion={"features": fused.features, "contributions": fused.contributions},
    )
