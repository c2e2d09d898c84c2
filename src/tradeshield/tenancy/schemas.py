"""API shapes for the caller's tenant and its API keys."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from tradeshield.schema_types import InModel, OutModel, PositiveId
from tradeshield.tenancy.kinds import Role, TenantKind


class TenantOut(OutModel):
    id: int
    slug: str
    name: str
    kind: TenantKind
    created_at: dt.datetime


class WhoAmI(OutModel):
    tenant: TenantOut
    role: Role
    merchant_id: int | None


class ApiKeyIn(InModel):
    role: Role
    merchant_id: PositiveId | None = None
    name: str = Field(default="", max_length=200)


class ApiKeyOut(OutModel):
    id: int
    prefix: str
    role: Role
    merchant_id: int | None
    name: str
    created_at: dt.datetime
    key: str = Field(description="the secret key; shown only in this response")
