"""API shapes for parcels and their scans."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, StrictInt

from tradeshield.schema_types import AwareDatetime, InModel, OutModel, PositiveId
from tradeshield.shipments.kinds import Direction, ScanKind, ShipmentStatus

Grams = StrictInt


class ShipmentIn(InModel):
    order_id: PositiveId
    carrier: str = Field(min_length=1, max_length=60)
    tracking_number: str = Field(min_length=1, max_length=80)
    shipped_at: AwareDatetime | None = None
    promised_delivery_at: AwareDatetime | None = None
    declared_weight_grams: Grams | None = Field(default=None, gt=0)
    measured_weight_grams: Grams | None = Field(default=None, gt=0)


class ReturnShipmentIn(InModel):
    carrier: str = Field(min_length=1, max_length=60)
    tracking_number: str = Field(min_length=1, max_length=80)
    shipped_at: AwareDatetime | None = None
    declared_weight_grams: Grams | None = Field(default=None, gt=0)
    measured_weight_grams: Grams | None = Field(default=None, gt=0)


class ScanIn(InModel):
    occurred_at: AwareDatetime
    kind: ScanKind
    location: str = Field(default="", max_length=120)
    weight_grams: Grams | None = Field(default=None, gt=0)
    note: str = Field(default="", max_length=300)


class ScanOut(OutModel):
    id: int
    shipment_id: int
    occurred_at: dt.datetime
    kind: ScanKind
    location: str
    weight_grams: int | None
    note: str


class ShipmentOut(OutModel):
    id: int
    order_id: int
    merchant_id: int
    case_id: int | None
    direction: Direction
    carrier: str
    tracking_number: str
    status: ShipmentStatus
    shipped_at: dt.datetime | None
    promised_delivery_at: dt.datetime | None
    delivered_at: dt.datetime | None
    declared_weight_grams: int | None
    measured_weight_grams: int | None
    created_at: dt.datetime
