"""The owners' bulk read functions integrity builds its frames from: plain values, times as
whole epoch seconds computed by the database, one tenant only, streamed in chunks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.factories import (
    PLACED_AT,
    make_buyer,
    make_marketplace,
    make_order,
    make_tenant,
    open_case,
)
from tradeshield import bulk_reads
from tradeshield.buyers import service as buyers
from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.cases import service as cases
from tradeshield.cases.lifecycle import Action
from tradeshield.cases.schemas import MerchantAccept
from tradeshield.catalog import service as catalog
from tradeshield.orders import service as orders
from tradeshield.orders.schemas import OrderIn, OrderLineIn
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import ScanKind
from tradeshield.shipments.schemas import ScanIn, ShipmentIn

# Not on a whole second, to show the database rounds down like int(moment.timestamp()).
ODD_MOMENT = dt.datetime(2026, 10, 3, 17, 45, 12, 987_654, tzinfo=dt.UTC)


def _all(chunks: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in chain.from_iterable(chunks)]


def _floor_s(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def test_order_rows_give_times_as_whole_epoch_seconds_and_narrow_to_a_buyer(
    session: Session,
) -> None:
    market = make_marketplace(session)
    scope, product = market.keys.scope, market.product
    buyer = make_buyer(session, scope)
    line = OrderLineIn(product_id=product.id, quantity=1, unit_price_minor=product.price_minor)
    order_in = OrderIn(
        merchant_id=market.merchant.id, buyer_id=buyer.id, placed_at=ODD_MOMENT,
        currency="CNY", lines=[line],
    )  # fmt: skip
    odd = orders.create_order(session, scope, order_in)
    tenant = scope.tenant_id
    everyone = _all(orders.order_rows(session, tenant))
    first = market.order
    assert sorted(everyone) == sorted(
        [
            (first.id, first.buyer_id, _floor_s(PLACED_AT), first.total_minor),
            (odd.id, buyer.id, _floor_s(ODD_MOMENT), product.price_minor),
        ]
    )
    assert _all(orders.order_rows(session, tenant, buyer.id)) == [
        (odd.id, buyer.id, _floor_s(ODD_MOMENT), product.price_minor)
    ]
    assert _all(orders.line_products(session, tenant, [odd.id])) == [(odd.id, product.id)]
    assert _all(orders.line_products(session, tenant, [])) == []
    categories = _all(catalog.product_categories(session, tenant, [product.id]))
    assert categories == [(product.id, "fruit")]


def test_another_tenants_rows_are_never_read(session: Session) -> None:
    market = make_marketplace(session)
    other = make_tenant(session).scope.tenant_id
    assert _all(orders.order_rows(session, other)) == []
    assert _all(orders.line_products(session, other)) == []
    assert _all(catalog.product_categories(session, other)) == []
    assert _all(buyers.account_rows(session, other)) == []
    assert buyers.registration_of(session, other, market.order.buyer_id) is None
    assert buyers.registration_of(session, market.keys.scope.tenant_id, market.order.buyer_id)


def test_identifiers_are_plain_values_and_links_stay_within_the_tenant(
    session: Session,
) -> None:
    scope = make_tenant(session).scope
    alice = make_buyer(session, scope, phone="13800000001")
    twin = make_buyer(session, scope, phone="13800000001")
    make_buyer(session, scope, phone="13900000002")
    elsewhere = make_tenant(session).scope
    make_buyer(session, elsewhere, phone="13800000001")
    rows = _all(buyers.identifier_rows(session, scope.tenant_id))
    assert len(rows) == 3
    assert {type(kind) for _, kind, _ in rows} == {str}  # the stored value, not the enum
    assert {kind for _, kind, _ in rows} == {"phone"}
    linked = buyers.linked_buyers(session, scope.tenant_id, alice.id, limit=10)
    assert linked == {twin.id: [IdentifierKind.PHONE]}


def test_cases_and_parcels_read_as_plain_values_with_epoch_times(session: Session) -> None:
    market = make_marketplace(session)
    scope, order = market.keys.scope, market.order
    case = open_case(session, market, opened_at=ODD_MOMENT)
    rows = _all(cases.case_rows(session, scope.tenant_id, order.buyer_id))
    assert rows == [
        (case.id, order.buyer_id, order.id, "refund_only", case.claimed_amount_minor,
         _floor_s(ODD_MOMENT), False),
    ]  # fmt: skip
    assert type(rows[0][3]) is str
    assert _all(cases.case_rows(session, scope.tenant_id, order.buyer_id + 999)) == []
    cases.act(
        session, scope, case.id, MerchantAccept(action=Action.MERCHANT_ACCEPT, note="refunding")
    )
    stored = cases.rulings_of(session, scope, case.id)
    assert stored
    assert _all(cases.ruling_rows(session, scope.tenant_id, [case.id])) == [
        (r.case_id, r.sequence, r.liable_party.value, _floor_s(r.created_at)) for r in stored
    ]
    assert {type(row[2]) for row in _all(cases.ruling_rows(session, scope.tenant_id))} == {str}
    parcel_in = ShipmentIn(order_id=order.id, carrier="SF", tracking_number="SF1")
    parcel = shipments.create_shipment(session, scope, parcel_in)
    assert _all(shipments.delivery_rows(session, scope.tenant_id)) == [(order.id, None)]
    delivered = ScanIn(occurred_at=ODD_MOMENT + dt.timedelta(days=2), kind=ScanKind.DELIVERED)
    shipments.add_scan(session, scope, parcel.id, delivered)
    expected = [(order.id, _floor_s(delivered.occurred_at))]
    assert _all(shipments.delivery_rows(session, scope.tenant_id, [order.id])) == expected


def test_bulk_reads_stream_in_chunks_and_narrowed_reads_come_in_one(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    made = [market.order.id]
    made += [make_order(session, scope, market.merchant, market.product).id for _ in range(2)]
    monkeypatch.setattr(bulk_reads, "CHUNK_ROWS", 2)
    chunks = list(orders.order_rows(session, scope.tenant_id))
    assert [len(chunk) for chunk in chunks] == [2, 1]
    assert sorted(row[0] for chunk in chunks for row in chunk) == sorted(made)
    narrowed = list(orders.line_products(session, scope.tenant_id, made))
    assert [len(chunk) for chunk in narrowed] == [3]
