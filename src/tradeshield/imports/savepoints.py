"""Making per-row SAVEPOINTs nest inside the caller's transaction on every database.

Python's sqlite3 driver opens its transaction lazily, only before an INSERT, UPDATE or DELETE.
If an import's first statement is a SAVEPOINT, SQLite opens the transaction itself, and the
RELEASE of that savepoint then commits the row for good: the caller's later rollback, and
strict mode's "nothing written", would silently not apply. Starting the transaction first
avoids that. (SQLAlchemy documents the same driver quirk; if ``db.make_engine`` ever adopts its
``BEGIN`` event recipe, this becomes a no-op.)
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def begin_for_savepoints(session: Session) -> None:
    """Make sure a real transaction is open before the first SAVEPOINT; no-op elsewhere."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or connection.dialect.driver != "pysqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not getattr(raw, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")
