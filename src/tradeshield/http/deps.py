"""Request dependencies: the database session, the caller's scope, paging."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from tradeshield.errors import Unauthorized
from tradeshield.pagination import PageRequest
from tradeshield.settings import get_settings
from tradeshield.tenancy import key_cache
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.scope import Scope


def sessions_of(request: Request) -> sessionmaker[Session]:
    """The app's session factory (made once, in ``create_app``)."""
    factory: sessionmaker[Session] = request.app.state.sessions
    return factory


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; the route commits, anything uncommitted is rolled back."""
    with sessions_of(request)() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]


def _presented_key(authorization: str | None, api_key: str | None) -> str:
    if api_key:
        return api_key
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:]
    raise Unauthorized("send an API key as 'Authorization: Bearer <key>' or 'X-API-Key'")


def scope_of_request(request: Request) -> Scope:
    """The caller's scope from the request's key headers; for routes that skip the
    dependency machinery on their hot path."""
    presented = _presented_key(
        request.headers.get("authorization"), request.headers.get("x-api-key")
    )
    return tenancy.authenticate_cached(
        sessions_of(request),
        presented,
        get_settings().api_key_cache_seconds,
    )


async def get_scope(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> Scope:
    # Async, so a cached key costs no thread hand-off; a miss looks the key up in a thread.
    presented = _presented_key(authorization, x_api_key)
    cached = key_cache.scopes.get(key_cache.scopes.digest(presented))
    if cached is not None:
        return cached
    return await run_in_threadpool(scope_of_request, request)


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
