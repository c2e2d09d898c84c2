"""Reading many rows for another module's batch work, fast and the same on every database.

A module that owns a table offers its rows to batch readers (integrity's market frames)
through a read function in its own ``service``; those functions share the two pieces here:
rows streamed in chunks of plain tuples (no ORM objects for millions of rows), and stored
timestamps turned into epoch seconds by the database itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import BigInteger, ColumnElement, Row, cast, extract, func
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql import Select

CHUNK_ROWS = 100_000

Columns = TypeVar("Columns", bound=tuple[Any, ...])


def epoch_seconds(
    value: ColumnElement[Any] | QueryableAttribute[Any], dialect: str
) -> ColumnElement[int]:
    """A stored UTC timestamp as whole epoch seconds (rounded down), computed by the database.

    Parsing millions of timestamps into Python datetimes was most of the load time; both
    databases do it far faster. SQLite keeps UtcDateTime as UTC text, PostgreSQL as
    timestamptz; tests read the same moments back on each.
    """
    if dialect == "sqlite":
        return cast(func.strftime("%s", value), BigInteger)
    return cast(func.floor(extract("epoch", value)), BigInteger)


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def in_chunks(
    session: Session, query: Select[Columns], *, stream: bool = True
) -> Iterator[Sequence[Row[Columns]]]:
    """The query's rows, streamed from the database ``CHUNK_ROWS`` at a time.

    ``stream=False`` is for a narrowed read of a few rows (one account's): one plain fetch,
    at most one chunk, without a server-side cursor's extra round trips on PostgreSQL.
    """
    # Core execution on the session's connection: rows stay plain tuples, without the
    # ORM's per-row loading. Options per statement, so the connection keeps its own.
    connection = session.connection()
    if not stream:
        if rows := connection.execute(query).all():
            yield rows
        return
    yield from connection.execute(query.execution_options(yield_per=CHUNK_ROWS)).partitions()
