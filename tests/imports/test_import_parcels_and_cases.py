"""Importing parcels with their scans, and cases, in both formats; re-runs change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.imports.sample_shop import MERCHANT_REF, Shop, WriteCsv, WriteJsonl

from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseState
from tradeshield.imports.kinds import ImportKind
from tradeshield.imports.service import import_file
from tradeshield.orders import service as orders
from tradeshield.pagination import PageRequest
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import ScanKind, ShipmentStatus

ORDER = {
    "external_ref": "O-1",
    "merchant_ref": MERCHANT_REF,
    "buyer_ref": "B-1",
    "placed_at": "2026-11-01T09:00:00Z",
    "currency": "CNY",
    "lines": [{"sku": "ORANGE-5", "quantity": 2, "unit_price_minor": 5990}],
}


@pytest.fixture
def order_id(session: Session, shop: Shop, write_jsonl: WriteJsonl) -> int:
    path = write_jsonl("orders.jsonl", [ORDER])
    assert import_file(session, shop.scope, path, ImportKind.ORDERS).imported == 1
    return orders.find_order(session, shop.scope, "O-1").id


PARCEL_HEADER = [
    *("order_ref", "carrier", "tracking_number", "shipped_at", "declared_weight_grams"),
    *("scan_occurred_at", "scan_kind", "scan_location"),
]
SF1 = ["O-1", "SF", "SF100", "2026-11-01T12:00:00Z", "2500"]
SF2 = ["O-1", "SF", "SF200", "", ""]


def _parcels_csv(write_csv: WriteCsv) -> Path:
    # The delivery scan is listed first: scans go in by time, not by file order.
    return write_csv(
        "parcels.csv",
        PARCEL_HEADER,
        [
            [*SF1, "2026-11-03T10:00:00Z", "delivered", "Hangzhou"],
            [*SF1, "2026-11-01T13:00:00Z", "picked_up", "Ganzhou"],
            [*SF2, "", "", ""],
        ],
    )


def _check_parcels(session: Session, shop: Shop, order_id: int) -> None:
    page = shipments.list_shipments(session, shop.scope, PageRequest(), order_id=order_id)
    by_number = {s.tracking_number: s for s in page.items}
    assert sorted(by_number) == ["SF100", "SF200"]
    delivered = by_number["SF100"]
    assert delivered.status is ShipmentStatus.DELIVERED
    assert delivered.declared_weight_grams == 2500
    scans = shipments.scans_of(session, shop.scope, delivered.id)
    assert [s.kind for s in scans] == [ScanKind.PICKED_UP, ScanKind.DELIVERED]
    assert shipments.scans_of(session, shop.scope, by_number["SF200"].id) == []


def test_csv_parcels_import_with_their_scans_in_time_order(
    session: Session, shop: Shop, order_id: int, write_csv: WriteCsv
) -> None:
    report = import_file(session, shop.scope, _parcels_csv(write_csv), ImportKind.SHIPMENTS)
    assert (report.imported, report.rejected) == (2, 0), report.problems
    _check_parcels(session, shop, order_id)


def test_jsonl_parcels_import_alike(
    session: Session, shop: Shop, order_id: int, write_jsonl: WriteJsonl
) -> None:
    rows: list[dict[str, Any] | str] = [
        {
            "order_ref": "O-1",
            "carrier": "SF",
            "tracking_number": "SF100",
            "shipped_at": "2026-11-01T12:00:00Z",
            "declared_weight_grams": 2500,
            "scans": [
                {"occurred_at": "2026-11-03T10:00:00Z", "kind": "delivered"},
                {"occurred_at": "2026-11-01T13:00:00Z", "kind": "picked_up"},
            ],
        },
        {"order_ref": "O-1", "carrier": "SF", "tracking_number": "SF200"},
    ]
    report = import_file(session, shop.scope, write_jsonl("p.jsonl", rows), ImportKind.SHIPMENTS)
    assert (report.imported, report.rejected) == (2, 0), report.problems
    _check_parcels(session, shop, order_id)


def test_parcels_imported_twice_are_not_duplicated(
    session: Session, shop: Shop, order_id: int, write_csv: WriteCsv
) -> None:
    path = _parcels_csv(write_csv)
    import_file(session, shop.scope, path, ImportKind.SHIPMENTS)
    again = import_file(session, shop.scope, path, ImportKind.SHIPMENTS)
    assert (again.imported, again.already_present, again.rejected) == (0, 2, 0)
    _check_parcels(session, shop, order_id)


def test_bad_parcels_are_rejected_by_line(
    session: Session, shop: Shop, order_id: int, write_csv: WriteCsv
) -> None:
    rows = [
        ["O-404", "SF", "SF300", "", "", "", "", ""],
        [*SF1, "2026-11-01T13:00:00Z", "teleported", ""],
        [*SF2, "2026-11-02T08:00:00", "arrived", ""],
        ["O-1", "YTO", "YT1", "", "-5", "", "", ""],
    ]
    report = import_file(
        session, shop.scope, write_csv("p.csv", PARCEL_HEADER, rows), ImportKind.SHIPMENTS
    )
    reasons = {p.line: p.reason for p in report.problems}
    assert sorted(reasons) == [2, 3, 4, 5]
    assert "no order with external_ref 'O-404'" in reasons[2]
    assert reasons[3].startswith("scans.0.kind: Input should be")
    assert "timezone offset" in reasons[4]
    assert reasons[5].startswith("declared_weight_grams: Input should be greater than 0")


CASE_HEADER = [
    *("external_ref", "order_ref", "kind", "reason_code", "claimed_amount_minor", "currency"),
    *("description", "opened_at"),
]
CASE_ROWS = [
    ["C-1", "O-1", "refund_only", "spoiled_or_expired", "5990", "CNY", "mouldy", ""],
    ["C-2", "O-1", "return_and_refund", "wrong_item", "11980", "CNY", "", "2026-11-04T08:00:00Z"],
]


def test_csv_cases_open_on_their_orders_and_a_rerun_skips_them(
    session: Session, shop: Shop, order_id: int, write_csv: WriteCsv
) -> None:
    path = write_csv("cases.csv", CASE_HEADER, CASE_ROWS)
    first = import_file(session, shop.scope, path, ImportKind.CASES)
    again = import_file(session, shop.scope, path, ImportKind.CASES)
    assert (first.imported, first.rejected) == (2, 0), first.problems
    assert (again.imported, again.already_present) == (0, 2)
    page = cases.list_cases(session, shop.scope, PageRequest(), order_id=order_id)
    assert sorted(c.external_ref or "" for c in page.items) == ["C-1", "C-2"]
    assert all(c.state is CaseState.AWAITING_MERCHANT for c in page.items)


def test_jsonl_cases_with_bad_rows_keep_the_good_ones(
    session: Session, shop: Shop, order_id: int, write_jsonl: WriteJsonl
) -> None:
    good = {
        "external_ref": "C-1",
        "order_ref": "O-1",
        "kind": "refund_only",
        "reason_code": "not_received",
        "claimed_amount_minor": 5990,
        "currency": "CNY",
    }
    rows = [
        good,
        {**good, "external_ref": "C-2", "claimed_amount_minor": 999_999},
        {**good, "external_ref": "C-3", "claimed_amount_minor": "5990"},
        {**good, "external_ref": "C-4", "colour": "red"},
        {**good, "external_ref": "C-5", "kind": None},
        good,
    ]
    report = import_file(session, shop.scope, write_jsonl("c.jsonl", rows), ImportKind.CASES)
    reasons = {p.line: p.reason for p in report.problems}
    assert report.imported == 1
    assert "exceeds the order total 11980" in reasons[2]
    assert reasons[3].startswith("claimed_amount_minor: Input should be a valid integer")
    assert reasons[4] == "unknown field colour"
    assert reasons[5].startswith("kind: Input should be")
    assert reasons[6] == "case 'C-1' is already on line 1 of this file"
