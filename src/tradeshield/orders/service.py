"""Orders: created with their lines, total computed here, never trusted from the caller."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import polars as pl
from sqlalchemy import ColumnElement, Row, Select, select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.bulk_frames import FrameQuery, whole_tenant
from tradeshield.bulk_reads import dialect_of, epoch_seconds
from tradeshield.buyers import service as buyers
from tradeshield.catalog import service as catalog
from tradeshield.errors import Conflict, Invalid, NotFound
from tradeshield.orders.models import Order, OrderLine
from tradeshield.orders.schemas import OrderIn
from tradeshield.pagination import PageOf, PageRequest, keyset_page
from tradeshield.tenancy.scope import Scope


@dataclass(frozen=True, slots=True)
class OrderView:
    id: int
    tenant_id: int
    merchant_id: int
    buyer_id: int
    external_ref: str | None
    placed_at: dt.datetime
    paid_at: dt.datetime | None
    total_minor: int
    currency: str
    lines: list[OrderLine]


def _view(order: Order, lines: list[OrderLine]) -> OrderView:
    return OrderView(
        id=order.id,
        tenant_id=order.tenant_id,
        merchant_id=order.merchant_id,
        buyer_id=order.buyer_id,
        external_ref=order.external_ref,
        placed_at=order.placed_at,
        paid_at=order.paid_at,
        total_minor=order.total_minor,
        currency=order.currency,
        lines=lines,
    )


def create_order(session: Session, scope: Scope, order_in: OrderIn) -> OrderView:
    scope.require_operator()
    catalog.get_merchant(session, scope, order_in.merchant_id)
    buyers.get_buyer(session, scope, order_in.buyer_id)
    if order_in.external_ref is not None:
        taken = select(Order.id).where(
            Order.tenant_id == scope.tenant_id, Order.external_ref == order_in.external_ref
        )
        if session.scalar(taken) is not None:
            raise Conflict(f"an order with external_ref {order_in.external_ref!r} exists")
    for index, line in enumerate(order_in.lines):
        product = catalog.get_product(session, scope, line.product_id)
        if product.merchant_id != order_in.merchant_id:
            raise Invalid(
                f"product {product.id} is not sold by shop {order_in.merchant_id}",
                field=f"lines.{index}.product_id",
            )
    if order_in.paid_at is not None and order_in.paid_at < order_in.placed_at:
        raise Invalid("paid_at is before placed_at", field="paid_at")
    order = Order(
        tenant_id=scope.tenant_id,
        merchant_id=order_in.merchant_id,
        buyer_id=order_in.buyer_id,
        external_ref=order_in.external_ref,
        placed_at=order_in.placed_at,
        paid_at=order_in.paid_at,
        currency=order_in.currency,
        total_minor=sum(line.quantity * line.unit_price_minor for line in order_in.lines),
    )
    session.add(order)
    session.flush()
    lines = [
        OrderLine(tenant_id=scope.tenant_id, order_id=order.id, **line.model_dump())
        for line in order_in.lines
    ]
    session.add_all(lines)
    session.flush()
    audit.record(session, scope, "order", order.id, "created", {"total_minor": order.total_minor})
    return _view(order, lines)


def _lines_of(session: Session, order_ids: list[int]) -> dict[int, list[OrderLine]]:
    found: dict[int, list[OrderLine]] = defaultdict(list)
    if order_ids:
        query = select(OrderLine).where(OrderLine.order_id.in_(order_ids)).order_by(OrderLine.id)
        for line in session.scalars(query):
            found[line.order_id].append(line)
    return found


def get_order(session: Session, scope: Scope, order_id: int) -> OrderView:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"order {order_id} does not exist")
    scope.check_row(order.tenant_id, order.merchant_id)
    return _view(order, _lines_of(session, [order.id])[order.id])


def list_orders(
    session: Session,
    scope: Scope,
    page: PageRequest,
    merchant_id: int | None = None,
    buyer_id: int | None = None,
    placed_from: dt.datetime | None = None,
    placed_to: dt.datetime | None = None,
) -> PageOf[OrderView]:
    query = select(Order).where(Order.tenant_id == scope.tenant_id)
    shop = scope.shop_filter(merchant_id)
    if shop is not None:
        query = query.where(Order.merchant_id == shop)
    if buyer_id is not None:
        query = query.where(Order.buyer_id == buyer_id)
    if placed_from is not None:
        query = query.where(Order.placed_at >= placed_from)
    if placed_to is not None:
        query = query.where(Order.placed_at < placed_to)
    found = keyset_page(session, query, Order.id, page)
    lines = _lines_of(session, [o.id for o in found.items])
    return PageOf(items=[_view(o, lines[o.id]) for o in found.items], next_cursor=found.next_cursor)


def find_order(session: Session, scope: Scope, external_ref: str) -> OrderView:
    query = select(Order.id).where(
        Order.tenant_id == scope.tenant_id, Order.external_ref == external_ref
    )
    order_id = session.scalar(query)
    if order_id is None:
        raise NotFound(f"no order with external_ref {external_ref!r}")
    return get_order(session, scope, order_id)


# Reads for other modules' batch work (integrity). The caller has checked the scope; these
# take the tenant id and return plain values, never ORM objects.


ORDER_FRAME: dict[str, pl.DataType] = {
    "order_id": pl.Int64(),
    "buyer_id": pl.Int64(),
    "placed_s": pl.Int64(),
    "total_minor": pl.Int64(),
}
LINE_FRAME: dict[str, pl.DataType] = {"order_id": pl.Int64(), "product_id": pl.Int64()}


def _order_query(
    session: Session, tenant: ColumnElement[bool]
) -> Select[tuple[int, int, int, int]]:
    placed_s = epoch_seconds(Order.placed_at, dialect_of(session))
    return select(Order.id, Order.buyer_id, placed_s, Order.total_minor).where(tenant)


def _line_query(tenant: ColumnElement[bool]) -> Select[tuple[int, int]]:
    return select(OrderLine.order_id, OrderLine.product_id).where(tenant)


def order_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """Every order of the tenant: ``ORDER_FRAME`` columns, placed time in epoch seconds."""
    tenant = whole_tenant(session, Order.tenant_id, tenant_id)
    return FrameQuery(_order_query(session, tenant), ORDER_FRAME)


def line_frame_query(session: Session, tenant_id: int) -> FrameQuery:
    """Every order line of the tenant: ``LINE_FRAME`` columns."""
    return FrameQuery(
        _line_query(whole_tenant(session, OrderLine.tenant_id, tenant_id)), LINE_FRAME
    )


def order_rows(
    session: Session, tenant_id: int, buyer_id: int
) -> Sequence[Row[tuple[int, int, int, int]]]:
    """One buyer's ``order_frame_query`` rows as tuples, in the session's transaction."""
    query = _order_query(session, Order.tenant_id == tenant_id).where(Order.buyer_id == buyer_id)
    return session.connection().execute(query).all()


def line_products(
    session: Session, tenant_id: int, order_ids: Collection[int]
) -> Sequence[Row[tuple[int, int]]]:
    """The ``line_frame_query`` rows of ``order_ids`` as tuples, in the session's transaction."""
    query = _line_query(OrderLine.tenant_id == tenant_id).where(OrderLine.order_id.in_(order_ids))
    return session.connection().execute(query).all()
