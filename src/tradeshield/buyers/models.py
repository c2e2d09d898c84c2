"""Buyer accounts and their linked identifiers, held only as keyed hashes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.db import Base, IdType, enum_column, utcnow


class BuyerAccount(Base):
    __tablename__ = "buyer_accounts"
    __table_args__ = (UniqueConstraint("tenant_id", "external_ref"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    external_ref: Mapped[str] = mapped_column(String(100))
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BuyerIdentifier(Base):
    __tablename__ = "buyer_identifiers"
    __table_args__ = (
        UniqueConstraint("buyer_id", "kind", "keyed_hash"),
        Index("ix_buyer_identifiers_lookup", "tenant_id", "kind", "keyed_hash"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer_accounts.id"))
    kind: Mapped[IdentifierKind] = mapped_column(enum_column(IdentifierKind, 20))
    keyed_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
