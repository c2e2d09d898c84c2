"""Remembering the first response to a keyed POST, so a retry can be answered with it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.idempotency.models import IdempotencyRecord


def find(session: Session, tenant_id: int, key: str) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(
        IdempotencyRecord.tenant_id == tenant_id, IdempotencyRecord.key == key
    )
    return session.scalar(query)


def remember(
    session: Session,
    tenant_id: int,
    key: str,
    request_sha256: str,
    status_code: int,
    response_body: dict[str, Any],
) -> None:
    session.add(
        IdempotencyRecord(
            tenant_id=tenant_id,
            key=key,
            request_sha256=request_sha256,
            status_code=status_code,
            response_body=response_body,
        )
    )
