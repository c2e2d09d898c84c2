"""Answering POSTs once: a retry with the same Idempotency-Key gets the first response."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tradeshield.errors import Conflict, Invalid
from tradeshield.idempotency import service as idempotency
from tradeshield.tenancy.scope import Scope


def fingerprint(path: str, payload: Any) -> str:
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(mode="json")
    canonical = json.dumps({"path": path, "body": payload}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(session: Session, scope: Scope, key: str, request_sha256: str) -> JSONResponse | None:
    record = idempotency.find(session, scope.tenant_id, key)
    if record is None:
        return None
    if record.request_sha256 != request_sha256:
        raise Invalid(
            "this Idempotency-Key was already used with a different request",
            field="Idempotency-Key",
        )
    return JSONResponse(
        record.response_body,
        status_code=record.status_code,
        headers={"Idempotent-Replayed": "true"},
    )


def respond_once(
    session: Session,
    scope: Scope,
    key: str | None,
    request_sha256: str,
    produce: Callable[[], BaseModel],
    status_code: int = 201,
) -> JSONResponse:
    """Run ``produce`` and commit, unless ``key`` was seen before: then replay its answer."""
    if key:
        replay = _replay(session, scope, key, request_sha256)
        if replay is not None:
            return replay
    body = produce().model_dump(mode="json")
    if key:
        idempotency.remember(session, scope.tenant_id, key, request_sha256, status_code, body)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        replay = _replay(session, scope, key, request_sha256) if key else None
        if replay is None:
            raise Conflict("the request conflicts with data that already exists") from None
        return replay
    return JSONResponse(body, status_code=status_code)
