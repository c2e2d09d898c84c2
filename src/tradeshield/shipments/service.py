"""Parcels and their scan timelines. A scan moves the parcel's status forward."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import cast

import polars as pl
from sqlalchemy import ColumnElement, Row, Select, select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.bulk_frames import FrameQuery, whole_tenant
from tradeshield.bulk_reads import dialect_of, epoch_seconds
from tradeshield.errors import Conflict, Invalid, NotFound
from tradeshield.orders import service as orders
from tradeshield.pagination import PageOf, PageRequest, keyset_page
from tradeshield.shipments.kinds import Direction, ScanKind, ShipmentStatus
from tradeshield.shipments.models import ScanEvent, Shipment
from tradeshield.shipments.schemas import ReturnShipmentIn, ScanIn, ShipmentIn
from tradeshield.tenancy.scope import Scope

_STATUS_AFTER_SCAN = {
    ScanKind.PICKED_UP: ShipmentStatus.IN_TRANSIT,
    ScanKind.DEPARTED: ShipmentStatus.IN_TRANSIT,
    ScanKind.ARRIVED: ShipmentStatus.IN_TRANSIT,
    ScanKind.OUT_FOR_DELIVERY: ShipmentStatus.IN_TRANSIT,
    ScanKind.DELAYED: ShipmentStatus.IN_TRANSIT,
    ScanKind.DELIVERED: ShipmentStatus.DELIVERED,
    ScanKind.DAMAGED: ShipmentStatus.EXCEPTION,
    ScanKind.EXCEPTION: ShipmentStatus.EXCEPTION,
    ScanKind.LOST: ShipmentStatus.LOST,
}
_FINAL = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.LOST})


def _check_unique(session: Session, scope: Scope, carrier: str, tracking_number: str) -> None:
    taken = select(Shipment.id).where(
        Shipment.tenant_id == scope.tenant_id,
        Shipment.carrier == carrier,
        Shipment.tracking_number == tracking_number,
    )
    if session.scalar(taken) is not None:
        raise Conflict(f"{carrier} tracking number {tracking_number!r} is already registered")


def create_shipment(session: Session, scope: Scope, shipment_in: ShipmentIn) -> Shipment:
    scope.require_write()
    order = orders.get_order(session, scope, shipment_in.order_id)
    _check_unique(session, scope, shipment_in.carrier, shipment_in.tracking_number)
    if (
        shipment_in.shipped_at is not None
        and shipment_in.promised_delivery_at is not None
        and shipment_in.promised_delivery_at < shipment_in.shipped_at
    ):
        raise Invalid("promised_delivery_at is before shipped_at", field="promised_delivery_at")
    shipment = Shipment(
        tenant_id=scope.tenant_id,
        merchant_id=order.merchant_id,
        direction=Direction.OUTBOUND,
        status=ShipmentStatus.IN_TRANSIT if shipment_in.shipped_at else ShipmentStatus.CREATED,
        **shipment_in.model_dump(),
    )
    session.add(shipment)
    session.flush()
    audit.record(session, scope, "shipment", shipment.id, "created", {"order_id": order.id})
    return shipment


def create_return_shipment(
    session: Session, scope: Scope, order_id: int, case_id: int, return_in: ReturnShipmentIn
) -> Shipment:
    """A return parcel; called by the cases service once it has checked the case."""
    order = orders.get_order(session, scope, order_id)
    _check_unique(session, scope, return_in.carrier, return_in.tracking_number)
    shipment = Shipment(
        tenant_id=scope.tenant_id,
        merchant_id=order.merchant_id,
        order_id=order.id,
        case_id=case_id,
        direction=Direction.RETURN,
        status=ShipmentStatus.IN_TRANSIT,
        **return_in.model_dump(),
    )
    session.add(shipment)
    session.flush()
    audit.record(session, scope, "shipment", shipment.id, "created", {"case_id": case_id})
    return shipment


def get_shipment(session: Session, scope: Scope, shipment_id: int) -> Shipment:
    shipment = session.get(Shipment, shipment_id)
    if shipment is None:
        raise NotFound(f"shipment {shipment_id} does not exist")
    scope.check_row(shipment.tenant_id, shipment.merchant_id)
    return shipment


def list_shipments(
    session: Session,
    scope: Scope,
    page: PageRequest,
    order_id: int | None = None,
    case_id: int | None = None,
    direction: Direction | None = None,
    status: ShipmentStatus | None = None,
    promised_before: dt.datetime | None = None,
) -> PageOf[Shipment]:
    query = select(Shipment).where(Shipment.tenant_id == scope.tenant_id)
    shop = scope.shop_filter(None)
    if shop is not None:
        query = query.where(Shipment.merchant_id == shop)
    for column, value in (
        (Shipment.order_id, order_id),
        (Shipment.case_id, case_id),
        (Shipment.direction, direction),
        (Shipment.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    if promised_before is not None:
        query = query.where(Shipment.promised_delivery_at < promised_before)
    return keyset_page(session, query, Shipment.id, page)


def add_scan(session: Session, scope: Scope, shipment_id: int, scan_in: ScanIn) -> ScanEvent:
    scope.require_write()
    shipment = get_shipment(session, scope, shipment_id)
    if shipment.status in _FINAL:
        raise Conflict(f"shipment is already {shipment.status.value}; no more scans accepted")
    scan = ScanEvent(tenant_id=scope.tenant_id, shipment_id=shipment.id, **scan_in.model_dump())
    session.add(scan)
    shipment.status = _STATUS_AFTER_SCAN[scan_in.kind]
    if scan_in.kind is ScanKind.PICKED_UP and shipment.shipped_at is None:
        shipment.shipped_at = scan_in.occurred_at
    if scan_in.kind is ScanKind.DELIVERED:
        shipment.delivered_at = scan_in.occurred_at
    session.flush()
    audit.record(session, scope, "shipment", shipment.id, "scanned", {"kind": scan_in.kind.value})
    return scan


def scans_of(session: Session, scope: Scope, shipment_id: int) -> list[ScanEvent]:
    shipment = get_shipment(session, scope, shipment_id)
    query = select(ScanEvent).where(ScanEvent.shipment_id == shipment.id)
    return list(session.scalars(query.order_by(ScanEvent.occurred_at, ScanEvent.id)))


# Reads for other modules' batch work (integrity); the caller has checked the scope.

DELIVERY_FRAME: dict[str, pl.DataType] = {"order_id": pl.Int64(), "delivered_s": pl.Int64()}


def _delivery_query(
    session: Session, tenant: ColumnElement[bool]
) -> Select[tuple[int, int | None]]:
    dialect = dialect_of(session)
    # NULL while the parcel is on its way.
    delivered_s = cast("ColumnElement[int | None]", epoch_seconds(Shipment.delivered_at, dialect))
    return select(Shipment.order_id, delivered_s).where(
        tenant, Shipment.direction == Direction.OUTBOUND
    )


def delivery_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """Every outbound parcel of the tenant: ``DELIVERY_FRAME`` columns, delivery time in
    epoch seconds (null while it is on its way)."""
    tenant = whole_tenant(session, Shipment.tenant_id, tenant_id)
    return FrameQuery(_delivery_query(session, tenant), DELIVERY_FRAME)


def delivery_rows(
    session: Session, tenant_id: int, order_ids: Collection[int]
) -> Sequence[Row[tuple[int, int | None]]]:
    """The ``delivery_frame_query`` rows of ``order_ids`` as tuples, in the session's
    transaction."""
    tenant = Shipment.tenant_id == tenant_id
    query = _delivery_query(session, tenant).where(Shipment.order_id.in_(order_ids))
    return session.connection().execute(query).all()
