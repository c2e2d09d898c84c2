"""Support: the tenant's recent activity, read from the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from tradeshield.audit import service as audit
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import render
from tradeshield.console.routing import console_router

router = console_router()

PAGE_SIZE = 50


@router.get("/support")
def activity(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    before: Annotated[int | None, Query(gt=0)] = None,
) -> Response:
    # The audit log is tenant-wide and not narrowed to a shop, so merchant keys do not read it.
    if scope.merchant_id is not None:
        return render(request, "support.html", {"entries": [], "next_url": None})
    entries = audit.history(session, scope, before_id=before, limit=PAGE_SIZE)
    next_url = f"{request.url.path}?before={entries[-1].id}" if len(entries) == PAGE_SIZE else None
    return render(request, "support.html", {"entries": entries, "next_url": next_url})
