"""Integrity: buyer accounts and the identifiers linked to them (as keyed hashes)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import Query, Request, Response

from tradeshield.buyers import service as buyers
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import page_link, render
from tradeshield.console.routing import console_router
from tradeshield.errors import Forbidden
from tradeshield.pagination import PageRequest

router = console_router()

PAGE_SIZE = 25


@router.get("/integrity")
def buyer_accounts(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    try:
        found = buyers.list_buyers(session, scope, PageRequest(cursor, PAGE_SIZE))
    except Forbidden:
        # Merchant keys see buyers only through their own cases; say so instead of failing.
        return render(request, "integrity.html", {"rows": [], "next_url": None, "shop_only": True})
    rows = [
        (buyer, sorted(Counter(i.kind for i in buyer.identifiers).items())) for buyer in found.items
    ]
    next_url = page_link(request, found.next_cursor)
    context = {"rows": rows, "next_url": next_url, "shop_only": False}
    return render(request, "integrity.html", context)
