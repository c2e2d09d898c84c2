"""Console routes answer in HTML: sign-in redirects and error pages instead of problem JSON.

The API's problem handlers stay as they are for ``/v1``; console routers use
``ConsoleRoute``, which catches the same domain errors and renders a page for people, and
refuses any form another site posted (``access.same_site_form``) before a route runs.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError

from tradeshield.console import auth_cookie
from tradeshield.console.access import SignInRequired, same_site_form
from tradeshield.console.labels import N_
from tradeshield.console.navigation import PREFIX
from tradeshield.console.rendering import here, render
from tradeshield.errors import DomainError

_ERROR_TEXTS: dict[int, tuple[str, str]] = {
    403: (N_("Not yours to see"), N_("This belongs to another shop or tenant.")),
    404: (N_("Not found"), N_("There is nothing at this address.")),
    409: (N_("Not possible now"), N_("This conflicts with the current state of the data.")),
    422: (N_("Not understood"), N_("The address has a value the console cannot read.")),
}
_FALLBACK = (N_("Something went wrong"), N_("The request could not be completed."))
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def sign_in_redirect(request: Request) -> Response:
    login = f"{PREFIX}/login?next={quote(here(request), safe='')}"
    response: Response
    if request.headers.get("hx-request") == "true":
        # htmx swaps nothing on a 401 but follows HX-Redirect with a full page load.
        response = Response(status_code=401, headers={"HX-Redirect": login})
    else:
        response = RedirectResponse(login, status_code=303)
    if auth_cookie.COOKIE in request.cookies:
        response.delete_cookie(auth_cookie.COOKIE, path=PREFIX)
    return response


def error_page(request: Request, status: int) -> Response:
    title, message = _ERROR_TEXTS.get(status, _FALLBACK)
    context = {"title_msgid": title, "message_msgid": message, "status": status}
    return render(request, "error.html", context, status_code=status)


class ConsoleRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer_in_html(request: Request) -> Response:
            try:
                if request.method not in SAFE_METHODS:
                    same_site_form(request)  # every form the console takes, in one place
                return await handler(request)
            except SignInRequired:
                return sign_in_redirect(request)
            except DomainError as exc:
                return error_page(request, exc.status)
            except (RequestValidationError, ValidationError):
                # a value the route's schema refuses, whether FastAPI or a form page built it
                return error_page(request, 422)

        return answer_in_html


def console_router() -> APIRouter:
    return APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)
