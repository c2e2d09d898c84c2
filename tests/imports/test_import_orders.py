"""Importing orders: rows applied alone, bad rows reported by line, strict, and re-runs."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from tests.imports.sample_shop import MERCHANT_REF, OrderRefs, Shop, WriteCsv, WriteJsonl

from tradeshield.buyers import service as buyers
from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.db import session_factory
from tradeshield.imports.kinds import ImportKind
from tradeshield.imports.service import import_file
from tradeshield.orders import service as orders


def _order(ref: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "external_ref": ref,
        "merchant_ref": MERCHANT_REF,
        "buyer_ref": "B-1",
        "placed_at": "2026-11-01T09:00:00+08:00",
        "currency": "CNY",
        "lines": [{"sku": "ORANGE-5", "quantity": 2, "unit_price_minor": 5990}],
    }
    row.update(changes)
    return row


GOOD_ORDERS = [
    _order("O-1", phone="+86 138 0013 8000", paid_at="2026-11-01T09:05:00+08:00"),
    _order(
        "O-2",
        lines=[
            {"sku": "ORANGE-5", "quantity": 1, "unit_price_minor": 5990},
            {"sku": "APPLE-3", "quantity": 3, "unit_price_minor": 3500, "promo": True},
        ],
    ),
]

CSV_HEADER = [
    *("external_ref", "merchant_ref", "buyer_ref", "phone", "placed_at", "paid_at", "currency"),
    *("sku", "quantity", "unit_price_minor", "promo"),
]
O1 = ["O-1", MERCHANT_REF, "B-1", "+86 138 0013 8000", "2026-11-01T09:00:00+08:00"]
O2 = ["O-2", MERCHANT_REF, "B-1", "", "2026-11-01T09:00:00+08:00", "", "CNY"]
GOOD_CSV_ROWS = [
    [*O1, "2026-11-01T09:05:00+08:00", "CNY", "ORANGE-5", "2", "5990", ""],
    [*O2, "ORANGE-5", "1", "5990", "false"],
    [*O2, "APPLE-3", "3", "3500", "true"],
]


def _check_the_two_good_orders(session: Session, shop: Shop) -> None:
    first = orders.find_order(session, shop.scope, "O-1")
    second = orders.find_order(session, shop.scope, "O-2")
    assert first.total_minor == 2 * 5990
    assert second.total_minor == 5990 + 3 * 3500
    assert [line.promo for line in second.lines] == [False, True]
    assert first.buyer_id == second.buyer_id
    buyer = buyers.get_buyer(session, shop.scope, first.buyer_id)
    assert [i.kind for i in buyer.identifiers] == [IdentifierKind.PHONE]
    assert buyer.registered_at == first.placed_at


def test_good_jsonl_orders_are_imported_with_their_buyer(
    session: Session, shop: Shop, write_jsonl: WriteJsonl
) -> None:
    path = write_jsonl("orders.jsonl", GOOD_ORDERS)
    report = import_file(session, shop.scope, path, ImportKind.ORDERS)
    assert (report.imported, report.already_present, report.rejected) == (2, 0, 0)
    _check_the_two_good_orders(session, shop)


def test_good_csv_orders_fold_their_lines_and_import_alike(
    session: Session, shop: Shop, write_csv: WriteCsv
) -> None:
    path = write_csv("orders.csv", CSV_HEADER, GOOD_CSV_ROWS)
    report = import_file(session, shop.scope, path, ImportKind.ORDERS)
    assert (report.imported, report.rejected) == (2, 0)
    _check_the_two_good_orders(session, shop)


BAD_FILE: list[dict[str, Any] | str] = [
    _order("O-1"),
    _order("O-2", lines=[{"sku": "ORANGE-5", "quantity": "two", "unit_price_minor": 5990}]),
    _order("O-3", merchant_ref="M-NOBODY"),
    _order("O-4", lines=[{"sku": "ORANGE-5", "quantity": 1, "unit_price_minor": -5990}]),
    _order("O-5", placed_at="2026-11-01T09:00:00"),
    _order("O-1"),
    "{not json",
    _order("O-6", lines=[{"sku": "PEAR-1", "quantity": 1, "unit_price_minor": 100}]),
    _order("O-7"),
]
BAD_LINES = {
    2: "lines.0.quantity: Input should be a valid integer",
    3: "no merchant with external_ref 'M-NOBODY'",
    4: "lines.0.unit_price_minor: Input should be greater than or equal to 0",
    5: "placed_at: timestamp must carry a timezone offset",
    6: "order 'O-1' is already on line 1 of this file",
    7: "not valid JSON",
    8: "has no product with SKU 'PEAR-1'",
}


def test_bad_rows_are_reported_by_line_and_the_good_ones_still_import(
    session: Session, shop: Shop, write_jsonl: WriteJsonl, order_refs: OrderRefs
) -> None:
    path = write_jsonl("orders.jsonl", BAD_FILE)
    report = import_file(session, shop.scope, path, ImportKind.ORDERS)
    assert (report.imported, report.rejected) == (2, len(BAD_LINES))
    assert [p.line for p in report.problems] == sorted(BAD_LINES)
    for problem in report.problems:
        assert BAD_LINES[problem.line] in problem.reason, problem
        assert "\n" not in problem.reason
    assert order_refs(session) == ["O-1", "O-7"]


def test_strict_mode_writes_nothing_when_any_row_is_bad(
    engine: Engine, session: Session, shop: Shop, write_jsonl: WriteJsonl, order_refs: OrderRefs
) -> None:
    path = write_jsonl("orders.jsonl", BAD_FILE)
    report = import_file(session, shop.scope, path, ImportKind.ORDERS, strict=True)
    session.commit()
    assert report.refused
    assert report.imported == 0
    assert [p.line for p in report.problems] == sorted(BAD_LINES)
    with session_factory(engine)() as fresh:
        assert order_refs(fresh) == []
        assert buyers.find_buyer(fresh, shop.scope, "B-1") is None


def test_strict_mode_imports_a_clean_file_whole(
    session: Session, shop: Shop, write_jsonl: WriteJsonl, order_refs: OrderRefs
) -> None:
    path = write_jsonl("orders.jsonl", GOOD_ORDERS)
    report = import_file(session, shop.scope, path, ImportKind.ORDERS, strict=True)
    assert (report.refused, report.imported) == (False, 2)
    assert order_refs(session) == ["O-1", "O-2"]


@pytest.mark.parametrize("strict", [False, True])
def test_importing_the_same_file_again_changes_nothing(
    engine: Engine,
    session: Session,
    shop: Shop,
    write_csv: WriteCsv,
    order_refs: OrderRefs,
    strict: bool,
) -> None:
    path = write_csv("orders.csv", CSV_HEADER, GOOD_CSV_ROWS)
    import_file(session, shop.scope, path, ImportKind.ORDERS, strict=strict)
    session.commit()
    with session_factory(engine)() as again:
        report = import_file(again, shop.scope, path, ImportKind.ORDERS, strict=strict)
        again.commit()
    assert (report.imported, report.already_present, report.rejected) == (0, 2, 0)
    assert order_refs(session) == ["O-1", "O-2"]


def test_a_rolled_back_import_leaves_nothing_behind(
    engine: Engine, session: Session, shop: Shop, write_jsonl: WriteJsonl, order_refs: OrderRefs
) -> None:
    """The caller's rollback undoes every row, even on SQLite where savepoints need care."""
    path = write_jsonl("orders.jsonl", GOOD_ORDERS)
    report = import_file(session, shop.scope, path, ImportKind.ORDERS)
    session.rollback()
    assert report.imported == 2
    with session_factory(engine)() as fresh:
        assert order_refs(fresh) == []


def test_a_known_buyer_is_reused_and_gains_the_new_identifiers(
    session: Session, shop: Shop, write_jsonl: WriteJsonl
) -> None:
    path = write_jsonl(
        "orders.jsonl",
        [
            _order("O-1", phone="13800138000"),
            _order("O-2", phone="+86 138-0013-8000", device="ios-ABC"),
        ],
    )
    report = import_file(session, shop.scope, path, ImportKind.ORDERS)
    assert report.imported == 2
    buyer = buyers.find_buyer(session, shop.scope, "B-1")
    assert buyer is not None
    kinds = sorted(i.kind.value for i in buyer.identifiers)
    assert kinds == ["device", "phone", "phone"]


def test_rows_of_one_csv_order_that_disagree_are_rejected_whole(
    session: Session, shop: Shop, write_csv: WriteCsv, order_refs: OrderRefs
) -> None:
    rows = [GOOD_CSV_ROWS[1], [*O2[:-1], "USD", "APPLE-3", "3", "3500", "true"]]
    path = write_csv("orders.csv", CSV_HEADER, rows)
    report = import_file(session, shop.scope, path, ImportKind.ORDERS)
    assert [str(p) for p in report.problems] == [
        "line 2: column currency differs between lines 2 and 3 of the same group;"
        " every row of a group must repeat the same values"
    ]
    assert order_refs(session) == []
