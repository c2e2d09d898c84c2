"""Streaming readers: a JSONL or CSV text stream in, one :class:`Record` per row out.

Pure: no database, no knowledge of what the rows mean. Line numbers are the physical lines an
editor shows (the CSV header is line 1), so a reported problem can be found in the file. A
line that cannot be read at all becomes a record carrying a ``problem`` instead of raising, so
the rest of the file still imports.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tradeshield.errors import Invalid

if TYPE_CHECKING:
    from _csv import Reader


@dataclass(frozen=True, slots=True)
class Record:
    """One logical row: its fields and where in the file it came from."""

    line: int
    fields: dict[str, Any]
    end_line: int = 0
    part_lines: tuple[int, ...] = field(default=())
    problem: str | None = None

    @property
    def last_line(self) -> int:
        return max(self.line, self.end_line)

    def line_of_part(self, index: int) -> int:
        """The line holding nested item ``index`` (an order line, a scan); else the row's."""
        if 0 <= index < len(self.part_lines):
            return self.part_lines[index]
        return self.line


def read_jsonl(lines: Iterable[str]) -> Iterator[Record]:
    """One record per non-blank line, each line a JSON object."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = f"not valid JSON: {exc.msg} (column {exc.colno})"
            yield Record(line=number, fields={}, problem=problem)
            continue
        if not isinstance(value, dict):
            problem = f"expected a JSON object, found {type(value).__name__}"
            yield Record(line=number, fields={}, problem=problem)
            continue
        yield Record(line=number, fields=value)


@dataclass(frozen=True, slots=True)
class CsvRows:
    """The header of a CSV stream and an iterator over its data rows, as strings."""

    header: tuple[str, ...]
    rows: Iterator[Record]


def read_csv(lines: Iterable[str]) -> CsvRows:
    """Read the header now and the data rows lazily; blank rows are skipped.

    ``lines`` must keep line endings as they are (a file opened with ``newline=""``), so
    quoted fields may span lines and still be numbered right.
    """
    reader = csv.reader(iter(lines), strict=True)
    header = tuple(name.strip() for name in next(reader, []))
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise Invalid(f"the CSV header repeats column(s) {', '.join(duplicated)}")
    return CsvRows(header=header, rows=_csv_records(reader, header))


def _csv_records(reader: Reader, header: tuple[str, ...]) -> Iterator[Record]:
    previous_end = reader.line_num
    while True:
        try:
            cells: list[str] | None = next(reader, None)
        except csv.Error as exc:
            start, previous_end = previous_end + 1, reader.line_num
            yield Record(line=start, fields={}, end_line=previous_end, problem=f"bad CSV: {exc}")
            continue
        if cells is None:
            return
        start, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problem = f"row has {len(cells)} cells but the header has {len(header)}"
            yield Record(line=start, fields={}, end_line=previous_end, problem=problem)
            continue
        yield Record(
            line=start, fields=dict(zip(header, cells, strict=True)), end_line=previous_end
        )
