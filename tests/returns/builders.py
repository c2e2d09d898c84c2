"""Return scenarios for the returns tests, built through the same services as the API."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import Marketplace, open_case
from tradeshield.cases.kinds import CaseKind, ReasonCode
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import ScanKind
from tradeshield.shipments.models import Shipment
from tradeshield.shipments.schemas import ReturnShipmentIn, ScanIn

_tracking = itertools.count(1)
PICKUP_AT = dt.datetime(2026, 11, 6, 9, 0, tzinfo=dt.UTC)


def return_parcel(
    session: Session,
    market: Marketplace,
    pickup_grams: int,
    arrival_grams: int | None = None,
    damaged: bool = False,
) -> Shipment:
    case = open_case(session, market, CaseKind.RETURN_AND_REFUND, ReasonCode.QUALITY_ISSUE)
    scope = market.keys.scope
    parcel = shipments.create_return_shipment(
        session,
        scope,
        market.order.id,
        case.id,
        ReturnShipmentIn(carrier="SF", tracking_number=f"SF{next(_tracking):08d}"),
    )
    scans = [ScanIn(occurred_at=PICKUP_AT, kind=ScanKind.PICKED_UP, weight_grams=pickup_grams)]
    if damaged:
        scans.append(ScanIn(occurred_at=PICKUP_AT + dt.timedelta(hours=9), kind=ScanKind.DAMAGED))
    if arrival_grams is not None:
        scans.append(
            ScanIn(
                occurred_at=PICKUP_AT + dt.timedelta(hours=20),
                kind=ScanKind.ARRIVED,
                weight_grams=arrival_grams,
            )
        )
    for scan in scans:
        shipments.add_scan(session, scope, parcel.id, scan)
    session.commit()
    return parcel


def unit(order_id: int, stage: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"order_id": order_id, "stage": stage}
    body.update(fields)
    return body


def post_unit(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/returns/units", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result
