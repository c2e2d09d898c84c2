"""Applying one validated row through the owning modules' services.

Each applier first asks whether the thing is already there (then the row is a no-op, so a
retried import is safe), then creates it. It never touches another module's tables, and it
raises the services' DomainErrors unchanged: the caller turns them into a rejected row.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from tradeshield.buyers import service as buyers
from tradeshield.buyers.schemas import BuyerIn
from tradeshield.cases import service as cases
from tradeshield.cases.schemas import CaseIn
from tradeshield.catalog import service as catalog
from tradeshield.errors import NotFound
from tradeshield.imports.kinds import ImportKind
from tradeshield.imports.rows import CaseRow, ImportRow, OrderRow, ShipmentRow
from tradeshield.orders import service as orders
from tradeshield.orders.schemas import OrderIn, OrderLineIn
from tradeshield.pagination import PageOf, PageRequest
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import Direction
from tradeshield.shipments.schemas import ShipmentIn
from tradeshield.tenancy.scope import Scope

RowT = TypeVar("RowT", bound=ImportRow)
ItemT = TypeVar("ItemT")
_PAGE = PageRequest(limit=200)


class Outcome(enum.Enum):
    IMPORTED = "imported"
    ALREADY_PRESENT = "already_present"


@dataclass(slots=True)
class Lookups:
    """What one run remembers to spare the database repeated questions.

    Shops and products by reference: an import never creates them, so a rolled-back row
    cannot leave a stale entry. The loaded rows are also held, which keeps them in the
    session's identity map: the services' own ``get_merchant``/``get_product`` checks then
    cost no query. Identifiers linked to a buyer are remembered only once their row can no
    longer fail, so a row that repeats them skips the linking.
    """

    merchant_ids: dict[str, int] = field(default_factory=dict)
    product_ids: dict[tuple[int, str], int] = field(default_factory=dict)
    linked: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    held: list[object] = field(default_factory=list)

    def merchant_id(self, session: Session, scope: Scope, merchant_ref: str) -> int:
        if merchant_ref not in self.merchant_ids:
            merchant = catalog.find_merchant(session, scope, merchant_ref)
            self.merchant_ids[merchant_ref] = merchant.id
            self.held.append(merchant)
        return self.merchant_ids[merchant_ref]

    def product_id(self, session: Session, scope: Scope, merchant_id: int, sku: str) -> int:
        key = (merchant_id, sku)
        if key not in self.product_ids:
            product = catalog.find_product(session, scope, merchant_id, sku)
            self.product_ids[key] = product.id
            self.held.append(product)
        return self.product_ids[key]


def _every(fetch: Callable[[PageRequest], PageOf[ItemT]]) -> Iterator[ItemT]:
    page = _PAGE
    while True:
        found = fetch(page)
        yield from found.items
        if found.next_cursor is None:
            return
        page = PageRequest(cursor=found.next_cursor, limit=_PAGE.limit)


def apply_order(session: Session, scope: Scope, row: OrderRow, lookups: Lookups) -> Outcome:
    try:
        orders.find_order(session, scope, row.external_ref)
        return Outcome.ALREADY_PRESENT
    except NotFound:
        pass
    merchant_id = lookups.merchant_id(session, scope, row.merchant_ref)
    lines = [
        OrderLineIn(
            product_id=lookups.product_id(session, scope, merchant_id, line.sku),
            quantity=line.quantity,
            unit_price_minor=line.unit_price_minor,
            promo=line.promo,
        )
        for line in row.lines
    ]
    order_in = OrderIn(
        merchant_id=merchant_id,
        buyer_id=_buyer_id(session, scope, row, lookups),
        external_ref=row.external_ref,
        placed_at=row.placed_at,
        paid_at=row.paid_at,
        currency=row.currency,
        lines=lines,
    )
    orders.create_order(session, scope, order_in)
    lookups.linked.setdefault(row.buyer_ref, set()).update(_pairs(row))
    return Outcome.IMPORTED


def _pairs(row: OrderRow) -> set[tuple[str, str]]:
    return {(identifier.kind.value, identifier.value) for identifier in row.identifiers()}


def _buyer_id(session: Session, scope: Scope, row: OrderRow, lookups: Lookups) -> int:
    """The buyer named by the row, created on first sight with the identifiers it carries."""
    identifiers = row.identifiers()
    found = buyers.find_buyer(session, scope, row.buyer_ref)
    if found is None:
        # An account exists no later than its first order; "now" would make every imported
        # buyer look brand new to the integrity checks.
        buyer_in = BuyerIn(
            external_ref=row.buyer_ref,
            registered_at=row.buyer_registered_at or row.placed_at,
            identifiers=identifiers,
        )
        return buyers.create_buyer(session, scope, buyer_in).id
    if not _pairs(row) <= lookups.linked.get(row.buyer_ref, set()):
        buyers.link_identifiers(session, scope, found.id, identifiers)
    return found.id


def apply_shipment(session: Session, scope: Scope, row: ShipmentRow, lookups: Lookups) -> Outcome:
    order = orders.find_order(session, scope, row.order_ref)
    listed = _every(
        lambda page: shipments.list_shipments(
            session, scope, page, order_id=order.id, direction=Direction.OUTBOUND
        )
    )
    if any(s.carrier == row.carrier and s.tracking_number == row.tracking_number for s in listed):
        return Outcome.ALREADY_PRESENT
    shipment_in = ShipmentIn(
        order_id=order.id,
        carrier=row.carrier,
        tracking_number=row.tracking_number,
        shipped_at=row.shipped_at,
        promised_delivery_at=row.promised_delivery_at,
        declared_weight_grams=row.declared_weight_grams,
        measured_weight_grams=row.measured_weight_grams,
    )
    shipment = shipments.create_shipment(session, scope, shipment_in)
    # A scan moves the parcel's status forward, so scans go in the order they happened,
    # whatever order the file lists them in.
    for scan in sorted(row.scans, key=lambda scan: scan.occurred_at):
        shipments.add_scan(session, scope, shipment.id, scan)
    return Outcome.IMPORTED


def apply_case(session: Session, scope: Scope, row: CaseRow, lookups: Lookups) -> Outcome:
    order = orders.find_order(session, scope, row.order_ref)
    listed = _every(lambda page: cases.list_cases(session, scope, page, order_id=order.id))
    if any(case.external_ref == row.external_ref for case in listed):
        return Outcome.ALREADY_PRESENT
    case_in = CaseIn(
        order_id=order.id,
        kind=row.kind,
        reason_code=row.reason_code,
        claimed_amount_minor=row.claimed_amount_minor,
        currency=row.currency,
        description=row.description,
        external_ref=row.external_ref,
        opened_at=row.opened_at,
    )
    cases.open_case(session, scope, case_in)
    return Outcome.IMPORTED


@dataclass(frozen=True, slots=True)
class RowHandler(Generic[RowT]):
    model: type[RowT]
    apply: Callable[[Session, Scope, RowT, Lookups], Outcome]


HANDLERS: dict[ImportKind, RowHandler[Any]] = {
    ImportKind.ORDERS: RowHandler(OrderRow, apply_order),
    ImportKind.SHIPMENTS: RowHandler(ShipmentRow, apply_shipment),
    ImportKind.CASES: RowHandler(CaseRow, apply_case),
}
