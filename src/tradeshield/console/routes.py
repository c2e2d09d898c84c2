"""Mounts the web console under /console: its pages and its static files."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tradeshield.console.pages import (
    assistant,
    case_actions,
    cases,
    dashboard,
    forensics,
    integrity,
    integrity_actions,
    parcels,
    returns,
    returns_sharing,
    rules,
    shops,
    signin,
    support,
)
from tradeshield.console.rendering import STATIC_DIR

_PAGES = (
    signin, dashboard, cases, case_actions, forensics, returns, returns_sharing, parcels, rules,
    shops, integrity, integrity_actions, assistant, support,
)  # fmt: skip


def mount_console(app: FastAPI) -> None:
    for page in _PAGES:
        app.include_router(page.router)
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
