"""``bulk_frames``: typed frames from a batch of queries, and a failed read said plainly."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from tests.factories import make_marketplace
from tradeshield import bulk_frames
from tradeshield.bulk_frames import FrameQuery, read_frames
from tradeshield.orders import service as orders


def test_a_batch_comes_back_by_name_with_each_schema(session: Session) -> None:
    market = make_marketplace(session)
    session.commit()
    tenant = market.keys.scope.tenant_id
    frames = read_frames(
        session,
        {
            "orders": orders.order_frame_query(session, tenant),
            "lines": orders.line_frame_query(session, tenant),
        },
    )
    assert frames["orders"].schema == pl.Schema(orders.ORDER_FRAME)
    assert frames["lines"].schema == pl.Schema(orders.LINE_FRAME)
    assert frames["orders"]["order_id"].to_list() == [market.order.id]


def test_a_read_that_fails_raises_one_error_naming_the_cause(session: Session) -> None:
    if not bulk_frames.reads_by_adbc(session) or session.get_bind().dialect.name != "sqlite":
        pytest.skip("the child process reads SQLite only")
    nowhere = table("no_such_table", column("x"))
    wanted = FrameQuery(select(nowhere.c.x), {"x": pl.Int64()})
    with pytest.raises(bulk_frames.FrameReadError, match="no_such_table"):
        read_frames(session, {"missing": wanted})
