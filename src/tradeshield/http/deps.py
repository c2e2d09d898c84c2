"""Request dependencies: the database session, the caller's scope, paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from sqlalchemy.orm import Session

from tradeshield.db import session_factory
from tradeshield.errors import Unauthorized
from tradeshield.pagination import PageRequest
from tradeshield.settings import get_settings
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.scope import Scope


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; the route commits, anything uncommitted is rolled back."""
    make_session = session_factory(request.app.state.engine)
    with make_session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]


def _presented_key(authorization: str | None, api_key: str | None) -> str:
    if api_key:
        return api_key
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:]
    raise Unauthorized("send an API key as 'Authorization: Bearer <key>' or 'X-API-Key'")


def get_scope(
    session: DbSession,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Scope:
    return tenancy.authenticate(session, _presented_key(authorization, x_api_key))


CallerScope = Annotated[Scope, Depends(get_scope)]


def get_page(
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> PageRequest:
    settings = get_settings()
    size = min(limit or settings.default_page_size, settings.max_page_size)
    return PageRequest(cursor=cursor, limit=size)


Paging = Annotated[PageRequest, Depends(get_page)]


def get_idempotency_key(
    key: Annotated[
        str | None, Header(alias="Idempotency-Key", min_length=1, max_length=255)
    ] = None,
) -> str | None:
    return key


IdempotencyKey = Annotated[str | None, Depends(get_idempotency_key)]
