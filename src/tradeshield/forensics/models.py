"""Stored forensic reports and the photo fingerprints that make reuse lookups fast."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tradeshield.db import Base, IdType, utcnow


class ForensicReportRecord(Base):
    __tablename__ = "forensic_reports"
    __table_args__ = (Index("ix_forensic_reports_tenant_evidence", "tenant_id", "evidence_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None)
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("merchants.id"), default=None)
    requested_by: Mapped[str] = mapped_column(String(100))
    score: Mapped[float] = mapped_column(Float)
    verdict: Mapped[str] = mapped_column(String(20))
    findings: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    heatmap_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def fusion(self) -> dict[str, Any]:
        """The fusion's features and contributions, kept with the inputs (none before 2026-12)."""
        return dict(self.inputs.get("fusion") or {})


class PhotoFingerprint(Base):
    """One stored photo's perceptual hashes, with where it came from."""

    __tablename__ = "photo_fingerprints"
    __table_args__ = (Index("ix_photo_fingerprints_tenant", "tenant_id", "id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id"), default=None)
    sha256: Mapped[str] = mapped_column(String(64))
    source_kind: Mapped[str] = mapped_column(String(20))  # case_evidence, listing, review
    case_id: Mapped[int | None] = mapped_column(default=None)
    buyer_id: Mapped[int | None] = mapped_column(default=None)
    product_id: Mapped[int | None] = mapped_column(default=None)
    phash: Mapped[int] = mapped_column(BigInteger)
    dhash: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
