"""Route for reading the audit log (operators and read-only keys)."""

from __future__ import annotations

from fastapi import APIRouter

from tradeshield.audit import service
from tradeshield.audit.schemas import AuditEntryOut
from tradeshield.errors import Forbidden
from tradeshield.http.deps import CallerScope, DbSession, Paging
from tradeshield.http.pages import Page
from tradeshield.pagination import encode_cursor

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=Page[AuditEntryOut])
def read_audit(
    session: DbSession,
    scope: CallerScope,
    page: Paging,
    entity_type: str | None = None,
    entity_id: int | None = None,
) -> Page[AuditEntryOut]:
    if scope.merchant_id is not None:
        raise Forbidden("a merchant key reads history through its own cases")
    rows = service.history(
        session, scope, entity_type, entity_id, page.before_id(), limit=page.limit + 1
    )
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return Page[AuditEntryOut](
        items=[AuditEntryOut.model_validate(r) for r in rows],
        next_cursor=encode_cursor(rows[-1].id) if more and rows else None,
    )
