"""Integrity: the review queue, one account (level, reasons, history, links), rings with
their graph, and appeals. The forms they offer operators post to ``integrity_actions``."""

from __future__ import annotations

import math
from collections import Counter
from typing import Annotated

from fastapi import Path, Query, Request, Response

from tradeshield.buyers import service as buyers
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import page_link, render
from tradeshield.console.routing import console_router
from tradeshield.errors import Forbidden
from tradeshield.integrity import service
from tradeshield.integrity.kinds import Tier
from tradeshield.integrity.views import account_view
from tradeshield.pagination import PageRequest

router = console_router()

PAGE_SIZE = 50
BUYERS_PAGE_SIZE = 25
GRAPH_SIZE = 360
TIER_COLOUR = {
    Tier.NORMAL: "#3a9d5d", Tier.MORE_EVIDENCE: "#c8a200", Tier.MANUAL_REVIEW: "#e07b00",
    Tier.PURCHASE_LIMIT: "#d0451b", Tier.NO_REFUND_ONLY: "#a3001b",
}  # fmt: skip


@router.get("/integrity")
def review_queue(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    offset: Annotated[int, Query(ge=0)] = 0,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The review queue, and every buyer account below it (to open any account's page)."""
    try:
        items, total = service.review_queue(session, scope, PAGE_SIZE, offset)
        found = buyers.list_buyers(session, scope, PageRequest(cursor, BUYERS_PAGE_SIZE))
    except Forbidden:
        # Merchant keys see buyers only through their own cases; say so instead of failing.
        return render(request, "integrity.html", {"shop_only": True})
    accounts = [
        (buyer, sorted(Counter(i.kind for i in buyer.identifiers).items())) for buyer in found.items
    ]
    context = {
        "items": items, "total": total, "shop_only": False, "accounts": accounts,
        "next_offset": offset + PAGE_SIZE if offset + PAGE_SIZE < total else None,
        "next_url": page_link(request, found.next_cursor),
    }  # fmt: skip
    return render(request, "integrity.html", {**context})


Done = Annotated[str | None, Query(max_length=20)]


@router.get("/integrity/accounts/{buyer_id}")
def account(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    buyer_id: Annotated[int, Path()],
    done: Done = None,
) -> Response:
    view = account_view(session, scope, buyer_id)
    return render(request, "integrity_account.html", {"account": view, "done": done})


@router.get("/integrity/rings")
def rings(request: Request, session: DbSession, scope: SignedIn) -> Response:
    found = service.list_rings(session, scope, limit=200)
    return render(request, "integrity_rings.html", {"rings": found})


def _layout(member_ids: list[int]) -> dict[int, tuple[float, float]]:
    """Members on a circle: enough to see who links to whom in a ring of a few dozen."""
    centre, radius = GRAPH_SIZE / 2, GRAPH_SIZE / 2 - 30
    count = max(len(member_ids), 1)
    return {
        member: (
            round(centre + radius * math.cos(2 * math.pi * i / count), 1),
            round(centre + radius * math.sin(2 * math.pi * i / count), 1),
        )
        for i, member in enumerate(member_ids)
    }


@router.get("/integrity/rings/{ring_id}")
def ring(
    request: Request, session: DbSession, scope: SignedIn, ring_id: Annotated[int, Path()]
) -> Response:
    found = service.get_ring(session, scope, ring_id)
    levels = service.levels_of(session, scope, list(found.member_ids))
    positions = _layout(list(found.member_ids))
    nodes = [
        (member, *positions[member], levels.get(member))
        for member in found.member_ids
    ]  # fmt: skip
    edges = [(positions[a], positions[b], weight, link) for a, b, weight, link in found.edges]
    context = {
        "ring": found, "nodes": nodes, "edges": edges, "size": GRAPH_SIZE,
        "colours": TIER_COLOUR,
    }  # fmt: skip
    return render(request, "integrity_ring.html", context)


@router.get("/integrity/appeals")
def appeals(request: Request, session: DbSession, scope: SignedIn, done: Done = None) -> Response:
    found = service.list_appeals(session, scope)
    return render(request, "integrity_appeals.html", {"appeals": found, "done": done})
