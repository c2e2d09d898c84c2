"""What the forensics pages show of a report: verdict, findings, boxes, heat map, references.

A stored report (a row from forensics.service) and a report made for an unstored upload
(``ForensicReport.to_dict()``) have the same findings shape, so both become one
``ReportView``. Nothing here reads the database or judges a photo.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from tradeshield.console.labels import FORENSIC_DETECTORS
from tradeshield.console.navigation import PREFIX
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.forensics import service as forensics
from tradeshield.forensics.findings import Strength
from tradeshield.forensics.fusion import Verdict
from tradeshield.tenancy.scope import Scope

if TYPE_CHECKING:  # rows come from the services; their tables are not read here
    from tradeshield.evidence.models import EvidenceItem
    from tradeshield.forensics.models import ForensicReportRecord

# Formats every current browser draws in an <img>; anything else (HEIC, TIFF) is not shown,
# and never served as-is, so an odd upload cannot become active content on the console.
BROWSER_IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/avif"}
)
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)
# How forensics.service names the evidence it used as a reference.
_EVIDENCE_LABEL = re.compile(r"^evidence (\d+)$")


@dataclass(frozen=True, slots=True)
class Box:
    """A finding's region in photo pixels; drawn in an SVG whose viewBox is the photo."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class FindingView:
    number: int  # the label drawn next to its box
    detector: str
    detector_msgid: str | None
    code: str
    strength: Strength | None  # None: a strength this console does not know; code shown
    strength_code: str
    score: float
    reason: Mapping[str, Any]
    box: Box | None
    reference: str | None  # the reference photo this finding compared against


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One input of the fitted fusion: what it measured and how far it moved the score."""

    feature: str  # "findings" or "<detector>.<signal>"
    detector_msgid: str | None
    value: float
    contribution: float | None  # share of the fitted logit; None without a fitted fusion


@dataclass(frozen=True, slots=True)
class ReportView:
    score: float
    verdict: Verdict
    findings: list[FindingView]
    versions: dict[str, str]
    width: int
    height: int
    heatmap_src: str | None  # a console URL, or a data: URI for an unstored upload
    photo_src: str | None
    score_parts: list[ScorePart] = field(default_factory=list)

    @property
    def boxes(self) -> list[FindingView]:
        return [finding for finding in self.findings if finding.box is not None]

    @property
    def matched_references(self) -> set[str]:
        return {f.reference for f in self.findings if f.reference is not None}


@dataclass(frozen=True, slots=True)
class ReferenceView:
    label: str
    evidence_id: int | None  # set when the reference is stored evidence we can link to
    matched: bool
    src: str | None = None  # an unstored upload's data: URI
    filename: str | None = None


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """One stored report as a row: its verdict badge and where to read it."""

    id: int
    evidence_id: int
    verdict: Verdict
    score: float
    created_at: dt.datetime
    requested_by: str


def browser_media_type(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((media for magic, media in _SIGNATURES if data.startswith(magic)), None)


def data_uri(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _strength(value: Any) -> Strength | None:
    return Strength(value) if value in {s.value for s in Strength} else None


def _box(region: Any) -> Box | None:
    if not isinstance(region, Mapping):
        return None
    return Box(int(region["x"]), int(region["y"]), int(region["width"]), int(region["height"]))


def _strength_rank(finding: Mapping[str, Any]) -> int:
    strength = _strength(finding.get("strength"))
    return list(Strength).index(strength) if strength else -1


def finding_views(findings: Iterable[Mapping[str, Any]]) -> list[FindingView]:
    """The findings strongest first, as a reviewer reads them, numbered as their boxes are."""
    ranked = sorted(findings, key=lambda f: (-_strength_rank(f), -float(f.get("score", 0.0))))
    views = []
    for number, finding in enumerate(ranked, start=1):
        details = finding.get("details") or {}
        reference = details.get("reference") if isinstance(details, Mapping) else None
        detector = str(finding.get("detector", ""))
        views.append(
            FindingView(
                number=number,
                detector=detector,
                detector_msgid=FORENSIC_DETECTORS.get(detector),
                code=str(finding.get("code", "")),
                strength=_strength(finding.get("strength")),
                strength_code=str(finding.get("strength", "")),
                score=float(finding.get("score", 0.0)),
                reason=finding.get("reason") or {},
                box=_box(finding.get("region")),
                reference=str(reference) if reference is not None else None,
            )
        )
    return views


def score_parts(fusion: Mapping[str, Any]) -> list[ScorePart]:
    """The fusion's features, the ones that moved the score most first."""
    features = fusion.get("features") or {}
    contributions = fusion.get("contributions") or {}
    parts = [
        ScorePart(
            feature=str(name),
            detector_msgid=FORENSIC_DETECTORS.get(str(name).split(".")[0]),
            value=float(value),
            contribution=float(contributions[name]) if name in contributions else None,
        )
        for name, value in features.items()
    ]
    return sorted(parts, key=lambda part: (-abs(part.contribution or 0.0), part.feature))


def report_view(
    body: Mapping[str, Any], photo_src: str | None, heatmap_src: str | None
) -> ReportView:
    """A view of ``ForensicReport.to_dict()`` or of a stored report's same fields."""
    return ReportView(
        score=float(body["score"]),
        verdict=Verdict(body["verdict"]),
        findings=finding_views(body["findings"]),
        versions={str(k): str(v) for k, v in dict(body["versions"]).items()},
        width=int(body["width"]),
        height=int(body["height"]),
        heatmap_src=heatmap_src,
        photo_src=photo_src,
        score_parts=score_parts(body.get("fusion") or {}),
    )


def photo_url(evidence_id: int) -> str:
    return f"{PREFIX}/forensics/{evidence_id}/photo"


def stored_report_view(record: ForensicReportRecord, item: EvidenceItem) -> ReportView:
    body = {
        "score": record.score,
        "verdict": record.verdict,
        "findings": record.findings,
        "versions": record.versions,
        "fusion": record.fusion,
        "width": record.width,
        "height": record.height,
    }
    heatmap = f"{PREFIX}/forensics/reports/{record.id}/heatmap.png"
    shown = item.media_type in BROWSER_IMAGE_TYPES
    return report_view(
        body, photo_url(item.id) if shown else None, heatmap if record.heatmap_sha256 else None
    )


def stored_references(record: ForensicReportRecord, report: ReportView) -> list[ReferenceView]:
    labels = record.inputs.get("references") or []
    matched = report.matched_references
    views = []
    for label in map(str, labels):
        stored = _EVIDENCE_LABEL.match(label)
        evidence_id = int(stored.group(1)) if stored else None
        views.append(ReferenceView(label, evidence_id, label in matched))
    return views


def summary(record: ForensicReportRecord) -> ReportSummary:
    return ReportSummary(
        id=record.id,
        evidence_id=record.evidence_id,
        verdict=Verdict(record.verdict),
        score=record.score,
        created_at=record.created_at,
        requested_by=record.requested_by,
    )


def latest_reports(
    session: Session, scope: Scope, items: Sequence[EvidenceItem]
) -> dict[int, ReportSummary]:
    """The newest report of each photo on a page: one query per case the page shows."""
    photos = [item for item in items if item.kind is EvidenceKind.PHOTO]
    records: list[ForensicReportRecord] = []
    for case_id in sorted({item.case_id for item in photos if item.case_id is not None}):
        records.extend(forensics.reports_for_case(session, scope, case_id))
    for item in photos:
        if item.case_id is None:
            records.extend(forensics.reports_for_evidence(session, scope, item.id))
    wanted = {item.id for item in photos}
    latest: dict[int, ReportSummary] = {}
    for record in sorted(records, key=lambda r: r.id, reverse=True):
        if record.evidence_id in wanted and record.evidence_id not in latest:
            latest[record.evidence_id] = summary(record)
    return latest
