"""API shapes for buyer accounts. Identifiers go in clear and come out only as keyed hashes."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.schema_types import AwareDatetime, ExternalRef, InModel, OutModel


class IdentifierIn(InModel):
    kind: IdentifierKind
    value: str = Field(min_length=1, max_length=500)


class BuyerIn(InModel):
    external_ref: ExternalRef
    registered_at: AwareDatetime | None = None
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=50)


class IdentifierOut(OutModel):
    kind: IdentifierKind
    keyed_hash: str
    first_seen_at: dt.datetime


class BuyerOut(OutModel):
    id: int
    external_ref: str
    registered_at: dt.datetime
    created_at: dt.datetime
    identifiers: list[IdentifierOut]
