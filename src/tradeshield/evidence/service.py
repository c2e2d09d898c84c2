"""Evidence items for cases: files stored by content hash, text and code readings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import Party
from tradeshield.errors import Invalid, NotFound
from tradeshield.evidence.blobs import BlobStore, LocalBlobStore
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.evidence.media import kind_accepts, sniff_media_type
from tradeshield.evidence.models import EvidenceItem
from tradeshield.evidence.schemas import TextEvidenceIn
from tradeshield.pagination import PageOf, PageRequest, keyset_page
from tradeshield.settings import get_settings
from tradeshield.tenancy.scope import Scope

_SNIFF_BYTES = 32


def default_blob_store() -> BlobStore:
    return LocalBlobStore(get_settings().resolved_blob_dir())


def _with_head(chunks: Iterable[bytes], head: bytearray) -> Iterator[bytes]:
    for chunk in chunks:
        if len(head) < _SNIFF_BYTES:
            head.extend(chunk[: _SNIFF_BYTES - len(head)])
        yield chunk


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    sha256: str
    size_bytes: int
    media_type: str | None


def receive_file(store: BlobStore, chunks: Iterable[bytes]) -> ReceivedFile:
    """Store the bytes (at most once, by hash) and recognise their format."""
    head = bytearray()
    blob = store.put(_with_head(chunks, head), get_settings().max_upload_bytes)
    if blob.size_bytes == 0:
        raise Invalid("the uploaded file is empty", field="file")
    return ReceivedFile(blob.sha256, blob.size_bytes, sniff_media_type(bytes(head)))


def add_file(
    session: Session,
    scope: Scope,
    case_id: int,
    kind: EvidenceKind,
    submitted_by: Party,
    received: ReceivedFile,
    filename: str | None = None,
) -> EvidenceItem:
    """Record a stored photo or video as evidence on a case."""
    scope.require_write()
    if kind not in (EvidenceKind.PHOTO, EvidenceKind.VIDEO):
        raise Invalid("files are photo or video evidence; send text as JSON", field="kind")
    case = cases.get_case(session, scope, case_id)
    if not kind_accepts(kind, received.media_type):
        detected = received.media_type or "an unknown format"
        raise Invalid(f"the file is not a {kind.value} (detected {detected})", field="file")
    item = EvidenceItem(
        tenant_id=scope.tenant_id,
        merchant_id=case.merchant_id,
        case_id=case.id,
        kind=kind,
        submitted_by=submitted_by,
        sha256=received.sha256,
        media_type=received.media_type,
        size_bytes=received.size_bytes,
        original_filename=(filename or "")[:255] or None,
    )
    session.add(item)
    session.flush()
    details = {"case_id": case.id, "sha256": received.sha256}
    audit.record(session, scope, "evidence", item.id, "submitted", details)
    return item


def add_text(session: Session, scope: Scope, text_in: TextEvidenceIn) -> EvidenceItem:
    scope.require_write()
    case = cases.get_case(session, scope, text_in.case_id)
    item = EvidenceItem(
        tenant_id=scope.tenant_id,
        merchant_id=case.merchant_id,
        case_id=case.id,
        kind=text_in.kind,
        submitted_by=text_in.submitted_by,
        text=text_in.text,
        details=text_in.details,
    )
    session.add(item)
    session.flush()
    audit.record(session, scope, "evidence", item.id, "submitted", {"case_id": case.id})
    return item


def get_item(session: Session, scope: Scope, evidence_id: int) -> EvidenceItem:
    item = session.get(EvidenceItem, evidence_id)
    if item is None:
        raise NotFound(f"evidence {evidence_id} does not exist")
    scope.check_row(item.tenant_id, item.merchant_id)
    return item


def read_content(
    session: Session, scope: Scope, store: BlobStore, evidence_id: int
) -> tuple[EvidenceItem, bytes]:
    item = get_item(session, scope, evidence_id)
    if item.sha256 is None:
        raise NotFound(f"evidence {evidence_id} has no file")
    return item, store.open_bytes(item.sha256)


def list_items(
    session: Session,
    scope: Scope,
    page: PageRequest,
    case_id: int | None = None,
    kind: EvidenceKind | None = None,
) -> PageOf[EvidenceItem]:
    query = select(EvidenceItem).where(EvidenceItem.tenant_id == scope.tenant_id)
    shop = scope.shop_filter(None)
    if shop is not None:
        query = query.where(EvidenceItem.merchant_id == shop)
    if case_id is not None:
        query = query.where(EvidenceItem.case_id == case_id)
    if kind is not None:
        query = query.where(EvidenceItem.kind == kind)
    return keyset_page(session, query, EvidenceItem.id, page)
