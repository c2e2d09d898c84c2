"""Routes for orders."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tradeshield.http.deps import CallerScope, DbSession, IdempotencyKey, Paging
from tradeshield.http.idempotent import fingerprint, respond_once
from tradeshield.http.pages import Page, to_page
from tradeshield.orders import service
from tradeshield.orders.schemas import OrderIn, OrderOut
from tradeshield.schema_types import AwareDatetime

router = APIRouter(tags=["orders"])


@router.post("/orders", status_code=201, response_model=OrderOut)
def create_order(
    body: OrderIn, session: DbSession, scope: CallerScope, key: IdempotencyKey
) -> JSONResponse:
    return respond_once(
        session,
        scope,
        key,
        fingerprint("/orders", body),
        lambda: OrderOut.model_validate(service.create_order(session, scope, body)),
    )


@router.get("/orders", response_model=Page[OrderOut])
def list_orders(
    session: DbSession,
    scope: CallerScope,
    page: Paging,
    merchant_id: int | None = None,
    buyer_id: int | None = None,
    placed_from: AwareDatetime | None = None,
    placed_to: AwareDatetime | None = None,
) -> Page[OrderOut]:
    found = service.list_orders(session, scope, page, merchant_id, buyer_id, placed_from, placed_to)
    return to_page(found, OrderOut.model_validate)


@router.get("/orders/{order_id}", response_model=OrderOut)
def get_order(order_id: int, session: DbSession, scope: CallerScope) -> OrderOut:
    return OrderOut.model_validate(service.get_order(session, scope, order_id))
