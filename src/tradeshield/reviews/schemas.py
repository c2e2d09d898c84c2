"""API shapes for reviews."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, StrictInt

from tradeshield.schema_types import AwareDatetime, InModel, OutModel, PositiveId, Sha256Hex


class ReviewIn(InModel):
    order_id: PositiveId
    product_id: PositiveId
    rating: StrictInt = Field(ge=1, le=5)
    language: Literal["zh", "en"]
    text: str = Field(default="", max_length=10_000)
    photos: list[Sha256Hex] = Field(default_factory=list, max_length=20)
    created_at: AwareDatetime | None = None


class ReviewOut(OutModel):
    id: int
    merchant_id: int
    product_id: int
    order_id: int
    buyer_id: int
    rating: int
    language: str
    text: str
    photos: list[str]
    created_at: dt.datetime
