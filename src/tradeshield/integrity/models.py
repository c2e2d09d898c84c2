"""Integrity tables: scores (with their inputs and versions), rings, actions and appeals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tradeshield.db import Base, IdType, enum_column, utcnow
from tradeshield.integrity.kinds import ActionKind, ActionState, AppealState, Tier


class IntegrityScore(Base):
    """One score of one account; the newest has ``current`` set, older ones are history."""

    __tablename__ = "integrity_scores"
    __table_args__ = (
        Index("ix_integrity_scores_buyer", "tenant_id", "buyer_id", "computed_at"),
        Index("ix_integrity_scores_queue", "tenant_id", "current", "level"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer_accounts.id"))
    level: Mapped[float]
    tier: Mapped[Tier] = mapped_column(enum_column(Tier, 20))
    log_odds: Mapped[float]
    ring_key: Mapped[str | None] = mapped_column(String(40), default=None)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    as_of: Mapped[dt.datetime]
    current: Mapped[bool] = mapped_column(default=True)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IntegrityRing(Base):
    """A ring found by the latest recompute of a tenant; a recompute replaces them all."""

    __tablename__ = "integrity_rings"
    __table_args__ = (Index("ix_integrity_rings_tenant_key", "tenant_id", "ring_key"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    ring_key: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    component_size: Mapped[int]
    confirmed_members: Mapped[int]
    abuse_share: Mapped[float]
    claimed_minor_365d: Mapped[int]
    member_ids: Mapped[list[Any]] = mapped_column(default=list)
    edges: Mapped[list[Any]] = mapped_column(default=list)
    versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IntegrityAction(Base):
    __tablename__ = "integrity_actions"
    __table_args__ = (Index("ix_integrity_actions_buyer", "tenant_id", "buyer_id", "state"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer_accounts.id"))
    kind: Mapped[ActionKind] = mapped_column(enum_column(ActionKind, 32))
    state: Mapped[ActionState] = mapped_column(enum_column(ActionState, 10))
    score_id: Mapped[int | None] = mapped_column(ForeignKey("integrity_scores.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    lifted_because: Mapped[str | None] = mapped_column(String(40), default=None)


class IntegrityAppeal(Base):
    __tablename__ = "integrity_appeals"
    __table_args__ = (Index("ix_integrity_appeals_state", "tenant_id", "state"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer_accounts.id"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("integrity_actions.id"))
    statement: Mapped[str] = mapped_column(Text)
    state: Mapped[AppealState] = mapped_column(enum_column(AppealState, 10))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(default=None)
