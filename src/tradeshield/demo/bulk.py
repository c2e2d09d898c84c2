"""Fast, portable bulk inserts of generated rows, through the driver's own connection.

The ORM would spend minutes on a million orders; this writes tuples with ``executemany``
(SQLite, and any DBAPI driver) or ``COPY`` (PostgreSQL through psycopg), in one transaction
per chunk. Timestamps are written as the text SQLAlchemy itself stores for UTC-aware
``DateTime`` columns on that database, so rows read back through the models exactly as
rows written by them. Speed-ups that only one database has live here and nowhere else.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, text

from tradeshield.demo.rows import Column, Rows

ROWS_PER_STATEMENT = 200
# Old SQLite builds allow 999 bound variables per statement, 3.32 and later 32766.
MAX_VARIABLES = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999
# SQLAlchemy's SQLite DATETIME storage format; elsewhere an explicit UTC offset.
_SQLITE_SUFFIX = ".000000"
_OFFSET_SUFFIX = "+00:00"


@lru_cache(maxsize=4)
def _clock_faces(suffix: str) -> npt.NDArray[np.str_]:
    """``HH:MM:SS`` + suffix for every second of a day."""
    seconds = np.arange(86_400, dtype=np.int64).astype("datetime64[s]")
    faces = [f"{stamp[11:]}{suffix}" for stamp in np.datetime_as_string(seconds, unit="s").tolist()]
    return np.array(faces, dtype=f"U{8 + len(suffix)}")


def format_stamps(values: npt.NDArray[np.datetime64], suffix: str) -> list[str | None]:
    """``YYYY-MM-DD HH:MM:SS`` + suffix for each moment, None for NaT.

    Assembled from a table of the days spanned and a table of the seconds of a day, in
    fixed-width fields: far faster than formatting each moment.
    """
    moments = values.astype("datetime64[s]")
    if len(moments) == 0:
        return []
    missing = np.isnat(moments)
    count = moments.astype(np.int64)
    count[missing] = 0
    days, second = np.divmod(count, 86_400)
    first = int(days.min())
    calendar = np.arange(first, int(days.max()) + 1).astype("datetime64[D]")
    clock = _clock_faces(suffix)
    width = clock.dtype.itemsize // 4
    fields = np.empty(len(moments), dtype=[("date", "U10"), ("gap", "U1"), ("clock", f"U{width}")])
    fields["date"] = np.datetime_as_string(calendar).astype("U10")[days - first]
    fields["gap"] = " "
    fields["clock"] = clock[second]
    joined = fields.view(f"U{11 + width}")
    if not missing.any():
        result: list[str | None] = joined.tolist()
        return result
    with_nulls = joined.astype(object)
    with_nulls[missing] = None
    result = with_nulls.tolist()
    return result


@dataclass(frozen=True, slots=True)
class Prepared:
    """Rows ready for the driver: statements, each with the parameter rows it runs for."""

    table: str
    count: int
    statements: list[tuple[str, Iterable[Sequence[Any]]]]
    last_id: int | None  # the highest explicit id among the rows


class BulkLoader:
    """Inserts rows on one connection; ``counts`` says how many rows went to each table.

    ``prepare`` does the Python-side work (converting columns, formatting timestamps) and
    touches no connection, so it can run on another thread while ``write`` runs here.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.counts: Counter[str] = Counter()
        self._suffix = _SQLITE_SUFFIX if self.dialect == "sqlite" else _OFFSET_SUFFIX
        self._copy = self.dialect == "postgresql" and connection.dialect.driver == "psycopg"
        self._mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        self._sequences: dict[str, str | None] = {}

    def last_ids(self, tables: Sequence[str]) -> dict[str, int]:
        """The highest id each table holds now, so generated ids can follow on."""
        found = {}
        for table in tables:
            query = text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            found[table] = int(self.connection.execute(query).scalar_one())
        self.connection.commit()
        return found

    @contextmanager
    def loading(self) -> Iterator[None]:
        """SQLite: no fsync, a larger page cache and no per-row foreign-key lookups while
        loading. The generator hands out ids itself and writes parents before children, and
        ``PRAGMA foreign_key_check`` in the tests proves the result; a crash loses at most
        the chunk in flight. The connection's own settings come back afterwards, since
        connections are pooled.
        """
        if self.dialect != "sqlite":
            yield
            return
        raw = self._driver()
        settings = {"synchronous": "OFF", "cache_size": "-262144", "foreign_keys": "OFF"}
        before = {name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in settings}
        for name, value in settings.items():
            raw.execute(f"PRAGMA {name}={value}")
        try:
            yield
        finally:
            for name, value in before.items():
                raw.execute(f"PRAGMA {name}={value}")

    def prepare(self, rows: Rows) -> Prepared:
        """Statements and parameters for ``rows``.

        A column holding one value for every row goes into the statement as a literal
        (except for COPY): binding it per row would cost as much as a real column. Rows are
        sent many to a statement (``VALUES (...), (...), ...``): the driver's per-statement
        overhead, not the database, is what limits an insert of small rows.
        """
        names, marks, columns = [], [], []
        for name, column in rows.columns.items():
            names.append(name)
            if self._copy or isinstance(column, (np.ndarray, list)):
                marks.append(self._mark)
                columns.append(self._python(column, rows.count))
            else:
                marks.append(self._literal(column))
        head = f"{rows.table} ({', '.join(names)})"
        ids = rows.columns.get("id")
        last_id = int(ids.max()) if isinstance(ids, np.ndarray) and len(ids) else None
        statements: list[tuple[str, Iterable[Sequence[Any]]]]
        if self._copy:
            statements = [(f"COPY {head} FROM STDIN", zip(*columns, strict=True))]
        else:
            row = f"({', '.join(marks)})"
            statements = _many_rows(f"INSERT INTO {head} VALUES ", row, columns, rows.count)
        return Prepared(rows.table, rows.count, statements, last_id)

    def write(self, batch: list[Prepared]) -> None:
        """All of ``batch`` in one transaction, in the order given (parents first)."""
        with self.connection.begin():
            if self.dialect == "postgresql":
                self._reserve_ids(batch)
            cursor = self._driver().cursor()
            try:
                for prepared in batch:
                    if prepared.count:
                        self._insert(cursor, prepared)
                        self.counts[prepared.table] += prepared.count
            finally:
                cursor.close()

    def _reserve_ids(self, batch: list[Prepared]) -> None:
        """PostgreSQL: move each id sequence past the explicit ids about to be written, so
        that rows inserted meanwhile by the application get ids of their own. Sequences are
        not transactional: this holds even if the chunk is rolled back."""
        for prepared in batch:
            if prepared.last_id is None:
                continue
            sequence = self._sequences.get(prepared.table)
            if prepared.table not in self._sequences:
                query = text("SELECT pg_get_serial_sequence(:table, 'id')")
                sequence = self.connection.execute(query, {"table": prepared.table}).scalar()
                self._sequences[prepared.table] = sequence
            if sequence is not None:
                self.connection.execute(
                    text(
                        "SELECT setval(CAST(:sequence AS regclass), GREATEST(:last, "
                        "COALESCE(pg_sequence_last_value(CAST(:sequence AS regclass)), 0)))"
                    ),
                    {"sequence": sequence, "last": prepared.last_id},
                )

    def _driver(self) -> Any:
        return self.connection.connection.driver_connection

    def _insert(self, cursor: Any, prepared: Prepared) -> None:
        for statement, parameters in prepared.statements:
            if self._copy:
                with cursor.copy(statement) as copy:
                    for row in parameters:
                        copy.write_row(row)
            else:
                cursor.executemany(statement, parameters)

    def _literal(self, value: Column) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return ("1" if value else "0") if self.dialect == "sqlite" else str(value).upper()
        if isinstance(value, int):
            return str(value)
        if isinstance(value, str):
            return "'" + value.replace("'", "''") + "'"
        raise TypeError(f"no literal for {type(value).__name__}")

    def _python(self, column: Column, count: int) -> list[Any]:
        if isinstance(column, np.ndarray):
            if column.dtype.kind == "M":
                return format_stamps(column, self._suffix)
            return column.tolist()  # type: ignore[no-any-return]
        if isinstance(column, list):
            return column
        return [column] * count


def _many_rows(
    prefix: str, row: str, columns: list[list[Any]], count: int
) -> list[tuple[str, Iterable[Sequence[Any]]]]:
    """Multi-row INSERTs of up to ``ROWS_PER_STATEMENT`` rows, within the variable limit."""
    width = len(columns)
    per_statement = max(1, min(ROWS_PER_STATEMENT, MAX_VARIABLES // max(width, 1)))
    flat: list[Any] = [None] * (count * width)
    for position, column in enumerate(columns):
        flat[position::width] = column  # interleave by slice assignment: no loop per row
    statements: list[tuple[str, Iterable[Sequence[Any]]]] = []
    full = count - count % per_statement
    if full:
        step = per_statement * width
        groups = [flat[start : start + step] for start in range(0, full * width, step)]
        statements.append((prefix + ", ".join([row] * per_statement), groups))
    if count > full:
        statements.append((prefix + ", ".join([row] * (count - full)), [flat[full * width :]]))
    return statements
