"""How a CSV file spells the nested rows a JSONL file writes directly.

A CSV cell holds one value, so nested items are written one per row with the parent's columns
repeated, and adjacent rows with the same key are folded back into one record:

orders     one row per order line, grouped by ``external_ref``. Order columns: external_ref,
           merchant_ref, buyer_ref, buyer_registered_at, phone, device, address,
           payment_account, placed_at, paid_at, currency. Line columns: sku, quantity,
           unit_price_minor, promo.
shipments  one row per scan, grouped by ``carrier`` + ``tracking_number``. Parcel columns:
           order_ref, carrier, tracking_number, shipped_at, promised_delivery_at,
           declared_weight_grams, measured_weight_grams. Scan columns (leave them empty on a
           parcel's only row when it has no scans): scan_occurred_at, scan_kind,
           scan_location, scan_weight_grams, scan_note.
cases      one row per case, no grouping: external_ref, order_ref, kind, reason_code,
           claimed_amount_minor, currency, description, opened_at.

An empty cell means the value is absent. Whole-number cells of the integer columns become
integers; anything else is left as text for the row model to refuse with a clear reason. The
rows after a group's first may leave the parent's cells empty (not the key's), but a cell they
fill must match
the first row, else the whole group is refused: importing half an order, or an order whose
rows disagree, would be worse than importing none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tradeshield.errors import Invalid
from tradeshield.imports.kinds import ImportKind
from tradeshield.imports.readers import Record


@dataclass(frozen=True, slots=True)
class CsvLayout:
    parent_columns: tuple[str, ...]
    group_by: tuple[str, ...] = ()
    nested_field: str | None = None
    nested_columns: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> frozenset[str]:
        return frozenset(self.parent_columns) | frozenset(self.nested_columns)


LAYOUTS = {
    ImportKind.ORDERS: CsvLayout(
        parent_columns=(
            "external_ref",
            "merchant_ref",
            "buyer_ref",
            "buyer_registered_at",
            "phone",
            "device",
            "address",
            "payment_account",
            "placed_at",
            "paid_at",
            "currency",
        ),
        group_by=("external_ref",),
        nested_field="lines",
        nested_columns={
            "sku": "sku",
            "quantity": "quantity",
            "unit_price_minor": "unit_price_minor",
            "promo": "promo",
        },
    ),
    ImportKind.SHIPMENTS: CsvLayout(
        parent_columns=(
            "order_ref",
            "carrier",
            "tracking_number",
            "shipped_at",
            "promised_delivery_at",
            "declared_weight_grams",
            "measured_weight_grams",
        ),
        group_by=("carrier", "tracking_number"),
        nested_field="scans",
        nested_columns={
            "scan_occurred_at": "occurred_at",
            "scan_kind": "kind",
            "scan_location": "location",
            "scan_weight_grams": "weight_grams",
            "scan_note": "note",
        },
    ),
    ImportKind.CASES: CsvLayout(
        parent_columns=(
            "external_ref",
            "order_ref",
            "kind",
            "reason_code",
            "claimed_amount_minor",
            "currency",
            "description",
            "opened_at",
        ),
    ),
}

INTEGER_COLUMNS = frozenset(
    {
        "quantity",
        "unit_price_minor",
        "claimed_amount_minor",
        "declared_weight_grams",
        "measured_weight_grams",
        "scan_weight_grams",
    }
)
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def check_header(kind: ImportKind, header: tuple[str, ...]) -> None:
    """Refuse a header with columns this kind does not know, before any row is read."""
    unknown = [name for name in header if name not in LAYOUTS[kind].columns]
    if unknown:
        known = ", ".join(sorted(LAYOUTS[kind].columns))
        raise Invalid(f"unknown CSV column(s) {', '.join(unknown)} for {kind}; known: {known}")


def cell_value(column: str, text: str) -> Any:
    """The value a non-empty cell stands for: an integer for the integer columns when it is one."""
    stripped = text.strip()
    if column in INTEGER_COLUMNS and _WHOLE_NUMBER.fullmatch(stripped):
        return int(stripped)
    return text


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: cell_value(name, text) for name, text in fields.items() if text.strip()}


@dataclass(slots=True)
class _Group:
    first: Record
    parent: dict[str, Any]
    nested: list[dict[str, Any]] = field(default_factory=list)
    part_lines: list[int] = field(default_factory=list)
    end_line: int = 0
    problem: str | None = None

    def record(self, layout: CsvLayout) -> Record:
        fields = dict(self.parent)
        if layout.nested_field is not None:
            fields[layout.nested_field] = self.nested
        return Record(
            line=self.first.line,
            fields=fields,
            end_line=self.end_line,
            part_lines=tuple(self.part_lines),
            problem=self.problem,
        )


def fold_rows(kind: ImportKind, rows: Iterable[Record]) -> Iterator[Record]:
    """Fold adjacent CSV rows of one order (or parcel) into one nested record.

    Streaming: only the group being read is held in memory. A row that could not be read is
    passed on as it is, without closing the group around it.
    """
    layout = LAYOUTS[kind]
    group: _Group | None = None
    for row in rows:
        if row.problem is not None:
            yield row
            continue
        cells = _present(row.fields)
        parent = {name: cells[name] for name in layout.parent_columns if name in cells}
        key = _key(layout, parent)
        same_group = group is not None and any(key) and key == _key(layout, group.parent)
        if group is None or not same_group:
            if group is not None:
                yield group.record(layout)
            group = _Group(first=row, parent=parent)
        elif group.problem is None:
            group.problem = _disagreement(layout, group, parent, row.line)
        _add_nested(layout, group, cells, row)
    if group is not None:
        yield group.record(layout)


def _key(layout: CsvLayout, parent: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(parent.get(name, "")) for name in layout.group_by)


def _add_nested(layout: CsvLayout, group: _Group, cells: dict[str, Any], row: Record) -> None:
    group.end_line = row.last_line
    item = {
        target: cells[column] for column, target in layout.nested_columns.items() if column in cells
    }
    if item:
        group.nested.append(item)
        group.part_lines.append(row.line)


def _disagreement(
    layout: CsvLayout, group: _Group, parent: dict[str, Any], line: int
) -> str | None:
    """Why a continuation row contradicts the group's first row; empty cells never do."""
    for name in layout.parent_columns:
        if name in parent and parent[name] != group.parent.get(name):
            return (
                f"column {name} differs between lines {group.first.line} and {line}"
                " of the same group; every row of a group must repeat the same values"
            )
    return None
