"""Parcels to the buyer and back, with their carrier scans and weights."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tradeshield.db import Base, IdType, enum_column, utcnow
from tradeshield.shipments.kinds import Direction, ScanKind, ShipmentStatus


class Shipment(Base):
    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "carrier", "tracking_number"),
        Index("ix_shipments_tenant_order", "tenant_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None)
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, 10))
    carrier: Mapped[str] = mapped_column(String(60))
    tracking_number: Mapped[str] = mapped_column(String(80))
    status: Mapped[ShipmentStatus] = mapped_column(
        enum_column(ShipmentStatus, 20), default=ShipmentStatus.CREATED
    )
    shipped_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    promised_delivery_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    declared_weight_grams: Mapped[int | None] = mapped_column(default=None)
    measured_weight_grams: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScanEvent(Base):
    __tablename__ = "scan_events"
    __table_args__ = (Index("ix_scan_events_shipment_at", "shipment_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"))
    occurred_at: Mapped[dt.datetime]
    kind: Mapped[ScanKind] = mapped_column(enum_column(ScanKind, 20))
    location: Mapped[str] = mapped_column(String(120), default="")
    weight_grams: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(String(300), default="")
