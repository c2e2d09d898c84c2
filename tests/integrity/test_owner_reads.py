"""The owners' read functions integrity builds its frames from: a whole tenant as a columnar
frame (ADBC, committed rows), one account's rows as tuples; plain values, times as whole
epoch seconds computed by the database, one tenant only."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import polars as pl
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.factories import (
    PLACED_AT,
    make_buyer,
    make_marketplace,
    make_order,
    make_tenant,
    open_case,
)
from tradeshield import bulk_frames
from tradeshield.bulk_frames import read_frame
from tradeshield.buyers import service as buyers
from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import Party
from tradeshield.cases.lifecycle import Action
from tradeshield.cases.schemas import MerchantAccept
from tradeshield.catalog import service as catalog
from tradeshield.demo.service import generate
from tradeshield.evidence import service as evidence
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.evidence.schemas import TextEvidenceIn
from tradeshield.forensics import flag_reads as forensic_reads
from tradeshield.forensics.models import ForensicReportRecord
from tradeshield.integrity.history import load_history
from tradeshield.integrity.sources import load_market
from tradeshield.orders import service as orders
from tradeshield.orders.schemas import OrderIn, OrderLineIn
from tradeshield.returns import mismatch_reads as returns_reads
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import ScanKind
from tradeshield.shipments.schemas import ScanIn, ShipmentIn

# Not on a whole second, to show the database rounds down like int(moment.timestamp()).
ODD_MOMENT = dt.datetime(2026, 10, 3, 17, 45, 12, 987_654, tzinfo=dt.UTC)


def _all(rows: Sequence[Any] | pl.DataFrame) -> list[tuple[Any, ...]]:
    if isinstance(rows, pl.DataFrame):
        return rows.rows()
    return [tuple(row) for row in rows]


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
    session.commit()
    tenant = scope.tenant_id
    frame = read_frame(session, orders.order_frame_query(session, tenant))
    assert frame.schema == pl.Schema(orders.ORDER_FRAME)
    everyone = _all(frame)
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
    assert (odd.id, product.id) in _all(
        read_frame(session, orders.line_frame_query(session, tenant))
    )
    categories = _all(catalog.product_categories(session, tenant, [product.id]))
    assert categories == [(product.id, "fruit")]
    assert _all(read_frame(session, catalog.product_category_frame_query(session, tenant))) == [
        (product.id, "fruit")
    ]


def test_another_tenants_rows_are_never_read(session: Session) -> None:
    market = make_marketplace(session)
    other = make_tenant(session).scope.tenant_id
    session.commit()
    order = market.order
    assert _all(orders.order_rows(session, other, order.buyer_id)) == []
    assert _all(orders.line_products(session, other, [order.id])) == []
    assert _all(catalog.product_categories(session, other, [market.product.id])) == []
    frames = bulk_frames.read_frames(session, {
        "orders": orders.order_frame_query(session, other),
        "lines": orders.line_frame_query(session, other),
        "products": catalog.product_category_frame_query(session, other),
        "accounts": buyers.account_frame_query(session, other),
        "identifiers": buyers.identifier_frame_query(session, other),
        "cases": cases.case_frame_query(session, other),
        "rulings": cases.ruling_frame_query(session, other),
        "delivered": shipments.delivery_frame_query(session, other),
    })  # fmt: skip
    assert {name: frame.height for name, frame in frames.items()} == dict.fromkeys(frames, 0)
    assert frames["accounts"].schema == pl.Schema(buyers.ACCOUNT_FRAME)
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
    session.commit()
    frame = read_frame(session, buyers.identifier_frame_query(session, scope.tenant_id))
    assert frame.schema == pl.Schema(buyers.IDENTIFIER_FRAME)
    rows = _all(frame)
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
    parcel_in = ShipmentIn(order_id=order.id, carrier="SF", tracking_number="SF1")
    parcel = shipments.create_shipment(session, scope, parcel_in)
    assert _all(shipments.delivery_rows(session, scope.tenant_id, [order.id])) == [(order.id, None)]
    session.commit()
    assert _all(read_frame(session, shipments.delivery_frame_query(session, scope.tenant_id))) == [
        (order.id, None)
    ]
    delivered = ScanIn(occurred_at=ODD_MOMENT + dt.timedelta(days=2), kind=ScanKind.DELIVERED)
    shipments.add_scan(session, scope, parcel.id, delivered)
    expected = [(order.id, _floor_s(delivered.occurred_at))]
    assert _all(shipments.delivery_rows(session, scope.tenant_id, [order.id])) == expected
    session.commit()
    assert (
        _all(read_frame(session, shipments.delivery_frame_query(session, scope.tenant_id)))
        == expected
    )
    assert _all(read_frame(session, cases.case_frame_query(session, scope.tenant_id))) == [
        (case.id, order.buyer_id, order.id, "refund_only", case.claimed_amount_minor,
         _floor_s(ODD_MOMENT), False),
    ]  # fmt: skip
    assert _all(read_frame(session, cases.ruling_frame_query(session, scope.tenant_id))) == [
        (r.case_id, r.sequence, r.liable_party.value, _floor_s(r.created_at)) for r in stored
    ]


def test_frames_read_committed_rows_through_their_own_connection(session: Session) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    session.commit()
    pending = make_order(session, scope, market.merchant, market.product)
    assert bulk_frames.reads_by_adbc(session)
    assert (
        pending.id
        not in read_frame(session, orders.order_frame_query(session, scope.tenant_id))[
            "order_id"
        ].to_list()
    )
    session.commit()
    assert (
        pending.id
        in read_frame(session, orders.order_frame_query(session, scope.tenant_id))[
            "order_id"
        ].to_list()
    )


def test_a_database_adbc_cannot_open_is_read_through_the_session_into_the_same_frame(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    market = make_marketplace(session)
    scope = market.keys.scope
    make_order(session, scope, market.merchant, market.product)
    session.commit()
    by_adbc = read_frame(session, orders.order_frame_query(session, scope.tenant_id)).sort(
        "order_id"
    )
    monkeypatch.setattr(bulk_frames, "reads_by_adbc", lambda _session: False)
    through_session = read_frame(session, orders.order_frame_query(session, scope.tenant_id)).sort(
        "order_id"
    )
    assert through_session.equals(by_adbc)
    assert through_session.height == 2
    empty = read_frame(session, orders.order_frame_query(session, scope.tenant_id + 999))
    assert empty.schema == pl.Schema(orders.ORDER_FRAME)


def test_sqlite_frames_come_from_a_child_so_the_session_keeps_its_write_ahead_log(
    session: Session,
) -> None:
    # ADBC's SQLite is a second copy of the library; in this process it would drop the
    # session's locks and delete the log under it (a commit after a read was lost).
    market = make_marketplace(session)
    scope = market.keys.scope
    session.commit()
    before = read_frame(session, orders.order_frame_query(session, scope.tenant_id))
    added = make_order(session, scope, market.merchant, market.product)
    session.commit()
    after = read_frame(session, orders.order_frame_query(session, scope.tenant_id))
    assert after["order_id"].to_list() == [*before["order_id"].to_list(), added.id]
    assert "adbc_driver_sqlite" not in sys.modules


def _forensic_report(session: Session, market: Any, case_id: int, verdict: str) -> None:
    item = evidence.add_text(session, market.keys.scope, TextEvidenceIn(
        case_id=case_id, kind=EvidenceKind.TEXT, submitted_by=Party.BUYER, text="photo note",
    ))  # fmt: skip
    session.add(ForensicReportRecord(
        tenant_id=market.keys.scope.tenant_id, evidence_id=item.id, case_id=case_id,
        merchant_id=market.merchant.id, requested_by="test", score=0.9, verdict=verdict,
        width=10, height=10,
    ))  # fmt: skip


def test_a_case_a_forensic_report_found_forged_counts_as_suspected_in_both_paths(
    session: Session,
) -> None:
    market = make_marketplace(session)
    tenant = market.keys.scope.tenant_id
    forged = open_case(session, market)
    _forensic_report(session, market, forged.id, "forged")
    _forensic_report(session, market, forged.id, "forged")  # two reports: one case
    second = make_order(session, market.keys.scope, market.merchant, market.product)
    doubtful = open_case(session, replace(market, order=second))
    _forensic_report(session, market, doubtful.id, "suspicious")  # not enough
    other = make_tenant(session).scope.tenant_id
    session.commit()
    frame = read_frame(session, forensic_reads.forged_case_frame_query(session, tenant))
    assert _all(frame) == [(forged.id,)]
    assert forensic_reads.forged_case_ids(session, tenant, [forged.id, doubtful.id]) == {forged.id}
    assert forensic_reads.forged_case_ids(session, other, [forged.id]) == set()
    assert read_frame(session, forensic_reads.forged_case_frame_query(session, other)).height == 0
    claims = load_market(session, tenant).claims.sort("opened_s")
    suspected = dict(zip(claims["order_id"], claims["forgery_suspected"], strict=True))
    assert suspected == {market.order.id: True, second.id: False}
    for order, expected in ((market.order, True), (second, False)):
        history = load_history(session, tenant, order.buyer_id)
        assert history is not None
        assert [c.forgery_suspected for c in history.claims] == [expected]  # a buyer each


def test_return_check_mismatches_are_read_for_the_buyer_liable_ones_only(engine: Any) -> None:
    summary = generate(engine, 4_000, 3)
    tenant = summary.tenant_id
    with Session(engine) as session:
        frame = read_frame(session, returns_reads.mismatch_frame_query(session, tenant))
        stored = session.execute(text(
            "SELECT buyer_id, order_id, result, liable_party, confirmed FROM return_verifications"
        )).all()  # fmt: skip
        expected = sorted(
            (buyer, order) for buyer, order, result, liable, _ in stored
            if result == "mismatch" and liable == "buyer"
        )  # fmt: skip
        assert expected
        assert sorted(frame.select("buyer_id", "order_id").rows()) == expected
        assert frame["confirmed"].sum() == 0  # the demo's merchant has confirmed none yet
        buyer = expected[0][0]
        one = returns_reads.mismatch_rows(session, tenant, buyer)
        assert sorted(row[1] for row in one) == sorted(o for b, o in expected if b == buyer)
        assert [row[2] for row in one] == [
            r for b, r in zip(frame["buyer_id"], frame["checked_s"], strict=True) if b == buyer
        ]
        assert returns_reads.mismatch_rows(session, tenant + 1000, buyer) == []
