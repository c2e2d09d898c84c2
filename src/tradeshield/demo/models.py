"""Ground truth of the synthetic marketplace. Only evaluation code may read this table:
detectors and scores must never see it (an import-linter contract says so)."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tradeshield.db import Base, IdType, enum_column


class AbusePattern(enum.StrEnum):
    REFUND_ONLY_ABUSER = "refund_only_abuser"
    RETURN_SWAPPER = "return_swapper"
    FAKE_RETURN_SENDER = "fake_return_sender"
    RING_MEMBER = "ring_member"
    HONEST_BAD_LUCK = "honest_bad_luck"
    MIS_SET_PRICE = "mis_set_price"
    STALLED_PARCEL = "stalled_parcel"


class DemoLabel(Base):
    __tablename__ = "demo_labels"
    __table_args__ = (Index("ix_demo_labels_entity", "tenant_id", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(IdType)
    pattern: Mapped[AbusePattern] = mapped_column(enum_column(AbusePattern, 32))
    ring_key: Mapped[str | None] = mapped_column(String(40), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
