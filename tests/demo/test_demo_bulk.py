"""The bulk loader writes what the ORM would have written, in fewer statements."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from tradeshield.db import session_factory
from tradeshield.demo.bulk import MAX_VARIABLES, BulkLoader, format_stamps
from tradeshield.demo.rows import Rows
from tradeshield.tenancy.kinds import TenantKind
from tradeshield.tenancy.models import Tenant

moments = st.datetimes(
    min_value=dt.datetime(1971, 1, 1),
    max_value=dt.datetime(2200, 12, 31),
    timezones=st.just(dt.UTC),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(moments, min_size=1, max_size=40))
def test_stamps_are_iso_text_to_the_second(values: list[dt.datetime]) -> None:
    whole = [value.replace(microsecond=0) for value in values]
    seconds = np.array([int(value.timestamp()) for value in whole], dtype=np.int64)
    texts = format_stamps(seconds.astype("datetime64[s]"), "+00:00")
    assert texts == [value.isoformat(sep=" ") for value in whole]


def test_missing_moments_become_null() -> None:
    values = np.array(["2026-11-01T08:00:00", "NaT"], dtype="datetime64[s]")
    assert format_stamps(values, ".000000") == ["2026-11-01 08:00:00.000000", None]
    assert format_stamps(values[:0], ".000000") == []


def _write_tenants(engine: Engine, count: int) -> BulkLoader:
    moments = np.full(count, np.datetime64("2026-11-01T08:00:00", "s"))
    rows = Rows("tenants", count, {
        "id": np.arange(1, count + 1), "slug": [f"t{k}" for k in range(count)],
        "name": "it's a demo", "kind": TenantKind.MERCHANT.value, "created_at": moments,
    })  # fmt: skip
    with engine.connect() as connection:
        loader = BulkLoader(connection)
        with loader.loading():
            loader.write([loader.prepare(rows)])
        return loader


def test_bulk_rows_read_back_like_rows_the_orm_wrote(engine: Engine) -> None:
    _write_tenants(engine, 3)
    with session_factory(engine)() as session, session.begin():
        session.add(
            Tenant(
                slug="orm",
                name="written by the ORM",
                kind=TenantKind.MARKETPLACE,
                created_at=dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC),
            )
        )
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT slug, name, created_at FROM tenants ORDER BY id")
        ).all()
    assert [row[0] for row in stored] == ["t0", "t1", "t2", "orm"]
    assert stored[0][1] == "it's a demo"
    assert len({str(row[2]) for row in stored}) == 1  # same text, or the same timestamptz
    with session_factory(engine)() as session:
        tenants = session.query(Tenant).order_by(Tenant.id).all()
    assert {tenant.created_at for tenant in tenants} == {dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)}
    assert all(tenant.kind in set(TenantKind) for tenant in tenants)


@pytest.mark.parametrize("count", [1, 199, 200, 201, 1001])
def test_every_row_is_written_whatever_the_statement_size(engine: Engine, count: int) -> None:
    loader = _write_tenants(engine, count)
    assert loader.counts == {"tenants": count}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*), MAX(id) FROM tenants")).one() == (
            count,
            count,
        )
    assert MAX_VARIABLES >= 999
