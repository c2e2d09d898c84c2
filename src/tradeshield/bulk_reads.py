"""Stored timestamps as epoch seconds, the same on every database, for batch readers.

A module that owns a table offers its rows to batch readers (integrity's market frames)
through read functions in its own ``service``: a whole tenant as a columnar frame
(``bulk_frames.read_frame``) and one account's few rows as tuples. Both select times
through ``epoch_seconds``, so the bulk and the one-account paths see the same numbers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, cast, extract, func
from sqlalchemy.orm import QueryableAttribute, Session


def epoch_seconds(
    value: ColumnElement[Any] | QueryableAttribute[Any], dialect: str
) -> ColumnElement[int]:
    """A stored UTC timestamp as whole epoch seconds (rounded down), computed by the database.

    Parsing millions of timestamps into Python datetimes was most of the load time; both
    databases do it far faster. SQLite keeps UtcDateTime as UTC text (``unixepoch``, SQLite
    3.38+, parses it at about twice the rate of ``strftime('%s')``), PostgreSQL as
    timestamptz; tests read the same moments back on each.
    """
    if dialect == "sqlite":
        return cast(func.unixepoch(value), BigInteger)
    return cast(func.floor(extract("epoch", value)), BigInteger)


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name
