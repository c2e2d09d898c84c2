"""API shapes for forensic reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from tradeshield.schema_types import InModel, OutModel, PositiveId


class FindingOut(OutModel):
    detector: str
    code: str
    strength: str
    score: float
    reason: dict[str, str]
    region: dict[str, int] | None
    details: dict[str, Any]


class ReportOut(OutModel):
    score: float = Field(description="0..1; fused from the findings, see fusion policy version")
    raw_score: float | None = Field(
        default=None, description="the fused score before calibration; = score without one"
    )
    verdict: str = Field(description="forged | suspicious | no_evidence")
    findings: list[FindingOut]
    versions: dict[str, str]
    fusion: dict[str, dict[str, float]] = Field(
        default_factory=dict,
        description="features: what the score was computed from (the raw fused score and the "
        "detectors' continuous signals); contributions: each one's share of the fitted logit",
    )
    width: int
    height: int
    heatmap_png_base64: str | None = None


class StoredReportOut(ReportOut):
    id: int
    evidence_id: int
    case_id: int | None
    requested_by: str
    inputs: dict[str, Any]
    heatmap_sha256: str | None
    created_at: dt.datetime


class AnalyzeEvidenceIn(InModel):
    reference_evidence_ids: list[PositiveId] = Field(default_factory=list, max_length=8)


class BatchIn(InModel):
    evidence_ids: list[PositiveId] = Field(min_length=1, max_length=10_000)
