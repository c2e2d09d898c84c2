"""Shop-facing pages: low ratings (Rectification), shops (Experience), prices (Alerts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Request, Response
from sqlalchemy.orm import Session

from tradeshield.catalog import service as catalog
from tradeshield.console.access import DbSession, SignedIn
from tradeshield.console.rendering import page_link, render
from tradeshield.console.routing import console_router
from tradeshield.pagination import PageRequest
from tradeshield.reviews import service as reviews
from tradeshield.tenancy.scope import Scope

if TYPE_CHECKING:  # the rows come from catalog.service; the tables are not read here
    from tradeshield.catalog.models import PriceChange, Product

router = console_router()

PAGE_SIZE = 25
LOW_RATING = 2  # one and two stars: the reviews a rectification order would start from
Cursor = Annotated[str | None, Query(max_length=200)]
ShopId = Annotated[int | None, Query(alias="merchant_id", gt=0)]


@router.get("/rectification")
def low_ratings(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    merchant_id: ShopId = None,
    cursor: Cursor = None,
) -> Response:
    page = PageRequest(cursor, PAGE_SIZE)
    found = reviews.list_reviews(
        session, scope, page, merchant_id=merchant_id, max_rating=LOW_RATING
    )
    context = {
        "reviews": found.items,
        "next_url": page_link(request, found.next_cursor),
        "merchant_id": merchant_id,
    }
    return render(request, "rectification.html", context)


@router.get("/experience")
def shops(request: Request, session: DbSession, scope: SignedIn, cursor: Cursor = None) -> Response:
    found = catalog.list_merchants(session, scope, PageRequest(cursor, PAGE_SIZE))
    context = {"merchants": found.items, "next_url": page_link(request, found.next_cursor)}
    return render(request, "experience.html", context)


@dataclass(frozen=True, slots=True)
class PricedProduct:
    product: Product
    previous: PriceChange | None  # the price before the current one, if it ever changed

    @property
    def change_permille(self) -> int | None:
        if self.previous is None or self.previous.price_minor == 0:
            return None
        delta = self.product.price_minor - self.previous.price_minor
        magnitude = abs(delta) * 1000 // self.previous.price_minor  # truncated toward zero
        return magnitude if delta >= 0 else -magnitude

    @property
    def change_text(self) -> str:
        """The change as a signed percentage with one decimal, e.g. ``-45.0%``."""
        permille = self.change_permille
        if permille is None:
            return "—"
        sign = "-" if permille < 0 else "+"
        whole, tenth = divmod(abs(permille), 10)
        return f"{sign}{whole}.{tenth}%"


def _with_previous_price(session: Session, scope: Scope, product: Product) -> PricedProduct:
    latest_two = catalog.price_history(session, scope, product.id, PageRequest(limit=2)).items
    return PricedProduct(product, latest_two[1] if len(latest_two) > 1 else None)


@router.get("/alerts")
def prices(
    request: Request,
    session: DbSession,
    scope: SignedIn,
    merchant_id: ShopId = None,
    cursor: Cursor = None,
) -> Response:
    found = catalog.list_products(
        session, scope, PageRequest(cursor, PAGE_SIZE), merchant_id=merchant_id
    )
    # One price-history query per product shown, bounded by PAGE_SIZE.
    context = {
        "products": [_with_previous_price(session, scope, p) for p in found.items],
        "next_url": page_link(request, found.next_cursor),
        "merchant_id": merchant_id,
    }
    return render(request, "alerts.html", context)
