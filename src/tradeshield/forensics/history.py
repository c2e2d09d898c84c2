"""The tenant's photo history: stored fingerprints (case evidence, listing and review photos),
looked up through the per-process index cache (`reuse_cache`), and turning index hits into
reuse hits that say where the photo was seen."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.forensics.models import PhotoFingerprint as FingerprintRow
from tradeshield.forensics.reuse import (
    DEFAULT_MAX_DISTANCE,
    PhotoFingerprint,
    ReuseHit,
    ReuseSource,
)
from tradeshield.forensics.reuse_cache import ReuseIndexCache

_SIGNED = 1 << 63


def _to_signed(value: int) -> int:
    """64-bit hashes are stored in a signed BIGINT column."""
    return value - (1 << 64) if value >= _SIGNED else value


_CACHE = ReuseIndexCache()


def forget_cached_indexes() -> None:
    _CACHE.forget()


@dataclass(frozen=True, slots=True)
class PhotoOrigin:
    """Where the photo being checked comes from, to say where else it was seen."""

    tenant_id: int
    case_id: int | None
    buyer_id: int | None
    sha256: str


def _source(row: FingerprintRow, origin: PhotoOrigin) -> tuple[ReuseSource, str]:
    if row.source_kind == "listing":
        return ReuseSource.LISTING, str(row.product_id)
    if row.source_kind == "review":
        return ReuseSource.REVIEW, str(row.product_id)
    if row.case_id is not None and row.case_id == origin.case_id:
        return ReuseSource.SAME_CASE, str(row.case_id)
    if row.buyer_id is not None and row.buyer_id == origin.buyer_id:
        return ReuseSource.SAME_BUYER_CASE, str(row.case_id)
    return ReuseSource.OTHER_BUYER_CASE, str(row.case_id)


def find_reuse(
    session: Session, origin: PhotoOrigin, fingerprint: PhotoFingerprint
) -> list[ReuseHit]:
    """Stored photos near this one, except copies of these very bytes in the same case."""
    found = _CACHE.refreshed(session, origin.tenant_id).query(fingerprint, DEFAULT_MAX_DISTANCE)
    if not found:
        return []
    distance = dict(found)
    rows = session.scalars(select(FingerprintRow).where(FingerprintRow.id.in_(distance)))
    hits = []
    for row in rows:
        if row.sha256 == origin.sha256 and row.case_id == origin.case_id:
            continue
        source, source_id = _source(row, origin)
        hits.append(
            ReuseHit(row.id, distance[row.id], source, source_id, row.sha256 == origin.sha256)
        )
    return sorted(hits, key=lambda h: (h.distance, h.photo_id))


def remember(
    session: Session,
    origin: PhotoOrigin,
    fingerprint: PhotoFingerprint,
    evidence_id: int | None,
    source_kind: str = "case_evidence",
    product_id: int | None = None,
) -> None:
    """Store the photo's fingerprint once per evidence item."""
    if evidence_id is not None:
        known = select(FingerprintRow.id).where(FingerprintRow.evidence_id == evidence_id)
        if session.scalar(known) is not None:
            return
    session.add(
        FingerprintRow(
            tenant_id=origin.tenant_id,
            evidence_id=evidence_id,
            sha256=origin.sha256,
            source_kind=source_kind,
            case_id=origin.case_id,
            buyer_id=origin.buyer_id,
            product_id=product_id,
            phash=_to_signed(fingerprint.phash),
            dhash=_to_signed(fingerprint.dhash),
        )
    )
    session.flush()


def known_catalogue_photos(
    session: Session, tenant_id: int, product_ids: list[int]
) -> set[tuple[str, int, str]]:
    """(source kind, product id, sha256) of the listing and review photos already stored."""
    query = select(FingerprintRow.source_kind, FingerprintRow.product_id, FingerprintRow.sha256)
    query = query.where(
        FingerprintRow.tenant_id == tenant_id,
        FingerprintRow.product_id.in_(product_ids),
        FingerprintRow.source_kind.in_(("listing", "review")),
    )
    return {(kind, int(product or 0), sha) for kind, product, sha in session.execute(query)}


def remember_catalogue_photo(
    session: Session,
    tenant_id: int,
    sha256: str,
    fingerprint: PhotoFingerprint,
    source_kind: str,
    product_id: int,
) -> None:
    """Store a listing or review photo's fingerprint (callers skip the known ones first)."""
    origin = PhotoOrigin(tenant_id, None, None, sha256)
    remember(session, origin, fingerprint, None, source_kind, product_id)
