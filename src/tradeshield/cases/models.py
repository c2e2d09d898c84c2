"""After-sales cases, their rulings and appeals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tradeshield.cases.kinds import (
    CaseKind,
    CaseState,
    DecidedBy,
    LiableParty,
    Outcome,
    Party,
    ReasonCode,
)
from tradeshield.db import Base, IdType, enum_column, utcnow


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_ref"),
        Index("ix_cases_tenant_state_deadline", "tenant_id", "state", "deadline_at"),
        Index("ix_cases_deadline", "deadline_at"),
        Index("ix_cases_tenant_merchant", "tenant_id", "merchant_id"),
        Index("ix_cases_tenant_buyer", "tenant_id", "buyer_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    external_ref: Mapped[str | None] = mapped_column(String(100))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer_accounts.id"))
    kind: Mapped[CaseKind] = mapped_column(enum_column(CaseKind))
    reason_code: Mapped[ReasonCode] = mapped_column(enum_column(ReasonCode))
    description: Mapped[str] = mapped_column(Text, default="")
    claimed_amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[CaseState] = mapped_column(enum_column(CaseState))
    deadline_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    offer_amount_minor: Mapped[int | None] = mapped_column(default=None)
    forgery_suspected: Mapped[bool] = mapped_column(default=False)
    appeal_count: Mapped[int] = mapped_column(default=0)
    policy_version: Mapped[str] = mapped_column(String(40))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class Ruling(Base):
    __tablename__ = "rulings"
    __table_args__ = (UniqueConstraint("case_id", "sequence"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    sequence: Mapped[int]
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    liable_party: Mapped[LiableParty] = mapped_column(enum_column(LiableParty))
    amount_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    decided_by: Mapped[DecidedBy] = mapped_column(enum_column(DecidedBy))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    clause_ids: Mapped[list[str]] = mapped_column(default=list)
    versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("rulings.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Appeal(Base):
    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    party: Mapped[Party] = mapped_column(enum_column(Party))
    reason: Mapped[str] = mapped_column(Text)
    evidence_ids: Mapped[list[Any]] = mapped_column(default=list)
    appealed_ruling_id: Mapped[int | None] = mapped_column(ForeignKey("rulings.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
