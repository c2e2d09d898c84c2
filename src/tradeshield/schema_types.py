"""Field types shared by every module's API schemas."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp must carry a timezone offset, e.g. 2026-11-25T08:00:00Z")
    return value.astimezone(dt.UTC)


Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["CNY"])]
MinorAmount = Annotated[StrictInt, Field(ge=0, le=10**13, description="integer minor units")]
ExternalRef = Annotated[str, Field(min_length=1, max_length=100)]
AwareDatetime = Annotated[dt.datetime, AfterValidator(_aware)]
PositiveId = Annotated[StrictInt, Field(gt=0)]
Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class InModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
