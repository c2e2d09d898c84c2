"""Buyer accounts and their linked identifiers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import polars as pl
from sqlalchemy import String, bindparam, select, type_coerce
from sqlalchemy.orm import Session, aliased

from tradeshield.audit import service as audit
from tradeshield.bulk_frames import FrameQuery, whole_tenant
from tradeshield.bulk_reads import dialect_of, epoch_seconds
from tradeshield.buyers.identifiers import keyed_hash
from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.buyers.models import BuyerAccount, BuyerIdentifier
from tradeshield.buyers.schemas import BuyerIn, IdentifierIn
from tradeshield.db import utcnow
from tradeshield.errors import Conflict, Forbidden, NotFound
from tradeshield.pagination import PageOf, PageRequest, keyset_page
from tradeshield.settings import get_settings
from tradeshield.tenancy.scope import Scope


@dataclass(frozen=True, slots=True)
class BuyerView:
    """A buyer with its identifiers, ready for the API."""

    id: int
    external_ref: str
    registered_at: dt.datetime
    created_at: dt.datetime
    identifiers: list[BuyerIdentifier]


def _secret() -> bytes:
    return get_settings().resolved_identifier_secret()


def _view(buyer: BuyerAccount, identifiers: list[BuyerIdentifier]) -> BuyerView:
    return BuyerView(
        id=buyer.id,
        external_ref=buyer.external_ref,
        registered_at=buyer.registered_at,
        created_at=buyer.created_at,
        identifiers=identifiers,
    )


def create_buyer(session: Session, scope: Scope, buyer_in: BuyerIn) -> BuyerView:
    scope.require_operator()
    taken = select(BuyerAccount.id).where(
        BuyerAccount.tenant_id == scope.tenant_id,
        BuyerAccount.external_ref == buyer_in.external_ref,
    )
    if session.scalar(taken) is not None:
        raise Conflict(f"a buyer with external_ref {buyer_in.external_ref!r} exists")
    now = utcnow()
    buyer = BuyerAccount(
        tenant_id=scope.tenant_id,
        external_ref=buyer_in.external_ref,
        registered_at=buyer_in.registered_at or now,
        created_at=now,
    )
    session.add(buyer)
    session.flush()
    identifiers = _link(session, scope, buyer, buyer_in.identifiers)
    audit.record(
        session,
        scope,
        "buyer",
        buyer.id,
        "created",
        {"identifiers": [i.kind.value for i in identifiers]},
    )
    return _view(buyer, identifiers)


def _link(
    session: Session, scope: Scope, buyer: BuyerAccount, given: list[IdentifierIn]
) -> list[BuyerIdentifier]:
    secret = _secret()
    unique = {(i.kind, keyed_hash(secret, i.kind, i.value)) for i in given}
    rows = [
        BuyerIdentifier(tenant_id=scope.tenant_id, buyer_id=buyer.id, kind=kind, keyed_hash=digest)
        for kind, digest in sorted(unique)
    ]
    session.add_all(rows)
    session.flush()
    return rows


def link_identifiers(
    session: Session, scope: Scope, buyer_id: int, given: list[IdentifierIn]
) -> BuyerView:
    scope.require_operator()
    buyer = _get(session, scope, buyer_id)
    known = {(i.kind, i.keyed_hash) for i in _identifiers_of(session, [buyer.id])[buyer.id]}
    secret = _secret()
    fresh = [i for i in given if (i.kind, keyed_hash(secret, i.kind, i.value)) not in known]
    added = _link(session, scope, buyer, fresh)
    audit.record(session, scope, "buyer", buyer.id, "identifiers_linked", {"added": len(added)})
    return get_buyer(session, scope, buyer_id)


def _get(session: Session, scope: Scope, buyer_id: int) -> BuyerAccount:
    buyer = session.get(BuyerAccount, buyer_id)
    if buyer is None:
        raise NotFound(f"buyer {buyer_id} does not exist")
    scope.check_row(buyer.tenant_id, scope.merchant_id)
    return buyer


def _identifiers_of(session: Session, buyer_ids: list[int]) -> dict[int, list[BuyerIdentifier]]:
    found: dict[int, list[BuyerIdentifier]] = defaultdict(list)
    if buyer_ids:
        query = select(BuyerIdentifier).where(BuyerIdentifier.buyer_id.in_(buyer_ids))
        for row in session.scalars(query.order_by(BuyerIdentifier.id)):
            found[row.buyer_id].append(row)
    return found


def get_buyer(session: Session, scope: Scope, buyer_id: int) -> BuyerView:
    buyer = _get(session, scope, buyer_id)
    return _view(buyer, _identifiers_of(session, [buyer.id])[buyer.id])


def list_buyers(
    session: Session,
    scope: Scope,
    page: PageRequest,
    identifier_kind: IdentifierKind | None = None,
    identifier_value: str | None = None,
) -> PageOf[BuyerView]:
    """Buyers newest first; given an identifier in clear, only the accounts linked to it."""
    if scope.merchant_id is not None:
        raise Forbidden("a merchant key sees buyers only through its own orders and cases")
    query = select(BuyerAccount).where(BuyerAccount.tenant_id == scope.tenant_id)
    if identifier_kind is not None and identifier_value is not None:
        digest = keyed_hash(_secret(), identifier_kind, identifier_value)
        linked = select(BuyerIdentifier.buyer_id).where(
            BuyerIdentifier.tenant_id == scope.tenant_id,
            BuyerIdentifier.kind == identifier_kind,
            BuyerIdentifier.keyed_hash == digest,
        )
        query = query.where(BuyerAccount.id.in_(linked))
    found = keyset_page(session, query, BuyerAccount.id, page)
    identifiers = _identifiers_of(session, [b.id for b in found.items])
    views = [_view(b, identifiers[b.id]) for b in found.items]
    return PageOf(items=views, next_cursor=found.next_cursor)


def find_buyer(session: Session, scope: Scope, external_ref: str) -> BuyerView | None:
    """The buyer with this external reference, or None when there is none yet."""
    query = select(BuyerAccount.id).where(
        BuyerAccount.tenant_id == scope.tenant_id, BuyerAccount.external_ref == external_ref
    )
    buyer_id = session.scalar(query)
    return None if buyer_id is None else get_buyer(session, scope, buyer_id)


# Reads for other modules' batch work (integrity). The caller has checked the scope; these
# take the tenant id and return plain values, never ORM objects.


ACCOUNT_FRAME: dict[str, pl.DataType] = {"buyer_id": pl.Int64(), "registered_s": pl.Int64()}
IDENTIFIER_FRAME: dict[str, pl.DataType] = {
    "buyer_id": pl.Int64(),
    "kind": pl.String(),
    "keyed_hash": pl.String(),
}


def account_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """Every account of the tenant: ``ACCOUNT_FRAME`` columns, registration in epoch seconds."""
    registered_s = epoch_seconds(BuyerAccount.registered_at, dialect_of(session))
    tenant = whole_tenant(session, BuyerAccount.tenant_id, tenant_id)
    return FrameQuery(select(BuyerAccount.id, registered_s).where(tenant), ACCOUNT_FRAME)


def registration_of(session: Session, tenant_id: int, buyer_id: int) -> dt.datetime | None:
    """When the account registered, or None if it is not an account of this tenant."""
    query = select(BuyerAccount.registered_at).where(
        BuyerAccount.id == buyer_id, BuyerAccount.tenant_id == tenant_id
    )
    return session.execute(query).scalar_one_or_none()


# Built once: checkout asks this at hundreds of calls a second, and building the statement
# would cost more than running it.
_HASHES_OF_ACCOUNT = (
    select(BuyerAccount.id, BuyerIdentifier.keyed_hash)
    .outerjoin(BuyerIdentifier, BuyerIdentifier.buyer_id == BuyerAccount.id)
    .where(BuyerAccount.id == bindparam("buyer_id"), BuyerAccount.tenant_id == bindparam("tenant"))
)


def identifier_hashes_of(session: Session, tenant_id: int, buyer_id: int) -> list[str] | None:
    """The account's identifier hashes in one indexed query; None if the tenant has no such
    account (the checkout path's only per-request read of this module)."""
    params = {"buyer_id": buyer_id, "tenant": tenant_id}
    rows = session.connection().execute(_HASHES_OF_ACCOUNT, params).all()
    if not rows:
        return None
    return [keyed for _, keyed in rows if keyed is not None]


def identifier_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """Every identifier hash of the tenant: ``IDENTIFIER_FRAME`` columns, kind as its value."""
    kind = type_coerce(BuyerIdentifier.kind, String())  # the stored value, not the enum
    query = select(BuyerIdentifier.buyer_id, kind, BuyerIdentifier.keyed_hash).where(
        whole_tenant(session, BuyerIdentifier.tenant_id, tenant_id)
    )
    return FrameQuery(query, IDENTIFIER_FRAME)


def linked_buyers(
    session: Session, tenant_id: int, buyer_id: int, limit: int
) -> dict[int, list[IdentifierKind]]:
    """Other accounts sharing an identifier hash with this one, with the kinds shared.

    At most ``limit`` (account, kind) pairs are read.
    """
    mine, theirs = aliased(BuyerIdentifier), aliased(BuyerIdentifier)
    query = (
        select(theirs.buyer_id, theirs.kind)
        .select_from(mine)
        .join(theirs, (mine.kind == theirs.kind) & (mine.keyed_hash == theirs.keyed_hash))
        .where(
            mine.tenant_id == tenant_id,
            theirs.tenant_id == tenant_id,
            mine.buyer_id == buyer_id,
            theirs.buyer_id != buyer_id,
        )
        .limit(limit)
    )
    found: dict[int, list[IdentifierKind]] = {}
    for other, kind in session.execute(query):
        found.setdefault(other, []).append(kind)
    return found
