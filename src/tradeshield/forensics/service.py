"""Forensic analysis of evidence: one photo on demand, stored evidence, batches as jobs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import Party
from tradeshield.errors import Invalid, NotFound
from tradeshield.evidence import service as evidence
from tradeshield.evidence.blobs import BlobStore, chunked
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.forensics import history, photo_sources
from tradeshield.forensics.analysis import analyze
from tradeshield.forensics.loading import load_image, load_reduced
from tradeshield.forensics.models import ForensicReportRecord
from tradeshield.forensics.reference.thresholds import load_thresholds
from tradeshield.forensics.reference_match import Reference, ReferenceKind
from tradeshield.forensics.report import ForensicReport
from tradeshield.forensics.reuse import fingerprint
from tradeshield.orders import service as orders
from tradeshield.pagination import PageRequest
from tradeshield.tenancy.scope import Scope

MAX_REFERENCES = 8


def _reference(label: str, kind: ReferenceKind, index: int, data: bytes) -> Reference:
    """References are only compared at the matcher's working size: decoded reduced."""
    rgb = load_reduced(data, load_thresholds().work_long_side)
    return Reference(label=label, kind=kind, rgb=rgb, index=index)


def inspect_photo(
    photo: bytes, reference_photos: Sequence[tuple[str, bytes]] = ()
) -> ForensicReport:
    """Analyse a photo that is not stored; references are (label, bytes) listing photos."""
    if len(reference_photos) > MAX_REFERENCES:
        raise Invalid(f"at most {MAX_REFERENCES} reference photos", field="references")
    references = [
        _reference(label, ReferenceKind.LISTING, index, data)
        for index, (label, data) in enumerate(reference_photos, start=1)
    ]
    return analyze(photo, references)


def _case_references(
    session: Session, scope: Scope, store: BlobStore, case_id: int | None, skip_id: int
) -> list[Reference]:
    """The merchant's own photos on the case (packing photos), as references."""
    if case_id is None:
        return []
    found = evidence.list_items(
        session, scope, PageRequest(limit=MAX_REFERENCES * 4), case_id, EvidenceKind.PHOTO
    )
    merchant_photos = [
        item for item in found.items if item.id != skip_id and item.submitted_by is Party.MERCHANT
    ][:MAX_REFERENCES]
    return [
        _reference(
            f"evidence {item.id}",
            ReferenceKind.PACKING,
            index,
            evidence.read_content(session, scope, store, item.id)[1],
        )
        for index, item in enumerate(reversed(merchant_photos), start=1)
    ]


def analyze_evidence(
    session: Session,
    scope: Scope,
    store: BlobStore,
    evidence_id: int,
    reference_ids: Sequence[int] = (),
) -> ForensicReportRecord:
    """Analyse a stored photo against the case's merchant photos and any given references,
    and store the report (heat map as a PNG blob) with the evidence."""
    scope.require_write()
    item, content = evidence.read_content(session, scope, store, evidence_id)
    if item.kind is not EvidenceKind.PHOTO:
        raise Invalid(f"evidence {evidence_id} is a {item.kind.value}, not a photo")
    references = _case_references(session, scope, store, item.case_id, item.id)
    for index, reference_id in enumerate(reference_ids, start=len(references) + 1):
        _, data = evidence.read_content(session, scope, store, reference_id)
        references.append(
            _reference(f"evidence {reference_id}", ReferenceKind.LISTING, index, data)
        )
    image = load_image(content)
    case = cases.get_case(session, scope, item.case_id) if item.case_id else None
    origin = history.PhotoOrigin(
        scope.tenant_id, item.case_id, case.buyer_id if case else None, item.sha256 or ""
    )
    photo_print = fingerprint(image)
    if case is not None:  # the case's products' listing and review photos join the history
        order = orders.get_order(session, scope, case.order_id)
        product_ids = [line.product_id for line in order.lines]
        photo_sources.index_product_photos(session, scope, store, product_ids)
    reuse_hits = history.find_reuse(session, origin, photo_print)
    report = analyze(image, references, reuse_hits)
    history.remember(session, origin, photo_print, item.id)
    heatmap = store.put(chunked(report.heatmap_png()), max_bytes=1 << 30)
    body = report.to_dict()
    record = ForensicReportRecord(
        tenant_id=scope.tenant_id,
        evidence_id=item.id,
        case_id=item.case_id,
        merchant_id=item.merchant_id,
        requested_by=scope.actor,
        score=report.score,
        verdict=report.verdict.value,
        findings=body["findings"],
        versions=body["versions"],
        inputs={
            "sha256": item.sha256,
            "fusion": body["fusion"],
            "references": [r.label for r in references],
            "reuse_hits": [
                {"source": h.source.value, "source_id": h.source_id, "distance": h.distance}
                for h in reuse_hits
            ],
        },
        heatmap_sha256=heatmap.sha256,
        width=report.width,
        height=report.height,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        scope,
        "evidence",
        item.id,
        "forensic_report",
        {"report_id": record.id, "score": report.score, "verdict": report.verdict.value},
    )
    return record


def get_report(session: Session, scope: Scope, report_id: int) -> ForensicReportRecord:
    record = session.get(ForensicReportRecord, report_id)
    if record is None:
        raise NotFound(f"forensic report {report_id} does not exist")
    scope.check_row(record.tenant_id, record.merchant_id)
    return record


def reports_for_evidence(
    session: Session, scope: Scope, evidence_id: int
) -> list[ForensicReportRecord]:
    item = evidence.get_item(session, scope, evidence_id)
    query = select(ForensicReportRecord).where(ForensicReportRecord.evidence_id == item.id)
    return list(session.scalars(query.order_by(ForensicReportRecord.id.desc())))


def reports_for_case(session: Session, scope: Scope, case_id: int) -> list[ForensicReportRecord]:
    query = select(ForensicReportRecord).where(
        ForensicReportRecord.tenant_id == scope.tenant_id, ForensicReportRecord.case_id == case_id
    )
    if scope.merchant_id is not None:
        query = query.where(ForensicReportRecord.merchant_id == scope.merchant_id)
    return list(session.scalars(query.order_by(ForensicReportRecord.id.desc())))
