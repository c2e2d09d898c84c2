"""Signing in with a tenant API key, signing out, and choosing the language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from tradeshield.console import auth_cookie
from tradeshield.console.access import DbSession
from tradeshield.console.language import LANG_COOKIE
from tradeshield.console.navigation import PREFIX
from tradeshield.console.rendering import local_target, render
from tradeshield.console.routing import console_router
from tradeshield.db import utcnow
from tradeshield.errors import Unauthorized
from tradeshield.i18n.catalog import Locale
from tradeshield.tenancy import service as tenancy

router = console_router()

NextPath = Annotated[str | None, Query(alias="next", max_length=2000)]
_ONE_YEAR = 365 * 24 * 3600


def _login_page(request: Request, target: str, failed: bool, status_code: int) -> Response:
    context = {"target": target, "failed": failed}
    return render(request, "login.html", context, status_code=status_code)


@router.get("/login")
def login_form(request: Request, next_path: NextPath = None) -> Response:
    return _login_page(request, local_target(next_path), failed=False, status_code=200)


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    api_key: Annotated[str, Form(max_length=500)] = "",
    target: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    destination = local_target(target)
    try:
        tenancy.authenticate(session, api_key)
    except Unauthorized:
        return _login_page(request, destination, failed=True, status_code=401)
    response = RedirectResponse(destination, status_code=303)
    response.set_cookie(
        auth_cookie.COOKIE,
        auth_cookie.seal(tenancy.public_id(api_key), utcnow()),
        max_age=int(auth_cookie.MAX_AGE.total_seconds()),
        path=PREFIX,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(auth_cookie.COOKIE, path=PREFIX, httponly=True, samesite="strict")
    return response


@router.get("/lang/{code}")
def choose_language(code: Locale, next_path: NextPath = None) -> Response:
    response = RedirectResponse(local_target(next_path), status_code=303)
    # Lax, not Strict: a preference, not a credential, and it should survive a link in.
    response.set_cookie(LANG_COOKIE, code.value, max_age=_ONE_YEAR, path="/", samesite="lax")
    return response
