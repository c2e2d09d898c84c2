"""The consortium list: confirmed abusive accounts shared between tenants as keyed hashes.

Publishing needs a confirmed, buyer-liable mismatch on the case's order and stores that
verification's evidence package; identifiers arrive in clear, are hashed with the
consortium key and dropped. Queries spend a token from the caller's bucket and are audited
with how many hashes were asked and which entries matched, never the hashes themselves.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.cases import service as cases
from tradeshield.db import utcnow
from tradeshield.errors import Conflict, DomainError, Invalid
from tradeshield.evidence.blobs import BlobStore, chunked
from tradeshield.returns import consortium
from tradeshield.returns.checking import package_bytes
from tradeshield.returns.kinds import LiableParty, VerificationResult
from tradeshield.returns.models import (
    ConsortiumEntry,
    ConsortiumIdentifier,
    RateBucket,
    ReturnVerification,
)
from tradeshield.returns.policy import ReturnsPolicy, load_policy
from tradeshield.returns.schemas import ClearIdentifier, ConsortiumQueryIn, PublishIn
from tradeshield.settings import get_settings
from tradeshield.tenancy.scope import Scope

_MAX_PACKAGE_BYTES = 200 * 1024 * 1024
ConsortiumHits = list[tuple[ConsortiumEntry, list[str]]]


class TooManyRequests(DomainError):
    status = 429
    title = "Too many requests"
    slug = "too-many-requests"


def _key() -> bytes:
    key = get_settings().consortium_key
    if not key:
        raise Conflict("the consortium key is not set (TRADESHIELD_CONSORTIUM_KEY)")
    return key.encode()


def _hashes(identifiers: list[ClearIdentifier], key: bytes) -> list[tuple[str, str]]:
    return [(i.kind.value, consortium.consortium_hash(key, i.kind, i.value)) for i in identifiers]


def _confirmed_mismatch(session: Session, scope: Scope, order_id: int) -> ReturnVerification:
    query = select(ReturnVerification).where(
        ReturnVerification.tenant_id == scope.tenant_id,
        ReturnVerification.order_id == order_id,
        ReturnVerification.confirmed.is_(True),
        ReturnVerification.result == VerificationResult.MISMATCH,
        ReturnVerification.liable_party == LiableParty.BUYER,
    )
    found = session.scalar(query.order_by(ReturnVerification.id.desc()).limit(1))
    if found is None:
        raise Invalid("only a case with a confirmed, buyer-liable mismatch can be published",
                      field="case_id")  # fmt: skip
    return found


def publish(
    session: Session, scope: Scope, publish_in: PublishIn, store: BlobStore,
    policy: ReturnsPolicy | None = None,
) -> ConsortiumEntry:  # fmt: skip
    scope.require_operator()
    policy = policy or load_policy()
    key = _key()
    case = cases.get_case(session, scope, publish_in.case_id)
    found = _confirmed_mismatch(session, scope, case.order_id)
    package = package_bytes(session, scope, found.id, store)
    stored = store.put(chunked(package), _MAX_PACKAGE_BYTES)
    entry = ConsortiumEntry(
        publisher_tenant_id=scope.tenant_id, case_id=case.id,
        reason_codes=sorted(set(publish_in.reason_codes)), evidence_package_sha256=stored.sha256,
        expires_at=utcnow() + dt.timedelta(days=policy.consortium.entry_days),
    )  # fmt: skip
    session.add(entry)
    session.flush()
    for kind, hashed in _hashes(publish_in.identifiers, key):
        session.add(ConsortiumIdentifier(entry_id=entry.id, kind=kind, consortium_hash=hashed))
    audit.record(session, scope, "consortium_entry", entry.id, "published",
                 {"case_id": case.id, "identifiers": len(publish_in.identifiers)})  # fmt: skip
    return entry


def _take_token(session: Session, bucket_key: str, policy: ReturnsPolicy) -> None:
    now = utcnow()
    bucket = session.get(RateBucket, bucket_key, with_for_update=True)
    capacity = policy.consortium.bucket_capacity
    if bucket is None:
        bucket = RateBucket(key=bucket_key, tokens=float(capacity), updated_at=now)
        session.add(bucket)
    elapsed = (now - bucket.updated_at).total_seconds()
    spent = consortium.spend(bucket.tokens, elapsed, capacity, policy.consortium.refill_per_second)
    bucket.tokens, bucket.updated_at = spent.tokens, now
    if not spent.allowed:
        raise TooManyRequests("consortium queries are rate-limited; try again later")


def query(
    session: Session, scope: Scope, query_in: ConsortiumQueryIn,
    policy: ReturnsPolicy | None = None,
) -> ConsortiumHits:  # fmt: skip
    """Active entries matching any of the caller's identifiers. Spends one token per call."""
    policy = policy or load_policy()
    asked = {hashed for _, hashed in _hashes(query_in.identifiers, _key())} | set(query_in.hashes)
    if not asked:
        raise Invalid("send identifiers or hashes to look up", field="identifiers")
    _take_token(session, f"consortium:{scope.actor}", policy)
    rows = session.execute(
        select(ConsortiumEntry, ConsortiumIdentifier.kind)
        .join(ConsortiumIdentifier, ConsortiumIdentifier.entry_id == ConsortiumEntry.id)
        .where(
            ConsortiumIdentifier.consortium_hash.in_(sorted(asked)),
            ConsortiumEntry.removed_at.is_(None),
            ConsortiumEntry.expires_at > utcnow(),
        )
    ).all()
    matched: dict[int, tuple[ConsortiumEntry, list[str]]] = {}
    for entry, kind in rows:
        matched.setdefault(entry.id, (entry, []))[1].append(kind)
    audit.record(session, scope, "consortium", 0, "queried",
                 {"asked": len(asked), "matched": sorted(matched)})  # fmt: skip
    return list(matched.values())


def entries_of(session: Session, scope: Scope, limit: int = 100) -> list[ConsortiumEntry]:
    """The entries this tenant published (others' entries are found only by query)."""
    query_rows = select(ConsortiumEntry).where(
        ConsortiumEntry.publisher_tenant_id == scope.tenant_id
    )
    return list(session.scalars(query_rows.order_by(ConsortiumEntry.id.desc()).limit(limit)))
