"""The Alembic migrations build exactly the schema the models declare, on the test database."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from tradeshield.tables import Base


def _meaningful(diff: Any) -> bool:
    # SQLite reflects server defaults and some type details loosely; those are not drift.
    kind = diff[0][0] if isinstance(diff, list) else diff[0]
    return kind not in {"modify_default", "modify_type", "modify_comment"}


def test_migrated_database_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = [d for d in compare_metadata(context, Base.metadata) if _meaningful(d)]
    assert differences == []
