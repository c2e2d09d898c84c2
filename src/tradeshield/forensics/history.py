"""The tenant's photo history: stored fingerprints, an in-memory index per tenant kept up to
date by id, and turning index hits into reuse hits that say where the photo was seen."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.forensics.models import PhotoFingerprint as FingerprintRow
from tradeshield.forensics.reuse import (
    DEFAULT_MAX_DISTANCE,
    PhotoFingerprint,
    PhotoIndex,
    ReuseHit,
    ReuseSource,
)

_SIGNED = 1 << 63


def _to_signed(value: int) -> int:
    """64-bit hashes are stored in a signed BIGINT column."""
    return value - (1 << 64) if value >= _SIGNED else value


def _to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


@dataclass
class _TenantIndex:
    index: PhotoIndex
    last_id: int


_INDEXES: dict[int, _TenantIndex] = {}
_LOCK = threading.Lock()


def _refreshed(session: Session, tenant_id: int) -> PhotoIndex:
    """The tenant's index with every row stored since it was last read (one query)."""
    with _LOCK:
        held = _INDEXES.setdefault(tenant_id, _TenantIndex(PhotoIndex(), 0))
        query = (
            select(FingerprintRow.id, FingerprintRow.phash, FingerprintRow.dhash)
            .where(FingerprintRow.tenant_id == tenant_id, FingerprintRow.id > held.last_id)
            .order_by(FingerprintRow.id)
        )
        rows = session.execute(query).all()
        if rows:
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            phashes = np.array([_to_unsigned(r[1]) for r in rows], dtype=np.uint64)
            dhashes = np.array([_to_unsigned(r[2]) for r in rows], dtype=np.uint64)
            held.index.add_many(ids, phashes, dhashes)
            held.last_id = int(ids[-1])
        return held.index


def forget_cached_indexes() -> None:
    with _LOCK:
        _INDEXES.clear()


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
    found = _refreshed(session, origin.tenant_id).query(fingerprint, DEFAULT_MAX_DISTANCE)
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
