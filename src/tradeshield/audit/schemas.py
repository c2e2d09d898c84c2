"""API shape of an audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tradeshield.schema_types import OutModel


class AuditEntryOut(OutModel):
    id: int
    at: dt.datetime
    actor: str
    entity_type: str
    entity_id: int
    action: str
    details: dict[str, Any]
