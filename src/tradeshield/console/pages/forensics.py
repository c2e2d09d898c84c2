"""Forensics: the evidence items received, as the forged-evidence checks will see them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import page_link, render
from tradeshield.console.routing import console_router
from tradeshield.evidence import service as evidence
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.pagination import PageRequest

router = console_router()

PAGE_SIZE = 25


@router.get("/forensics")
def evidence_list(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    kind: EvidenceKind | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    found = evidence.list_items(session, scope, PageRequest(cursor, PAGE_SIZE), kind=kind)
    context = {
        "items": found.items,
        "next_url": page_link(request, found.next_cursor),
        "kinds": list(EvidenceKind),
        "chosen_kind": kind,
    }
    return render(request, "forensics.html", context)
