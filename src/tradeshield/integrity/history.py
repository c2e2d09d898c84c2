"""One account's events from the database, for the incremental path (a few small queries)."""

from __future__ import annotations

import datetime as dt
import zlib

from sqlalchemy import Connection, select

from tradeshield.integrity.account_features import AccountHistory, ClaimEvent, OrderEvent
from tradeshield.integrity.sources import (
    ACCOUNTS_T,
    CASES_T,
    LINES_T,
    NO_CATEGORY,
    ORDERS_T,
    PRODUCTS_T,
    RULINGS_T,
    SHIPMENTS_T,
)


def _s(value: dt.datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def _category_code(category: str | None) -> int:
    return NO_CATEGORY if category is None else zlib.crc32(category.encode())


def load_history(connection: Connection, tenant_id: int, buyer_id: int) -> AccountHistory | None:
    """The account's orders and claims, or None if it is not an account of this tenant."""
    registered = connection.execute(
        select(ACCOUNTS_T.c.registered_at).where(
            ACCOUNTS_T.c.id == buyer_id, ACCOUNTS_T.c.tenant_id == tenant_id
        )
    ).scalar_one_or_none()
    if registered is None:
        return None
    history = AccountHistory(registered_s=int(registered.timestamp()))
    orders = connection.execute(
        select(ORDERS_T.c.id, ORDERS_T.c.placed_at, ORDERS_T.c.total_minor).where(
            ORDERS_T.c.tenant_id == tenant_id, ORDERS_T.c.buyer_id == buyer_id
        )
    ).all()
    totals = {int(order_id): int(total) for order_id, _, total in orders}
    # The first category by code point, as the bulk path takes it (not the database's
    # collation, which differs between SQLite and PostgreSQL).
    first: dict[int, str] = {}
    lines = (
        select(LINES_T.c.order_id, PRODUCTS_T.c.category)
        .join(PRODUCTS_T, PRODUCTS_T.c.id == LINES_T.c.product_id)
        .where(LINES_T.c.order_id.in_(list(totals)))
    )
    for order_id, category in connection.execute(lines) if totals else []:
        key = int(order_id)
        first[key] = min(first.get(key, category), category)
    history.orders = [
        OrderEvent(int(placed.timestamp()), int(total), _category_code(first.get(int(order_id))))
        for order_id, placed, total in orders
    ]
    history.claims = _claims(connection, tenant_id, buyer_id, totals)
    return history


def _claims(
    connection: Connection, tenant_id: int, buyer_id: int, totals: dict[int, int]
) -> list[ClaimEvent]:
    cases = connection.execute(
        select(
            CASES_T.c.id, CASES_T.c.order_id, CASES_T.c.kind, CASES_T.c.claimed_amount_minor,
            CASES_T.c.opened_at, CASES_T.c.forgery_suspected,
        ).where(CASES_T.c.tenant_id == tenant_id, CASES_T.c.buyer_id == buyer_id)
    ).all()  # fmt: skip
    if not cases:
        return []
    case_ids = [int(c[0]) for c in cases]
    latest: dict[int, tuple[int, str, dt.datetime]] = {}
    for case_id, sequence, liable, created in connection.execute(
        select(
            RULINGS_T.c.case_id, RULINGS_T.c.sequence, RULINGS_T.c.liable_party,
            RULINGS_T.c.created_at,
        ).where(RULINGS_T.c.case_id.in_(case_ids))
    ):  # fmt: skip
        if case_id not in latest or sequence > latest[case_id][0]:
            latest[int(case_id)] = (int(sequence), str(liable), created)
    order_ids = list({int(c[1]) for c in cases})
    delivered: dict[int, int] = {}
    for order_id, at in connection.execute(
        select(SHIPMENTS_T.c.order_id, SHIPMENTS_T.c.delivered_at).where(
            SHIPMENTS_T.c.order_id.in_(order_ids), SHIPMENTS_T.c.direction == "outbound"
        )
    ):
        if at is not None:
            delivered[int(order_id)] = min(delivered.get(int(order_id), 2**62), int(at.timestamp()))
    return [
        ClaimEvent(
            opened_s=int(opened.timestamp()), is_refund_only=kind == "refund_only",
            is_return=kind == "return_and_refund", claimed_minor=int(claimed),
            order_total_minor=totals.get(int(order_id), 0),
            delivered_s=delivered.get(int(order_id)),
            ruled_s=_s(latest[int(case_id)][2]) if int(case_id) in latest else None,
            against_buyer=int(case_id) in latest and latest[int(case_id)][1] == "buyer",
            forgery_suspected=bool(forgery),
        )
        for case_id, order_id, kind, claimed, opened, forgery in cases
    ]  # fmt: skip
