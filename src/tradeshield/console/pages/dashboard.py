"""The dashboard: live counts that refresh themselves every few seconds."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from tradeshield.console import metrics
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.navigation import PREFIX
from tradeshield.console.rendering import render
from tradeshield.console.routing import console_router
from tradeshield.db import utcnow
from tradeshield.tenancy.scope import Scope

router = console_router()

REFRESH_SECONDS = 10


def _counts(session: Session, scope: Scope) -> dict[str, Any]:
    board = metrics.dashboard(session, scope, utcnow())
    return {"board": board, "refresh": REFRESH_SECONDS, "cap": metrics.CAP}


@router.get("")
def bare_prefix() -> Response:
    return RedirectResponse(f"{PREFIX}/", status_code=308)


@router.get("/")
def dashboard(request: Request, session: DbSession, scope: SignedIn) -> Response:
    return render(request, "dashboard.html", _counts(session, scope))


@router.get("/dashboard/counts")
def dashboard_counts(request: Request, session: DbSession, scope: SignedIn) -> Response:
    return render(request, "_counts.html", _counts(session, scope))
