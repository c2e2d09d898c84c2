"""One account's events, for the incremental path (a few small reads through the owners'
services, the same ones the bulk path reads, narrowed to the account)."""

from __future__ import annotations

import zlib

from sqlalchemy.orm import Session

from tradeshield.buyers import service as buyers_service
from tradeshield.cases import service as cases_service
from tradeshield.catalog import service as catalog_service
from tradeshield.forensics import flag_reads as forensics_reads
from tradeshield.integrity.account_features import (
    AccountHistory,
    ClaimEvent,
    MismatchEvent,
    OrderEvent,
)
from tradeshield.integrity.sources import NO_CATEGORY
from tradeshield.orders import service as orders_service
from tradeshield.returns import mismatch_reads as returns_reads
from tradeshield.shipments import service as shipments_service


def _category_code(category: str | None) -> int:
    return NO_CATEGORY if category is None else zlib.crc32(category.encode())


def load_history(session: Session, tenant_id: int, buyer_id: int) -> AccountHistory | None:
    """The account's orders and claims, or None if it is not an account of this tenant."""
    registered = buyers_service.registration_of(session, tenant_id, buyer_id)
    if registered is None:
        return None
    history = AccountHistory(registered_s=int(registered.timestamp()))
    orders = orders_service.order_rows(session, tenant_id, buyer_id)
    totals = {order_id: total for order_id, _, _, total in orders}
    first = _first_categories(session, tenant_id, list(totals)) if totals else {}
    history.orders = [
        OrderEvent(placed_s, total, _category_code(first.get(order_id)))
        for order_id, _, placed_s, total in orders
    ]
    history.claims = _claims(session, tenant_id, buyer_id, totals)
    history.mismatches = [
        MismatchEvent(checked_s, bool(confirmed))
        for _, _, checked_s, confirmed in returns_reads.mismatch_rows(session, tenant_id, buyer_id)
    ]
    return history


def _first_categories(session: Session, tenant_id: int, order_ids: list[int]) -> dict[int, str]:
    # The first category by code point, as the bulk path takes it (not the database's
    # collation, which differs between SQLite and PostgreSQL).
    lines = orders_service.line_products(session, tenant_id, order_ids)
    product_ids = list({product_id for _, product_id in lines})
    categories = catalog_service.product_categories(session, tenant_id, product_ids)
    category_of = {product_id: category for product_id, category in categories}
    first: dict[int, str] = {}
    for order_id, product_id in lines:
        category = category_of.get(product_id)
        if category is not None:
            first[order_id] = min(first.get(order_id, category), category)
    return first


def _claims(
    session: Session, tenant_id: int, buyer_id: int, totals: dict[int, int]
) -> list[ClaimEvent]:
    cases = cases_service.case_rows(session, tenant_id, buyer_id)
    if not cases:
        return []
    latest: dict[int, tuple[int, str, int]] = {}
    case_ids = [case[0] for case in cases]
    for case_id, sequence, liable, ruled_s in cases_service.ruling_rows(
        session, tenant_id, case_ids
    ):
        if case_id not in latest or sequence > latest[case_id][0]:
            latest[case_id] = (sequence, liable, ruled_s)
    forged = forensics_reads.forged_case_ids(session, tenant_id, case_ids)
    order_ids = list({case[2] for case in cases})
    delivered: dict[int, int] = {}
    for order_id, delivered_s in shipments_service.delivery_rows(session, tenant_id, order_ids):
        if delivered_s is not None:
            delivered[order_id] = min(delivered.get(order_id, delivered_s), delivered_s)
    return [
        ClaimEvent(
            opened_s=opened_s, is_refund_only=kind == "refund_only",
            is_return=kind == "return_and_refund", claimed_minor=claimed,
            order_total_minor=totals.get(order_id, 0), delivered_s=delivered.get(order_id),
            ruled_s=latest[case_id][2] if case_id in latest else None,
            against_buyer=case_id in latest and latest[case_id][1] == "buyer",
            forgery_suspected=bool(forgery) or case_id in forged,
        )
        for case_id, _, order_id, kind, claimed, opened_s, forgery in cases
    ]  # fmt: skip
