"""Fusion: scores add up independent evidence; verdicts follow the policy's fairness rules."""

from __future__ import annotations

import numpy as np
import pytest

from tradeshield.forensics.findings import DetectorResult, Finding, Strength
from tradeshield.forensics.fusion import Verdict, decide, fuse_heatmap, fuse_score, load_policy


def _finding(detector: str, strength: Strength, score: float = 1.0) -> Finding:
    return Finding(
        detector=detector,
        code="test",
        strength=strength,
        score=score,
        reason={"code": "test", "zh": "测试", "en": "test"},
    )


def test_strong_blind_findings_alone_are_never_forged() -> None:
    policy = load_policy()
    findings = [_finding("jpeg_history", Strength.STRONG), _finding("noise", Strength.STRONG)]
    score = fuse_score(findings, policy)
    assert score > policy.suspicious_score
    assert decide(findings, score, policy) is Verdict.SUSPICIOUS


def test_proof_makes_forged() -> None:
    policy = load_policy()
    findings = [_finding("provenance", Strength.PROOF)]
    assert decide(findings, fuse_score(findings, policy), policy) is Verdict.FORGED


def test_strong_from_two_detectors_one_not_blind_makes_forged() -> None:
    policy = load_policy()
    findings = [_finding("reuse", Strength.STRONG), _finding("noise", Strength.STRONG)]
    assert decide(findings, fuse_score(findings, policy), policy) is Verdict.FORGED


def test_info_findings_do_not_move_the_score() -> None:
    policy = load_policy()
    findings = [_finding("provenance", Strength.INFO)] * 5
    assert fuse_score(findings, policy) == 0.0
    assert decide(findings, 0.0, policy) is Verdict.NO_EVIDENCE


@pytest.mark.parametrize("count", [1, 2, 5])
def test_more_independent_weak_evidence_never_lowers_the_score(count: int) -> None:
    policy = load_policy()
    fewer = fuse_score([_finding("noise", Strength.WEAK, 0.8)] * count, policy)
    more = fuse_score([_finding("noise", Strength.WEAK, 0.8)] * (count + 1), policy)
    assert 0.0 < fewer < more < 1.0


def test_heatmap_takes_the_weighted_maximum_and_checks_size() -> None:
    policy = load_policy()
    first = np.zeros((4, 6), dtype=np.float32)
    first[1, 2] = 1.0
    second = np.full((4, 6), 0.5, dtype=np.float32)
    fused = fuse_heatmap(
        [
            DetectorResult("reference_match", "r-1", [], first),
            DetectorResult("noise", "n-1", [], second),
        ],
        4,
        6,
        policy,
    )
    assert fused[1, 2] == pytest.approx(1.0)
    assert fused[0, 0] == pytest.approx(0.25)
    with pytest.raises(ValueError, match="heat map"):
        fuse_heatmap([DetectorResult("noise", "n-1", [], second)], 5, 6, policy)
