"""Parcels: return parcels (Returns) and parcels past their promised delivery (Logistics)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import page_link, render
from tradeshield.console.routing import console_router
from tradeshield.db import utcnow
from tradeshield.pagination import PageRequest
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import Direction, ShipmentStatus

router = console_router()

PAGE_SIZE = 25
Cursor = Annotated[str | None, Query(max_length=200)]


@router.get("/returns")
def return_parcels(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    status: ShipmentStatus | None = None,
    cursor: Cursor = None,
) -> Response:
    found = shipments.list_shipments(
        session, scope, PageRequest(cursor, PAGE_SIZE), direction=Direction.RETURN, status=status
    )
    context = {
        "parcels": found.items,
        "next_url": page_link(request, found.next_cursor),
        "statuses": list(ShipmentStatus),
        "chosen_status": status,
    }
    return render(request, "returns.html", context)


@router.get("/logistics")
def late_parcels(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    status: ShipmentStatus | None = None,
    cursor: Cursor = None,
) -> Response:
    now = utcnow()
    found = shipments.list_shipments(
        session, scope, PageRequest(cursor, PAGE_SIZE), status=status, promised_before=now
    )
    context = {
        "parcels": found.items,
        "next_url": page_link(request, found.next_cursor),
        "statuses": list(ShipmentStatus),
        "chosen_status": status,
        "now": now,
    }
    return render(request, "logistics.html", context)
