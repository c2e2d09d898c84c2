"""Pure parsing: JSONL and CSV readers, folding CSV rows into nested records, row errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tradeshield.errors import Invalid
from tradeshield.imports.csv_layout import check_header, fold_rows
from tradeshield.imports.kinds import FileFormat, ImportKind, format_for_path
from tradeshield.imports.readers import Record, read_csv, read_jsonl
from tradeshield.imports.rows import OrderRow, explain

# Printable text plus the characters CSV has to quote: separators, quotes and line breaks.
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(',"\n\r;'),
    max_size=30,
)


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@given(st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(cell_text, min_size=n, max_size=n))))
def test_any_printable_cells_survive_a_csv_round_trip(rows: list[list[str]]) -> None:
    width = len(rows[0]) if rows else 2
    header = [f"c{i}" for i in range(width)]
    text = _csv_text(header, rows)
    table = read_csv(io.StringIO(text, newline=""))
    kept = [row for row in rows if any(cell.strip() for cell in row)]
    records = list(table.rows)
    assert table.header == tuple(header)
    assert [list(r.fields.values()) for r in records] == kept
    starts = [r.line for r in records]
    assert starts == sorted(starts)
    assert all(r.line >= 2 and r.end_line >= r.line for r in records)


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)


@given(st.lists(st.dictionaries(st.text(max_size=10), json_value, max_size=5)), st.data())
def test_jsonl_objects_round_trip_with_their_line_numbers(
    objects: list[dict[str, Any]], data: st.DataObject
) -> None:
    lines: list[str] = []
    expected: list[tuple[int, dict[str, Any]]] = []
    for obj in objects:
        if data.draw(st.booleans()):
            lines.append("   ")
        lines.append(json.dumps(obj, ensure_ascii=data.draw(st.booleans())))
        expected.append((len(lines), obj))
    records = list(read_jsonl(io.StringIO("\n".join(lines) + "\n")))
    assert [(r.line, r.fields) for r in records] == expected


def test_jsonl_lines_that_are_not_objects_become_problems_on_their_line() -> None:
    text = '{"a": 1}\n\n{"a": \n[1, 2]\n'
    records = list(read_jsonl(io.StringIO(text)))
    assert [(r.line, r.problem is None) for r in records] == [(1, True), (3, False), (4, False)]
    assert "not valid JSON" in str(records[1].problem)
    assert records[2].problem == "expected a JSON object, found list"


def test_csv_rows_are_numbered_by_the_line_they_start_on() -> None:
    text = 'a,b\n1,2\n"two\nlines",3\n\n4,5,6\n7,8\n'
    records = list(read_csv(io.StringIO(text, newline="")).rows)
    assert [(r.line, r.end_line) for r in records] == [(2, 2), (3, 4), (6, 6), (7, 7)]
    assert records[1].fields == {"a": "two\nlines", "b": "3"}
    assert records[2].problem == "row has 3 cells but the header has 2"


def test_csv_header_with_a_repeated_column_is_refused() -> None:
    with pytest.raises(Invalid, match="repeats column"):
        read_csv(io.StringIO("a,b,a\n1,2,3\n", newline=""))


def test_unknown_csv_column_is_refused_before_any_row() -> None:
    with pytest.raises(Invalid, match="colour"):
        check_header(ImportKind.ORDERS, ("external_ref", "colour"))


def test_format_comes_from_the_extension_and_unknown_ones_are_refused() -> None:
    assert format_for_path(Path("orders.CSV")) is FileFormat.CSV
    assert format_for_path(Path("x.ndjson")) is FileFormat.JSONL
    with pytest.raises(Invalid, match="cannot tell the format"):
        format_for_path(Path("orders.xlsx"))


ORDER_HEADER = [
    *("external_ref", "merchant_ref", "buyer_ref", "placed_at", "currency"),
    *("sku", "quantity", "unit_price_minor"),
]


def _order_rows(rows: list[list[str]]) -> list[Record]:
    text = _csv_text(ORDER_HEADER, rows)
    return list(fold_rows(ImportKind.ORDERS, read_csv(io.StringIO(text, newline="")).rows))


def test_adjacent_csv_rows_of_one_order_fold_into_its_lines() -> None:
    order = ["O-1", "M", "B", "2026-11-01T09:00:00Z", "CNY"]
    records = _order_rows(
        [
            [*order, "ORANGE", "2", "5990"],
            [*order, "APPLE", "-1", "x"],
            ["O-2", *order[1:], "P", "1", "5"],
        ]
    )
    assert [(r.line, r.part_lines) for r in records] == [(2, (2, 3)), (4, (4,))]
    assert records[0].fields["lines"] == [
        {"sku": "ORANGE", "quantity": 2, "unit_price_minor": 5990},
        {"sku": "APPLE", "quantity": -1, "unit_price_minor": "x"},
    ]


def test_rows_of_one_order_that_disagree_refuse_the_whole_order() -> None:
    first = ["O-1", "M", "B", "2026-11-01T09:00:00Z", "CNY", "ORANGE", "1", "1"]
    second = ["O-1", "M", "B", "2026-11-02T09:00:00Z", "CNY", "APPLE", "1", "1"]
    (record,) = _order_rows([first, second])
    assert "placed_at differs between lines 2 and 3" in str(record.problem)


def test_later_rows_of_an_order_may_leave_the_order_columns_empty() -> None:
    first = ["O-1", "M", "B", "2026-11-01T09:00:00Z", "CNY", "ORANGE", "1", "1"]
    second = ["O-1", "", "", "", "", "APPLE", "1", "1"]
    (record,) = _order_rows([first, second])
    assert record.problem is None
    assert record.fields["currency"] == "CNY"
    assert [line["sku"] for line in record.fields["lines"]] == ["ORANGE", "APPLE"]


def test_a_validation_error_in_an_order_line_blames_that_line_of_the_file() -> None:
    order = ["O-1", "M", "B", "2026-11-01T09:00:00Z", "CNY"]
    (record,) = _order_rows([[*order, "ORANGE", "2", "5990"], [*order, "APPLE", "two", "10"]])
    with pytest.raises(ValidationError) as caught:
        OrderRow.model_validate(record.fields)
    line, reason = explain(caught.value, record)
    assert line == 3
    assert reason.startswith("lines.1.quantity: Input should be a valid integer")
    assert "'two'" in reason


def test_case_rows_are_never_grouped() -> None:
    header = ["external_ref", "order_ref"]
    text = _csv_text(header, [["C-1", "O-1"], ["C-1", "O-1"]])
    records = list(fold_rows(ImportKind.CASES, read_csv(io.StringIO(text, newline="")).rows))
    assert [r.line for r in records] == [2, 3]
