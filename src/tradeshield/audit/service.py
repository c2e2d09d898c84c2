"""Appending to and reading the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.audit.models import AuditEntry
from tradeshield.tenancy.scope import Scope


def record(
    session: Session,
    scope: Scope,
    entity_type: str,
    entity_id: int,
    action: str,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        tenant_id=scope.tenant_id,
        actor=scope.actor,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        details=details or {},
    )
    session.add(entry)
    return entry


def history(
    session: Session,
    scope: Scope,
    entity_type: str | None = None,
    entity_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.tenant_id == scope.tenant_id)
    if entity_type is not None:
        query = query.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))
