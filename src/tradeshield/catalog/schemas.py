"""API shapes for shops, products and prices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from tradeshield.catalog.industries import Industry
from tradeshield.schema_types import (
    AwareDatetime,
    Currency,
    ExternalRef,
    InModel,
    MinorAmount,
    OutModel,
)


class MerchantIn(InModel):
    name: str = Field(min_length=1, max_length=200)
    industry: Industry
    external_ref: ExternalRef | None = None


class MerchantOut(OutModel):
    id: int
    name: str
    industry: Industry
    external_ref: str | None
    created_at: dt.datetime


class ProductIn(InModel):
    merchant_id: int
    sku: str = Field(min_length=1, max_length=100)
    title_zh: str = Field(default="", max_length=300)
    title_en: str = Field(default="", max_length=300)
    category: str = Field(min_length=1, max_length=100)
    industry: Industry | None = Field(default=None, description="defaults to the shop's")
    attributes: dict[str, Any] = Field(default_factory=dict)
    listing_images: list[str] = Field(default_factory=list, max_length=50)
    price_minor: MinorAmount
    currency: Currency


class ProductOut(OutModel):
    id: int
    merchant_id: int
    sku: str
    title_zh: str
    title_en: str
    category: str
    industry: Industry
    attributes: dict[str, Any]
    listing_images: list[str]
    price_minor: int
    currency: str
    created_at: dt.datetime
    updated_at: dt.datetime


class PriceChangeIn(InModel):
    price_minor: MinorAmount
    currency: Currency
    changed_at: AwareDatetime | None = None
    source: str = Field(default="api", max_length=50)


class PriceChangeOut(OutModel):
    id: int
    product_id: int
    price_minor: int
    currency: str
    changed_at: dt.datetime
    source: str
