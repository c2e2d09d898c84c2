"""Who is signed in to the console: the dependencies every page but sign-in takes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tradeshield.console import auth_cookie
from tradeshield.db import utcnow
from tradeshield.errors import Forbidden, Unauthorized
from tradeshield.http.deps import sessions_of
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.scope import Scope


class SignInRequired(Exception):
    """No valid sign-in cookie; the console answers with the sign-in page."""


def console_session(request: Request) -> Iterator[Session]:
    """A read session per request; console pages only read, so nothing is committed."""
    with sessions_of(request)() as session:
        yield session


DbSession = Annotated[Session, Depends(console_session)]


def signed_in_scope(request: Request, session: DbSession) -> Scope:
    key_id = auth_cookie.unseal(request.cookies.get(auth_cookie.COOKIE), utcnow())
    if key_id is None:
        raise SignInRequired
    try:
        scope = tenancy.scope_for_public_id(session, key_id)
    except Unauthorized as exc:
        raise SignInRequired from exc
    # Kept for the error page, which is rendered outside the route and still shows the menu.
    request.state.console_scope = scope
    return scope


SignedIn = Annotated[Scope, Depends(signed_in_scope)]


def current_scope(request: Request) -> Scope | None:
    scope = getattr(request.state, "console_scope", None)
    return scope if isinstance(scope, Scope) else None


def same_site_form(request: Request) -> None:
    """Refuse a form another site posted, where the browser names the form's origin.

    The sign-in cookie is SameSite=Strict already, so another site cannot post as the
    user; this is the second lock, for browsers that say where a form came from.
    """
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        raise Forbidden("this form was posted from another site")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise Forbidden("this form was posted from another site")


SameSite = Annotated[None, Depends(same_site_form)]
