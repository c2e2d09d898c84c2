"""The built-in job handlers: thin shells over service functions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tradeshield.cases import service as cases
from tradeshield.jobs.registry import Progress, handler


@handler("cases.sweep_deadlines")
def sweep_deadlines(
    make_session: sessionmaker[Session], payload: dict[str, Any], progress: Progress
) -> dict[str, Any]:
    limit = int(payload.get("limit", 500))
    with make_session.begin() as session:
        moved = cases.sweep_deadlines(session, limit=limit, tenant_id=payload.get("tenant_id"))
    progress(1.0)
    return {"moved": moved}
