"""Routes for evidence: multipart file upload, text readings, download by id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse, Response

from tradeshield.cases.kinds import Party
from tradeshield.evidence import service
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.evidence.schemas import EvidenceOut, TextEvidenceIn
from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey, Paging
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.http.pages import Page, to_page

router = APIRouter(tags=["evidence"])
_CHUNK = 1 << 20


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    while chunk := upload.file.read(_CHUNK):
        yield chunk


@router.post("/evidence/files", status_code=201, response_model=EvidenceOut)
def upload_file(
    case_id: Annotated[int, Form(gt=0)],
    kind: Annotated[EvidenceKind, Form()],
    submitted_by: Annotated[Party, Form()],
    file: Annotated[UploadFile, File()],
    session: DbSession,
    scope: CallerScope,
    key: IdempotencyKey,
) -> JSONResponse:
    """Store a photo or video for a case; the bytes are kept once, named by their SHA-256."""
    scope.require_write()
    received = service.receive_file(service.default_blob_store(), _chunks(file))
    request = {"case_id": case_id, "kind": kind, "by": submitted_by, "sha256": received.sha256}
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/evidence/files", request),
        lambda: EvidenceOut.model_validate(
            service.add_file(session, scope, case_id, kind, submitted_by, received, file.filename)
        ),
    )


@router.post("/evidence/texts", status_code=201, response_model=EvidenceOut)
def add_text(
    body: TextEvidenceIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/evidence/texts", body),
        lambda: EvidenceOut.model_validate(service.add_text(session, scope, body)),
    )


@router.get("/evidence", response_model=Page[EvidenceOut])
def list_evidence(
    session: DbSession,
    scope: CallerScope,
    page: Paging,
    case_id: int | None = None,
    kind: EvidenceKind | None = None,
) -> Page[EvidenceOut]:
    found = service.list_items(session, scope, page, case_id, kind)
    return to_page(found, EvidenceOut.model_validate)


@router.get("/evidence/{evidence_id}", response_model=EvidenceOut)
def get_evidence(evidence_id: int, session: DbSession, scope: CallerScope) -> EvidenceOut:
    return EvidenceOut.model_validate(service.get_item(session, scope, evidence_id))


@router.get("/evidence/{evidence_id}/content")
def evidence_content(evidence_id: int, session: DbSession, scope: CallerScope) -> Response:
    store = service.default_blob_store()
    item, content = service.read_content(session, scope, store, evidence_id)
    headers = {"ETag": f'"{item.sha256}"', "Cache-Control": "private, max-age=31536000, immutable"}
    return Response(content, media_type=item.media_type, headers=headers)
