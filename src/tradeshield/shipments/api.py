"""Routes for parcels and their scans."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey, Paging
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.http.pages import Page, to_page
from tradeshield.schema_types import AwareDatetime
from tradeshield.shipments import service
from tradeshield.shipments.kinds import Direction, ShipmentStatus
from tradeshield.shipments.schemas import ScanIn, ScanOut, ShipmentIn, ShipmentOut

router = APIRouter(tags=["shipments"])


@router.post("/shipments", status_code=201, response_model=ShipmentOut)
def create_shipment(
    body: ShipmentIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    """An outbound parcel. Return parcels are registered by the case action buyer_ship_return."""
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/shipments", body),
        lambda: ShipmentOut.model_validate(service.create_shipment(session, scope, body)),
    )


@router.get("/shipments", response_model=Page[ShipmentOut])
def list_shipments(
    session: DbSession,
    scope: CallerScope,
    page: Paging,
    order_id: int | None = None,
    case_id: int | None = None,
    direction: Direction | None = None,
    status: ShipmentStatus | None = None,
    promised_before: AwareDatetime | None = None,
) -> Page[ShipmentOut]:
    found = service.list_shipments(
        session, scope, page, order_id, case_id, direction, status, promised_before
    )
    return to_page(found, ShipmentOut.model_validate)


@router.get("/shipments/{shipment_id}", response_model=ShipmentOut)
def get_shipment(shipment_id: int, session: DbSession, scope: CallerScope) -> ShipmentOut:
    return ShipmentOut.model_validate(service.get_shipment(session, scope, shipment_id))


@router.post("/shipments/{shipment_id}/scans", status_code=201, response_model=ScanOut)
def add_scan(
    shipment_id: int, body: ScanIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint(f"/shipments/{shipment_id}/scans", body),
        lambda: ScanOut.model_validate(service.add_scan(session, scope, shipment_id, body)),
    )


@router.get("/shipments/{shipment_id}/scans", response_model=list[ScanOut])
def list_scans(shipment_id: int, session: DbSession, scope: CallerScope) -> list[ScanOut]:
    return [ScanOut.model_validate(s) for s in service.scans_of(session, scope, shipment_id)]
