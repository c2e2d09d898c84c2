"""Routes for forensic analysis: an uploaded photo, stored evidence, and batches."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from tradeshield.errors import NotFound, TooLarge
from tradeshield.evidence import service as evidence
from tradeshield.forensics import service
from tradeshield.forensics.models import ForensicReportRecord
from tradeshield.forensics.schemas import (
    AnalyzeEvidenceIn,
    BatchIn,
    ReportOut,
    StoredReportOut,
)
from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.jobs import service as jobs
from tradeshield.jobs.schemas import JobOut
from tradeshield.settings import get_settings

router = APIRouter(tags=["forensics"])


def _read(upload: UploadFile) -> bytes:
    limit = get_settings().max_upload_bytes
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{upload.filename or 'upload'} is larger than {limit} bytes")
    return data


@router.post("/forensics/analyze", response_model=ReportOut)
def analyze_upload(
    scope: CallerScope,
    photo: Annotated[UploadFile, File()],
    references: Annotated[list[UploadFile] | None, File()] = None,
    heatmap: Annotated[bool, Query(description="include the heat map as a base64 PNG")] = False,
) -> ReportOut:
    """Analyse a photo without storing it; optional listing photos it may derive from."""
    pairs = [(f"reference {i}", _read(r)) for i, r in enumerate(references or [], start=1)]
    report = service.inspect_photo(_read(photo), pairs)
    out = ReportOut.model_validate(report.to_dict())
    if heatmap:
        out.heatmap_png_base64 = base64.b64encode(report.heatmap_png()).decode()
    return out


def stored_out(record: ForensicReportRecord) -> StoredReportOut:
    return StoredReportOut.model_validate(record)


@router.post("/evidence/{evidence_id}/forensics", status_code=201, response_model=StoredReportOut)
def analyze_evidence(
    evidence_id: int,
    body: AnalyzeEvidenceIn,
    session: DbSession,
    scope: CallerScope,
    key: IdempotencyKey,
) -> JSONResponse:
    """Analyse stored photo evidence now and keep the report with it."""
    store = evidence.default_blob_store()
    return respond_once(
        session,
        scope,
        key,
        fingerprint(f"/evidence/{evidence_id}/forensics", body),
        lambda: stored_out(
            service.analyze_evidence(
                session, scope, store, evidence_id, body.reference_evidence_ids
            )
        ),
    )


@router.get("/evidence/{evidence_id}/forensics", response_model=list[StoredReportOut])
def evidence_reports(
    evidence_id: int, session: DbSession, scope: CallerScope
) -> list[StoredReportOut]:
    return [stored_out(r) for r in service.reports_for_evidence(session, scope, evidence_id)]


@router.get("/forensic-reports/{report_id}", response_model=StoredReportOut)
def get_report(report_id: int, session: DbSession, scope: CallerScope) -> StoredReportOut:
    return stored_out(service.get_report(session, scope, report_id))


@router.get("/forensic-reports/{report_id}/heatmap.png")
def heatmap_png(report_id: int, session: DbSession, scope: CallerScope) -> Response:
    record = service.get_report(session, scope, report_id)
    if record.heatmap_sha256 is None:
        raise NotFound(f"report {report_id} has no heat map")
    content = evidence.default_blob_store().open_bytes(record.heatmap_sha256)
    return Response(content, media_type="image/png")


@router.post("/forensics/batches", status_code=202, response_model=JobOut)
def analyze_batch(
    body: BatchIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    """Analyse many stored photos in the background; follow the job for progress."""

    def produce() -> JobOut:
        scope.require_write()
        for evidence_id in body.evidence_ids:
            evidence.get_item(session, scope, evidence_id)
        job = jobs.schedule(
            session,
            scope.tenant_id,
            "forensics.analyze_evidence",
            {"evidence_ids": list(body.evidence_ids), "actor": scope.actor},
        )
        return JobOut.model_validate(job)

    return respond_once(
        session, scope, key, fingerprint("/forensics/batches", body), produce, status_code=202
    )
