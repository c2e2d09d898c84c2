"""Evidence items: files held by content hash, plus text and code readings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tradeshield.cases.kinds import Party
from tradeshield.db import Base, IdType, enum_column, utcnow
from tradeshield.evidence.kinds import EvidenceKind


class EvidenceItem(Base):
    __tablename__ = "evidence_items"
    __table_args__ = (
        Index("ix_evidence_tenant_case", "tenant_id", "case_id"),
        Index("ix_evidence_tenant_sha256", "tenant_id", "sha256"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id"), default=None)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None)
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind, 20))
    submitted_by: Mapped[Party] = mapped_column(enum_column(Party, 20))
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    media_type: Mapped[str | None] = mapped_column(String(100), default=None)
    size_bytes: Mapped[int | None] = mapped_column(default=None)
    original_filename: Mapped[str | None] = mapped_column(String(255), default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
