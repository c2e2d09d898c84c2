"""API shapes for orders and their lines."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, StrictInt

from tradeshield.schema_types import (
    AwareDatetime,
    Currency,
    ExternalRef,
    InModel,
    MinorAmount,
    OutModel,
    PositiveId,
)


class OrderLineIn(InModel):
    product_id: PositiveId
    quantity: StrictInt = Field(gt=0, le=10_000)
    unit_price_minor: MinorAmount
    promo: bool = False


class OrderIn(InModel):
    merchant_id: PositiveId
    buyer_id: PositiveId
    external_ref: ExternalRef | None = None
    placed_at: AwareDatetime
    paid_at: AwareDatetime | None = None
    currency: Currency
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)


class OrderLineOut(OutModel):
    id: int
    product_id: int
    quantity: int
    unit_price_minor: int
    promo: bool


class OrderOut(OutModel):
    id: int
    merchant_id: int
    buyer_id: int
    external_ref: str | None
    placed_at: dt.datetime
    paid_at: dt.datetime | None
    total_minor: int
    currency: str
    lines: list[OrderLineOut]
