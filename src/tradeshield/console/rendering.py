"""Turning a template and its values into a console page, in the reader's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tradeshield.console.access import current_scope
from tradeshield.console.language import Texts, locale_of
from tradeshield.console.navigation import NAV, PREFIX, active_item
from tradeshield.i18n.catalog import Locale

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# Same-origin everything: the console loads no third-party code, so anything else is a bug.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(("html",)),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def local_target(candidate: str | None) -> str:
    """Where to go back to: a console path on this site, never another site."""
    if not candidate:
        return f"{PREFIX}/"
    parts = urlsplit(candidate)
    inside = parts.path == PREFIX or parts.path.startswith(f"{PREFIX}/")
    if parts.scheme or parts.netloc or not inside or "\\" in candidate:
        return f"{PREFIX}/"
    return candidate


def here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def page_link(request: Request, cursor: str | None, **replace: str) -> str | None:
    """This page's address with another cursor; None when there is no further page."""
    if cursor is None:
        return None
    params = {k: v for k, v in request.query_params.items() if k != "cursor"}
    params.update(replace)
    params["cursor"] = cursor
    return f"{request.url.path}?{urlencode(params)}"


def texts_for(request: Request) -> Texts:
    return Texts(locale_of(request))


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    texts = texts_for(request)
    target = quote(here(request), safe="")
    values = {
        "_": texts,
        "scope": current_scope(request),
        "nav": NAV,
        "active": active_item(request.url.path),
        "prefix": PREFIX,
        "here": here(request),
        "lang_urls": {
            locale.value: f"{PREFIX}/lang/{locale.value}?next={target}" for locale in Locale
        },
        **context,
    }
    html = _environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code, headers=_HEADERS)
