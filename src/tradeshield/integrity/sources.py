"""Reading one tenant's market into the frames the features use.

The integrity module reads other modules' rows in bulk here, through SQLAlchemy Core
statements over named columns (not through their ORM classes), in chunks, so the same
code runs on SQLite and PostgreSQL. Times become UTC epoch seconds once, on the way in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl
from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Connection,
    Integer,
    String,
    cast,
    column,
    extract,
    func,
    select,
    table,
)
from sqlalchemy.sql import Select

from tradeshield.db import UtcDateTime
from tradeshield.integrity.frames import (
    ACCOUNTS_SCHEMA,
    CLAIMS_SCHEMA,
    IDENTIFIERS_SCHEMA,
    ORDERS_SCHEMA,
    PURCHASES_SCHEMA,
    MarketFrames,
)

CHUNK_ROWS = 100_000
NO_CATEGORY = -1  # an order without lines

ACCOUNTS_T = table(
    "buyer_accounts", column("id", Integer), column("tenant_id", Integer),
    column("registered_at", UtcDateTime()),
)  # fmt: skip
IDENTIFIERS_T = table(
    "buyer_identifiers", column("buyer_id", Integer), column("tenant_id", Integer),
    column("kind", String), column("keyed_hash", String),
)  # fmt: skip
ORDERS_T = table(
    "orders", column("id", Integer), column("tenant_id", Integer), column("buyer_id", Integer),
    column("placed_at", UtcDateTime()), column("total_minor", Integer),
)  # fmt: skip
LINES_T = table(
    "order_lines", column("order_id", Integer), column("tenant_id", Integer),
    column("product_id", Integer),
)  # fmt: skip
PRODUCTS_T = table("products", column("id", Integer), column("category", String))
CASES_T = table(
    "cases", column("id", Integer), column("tenant_id", Integer), column("buyer_id", Integer),
    column("order_id", Integer), column("kind", String), column("claimed_amount_minor", Integer),
    column("opened_at", UtcDateTime()), column("forgery_suspected", Boolean),
)  # fmt: skip
RULINGS_T = table(
    "rulings", column("case_id", Integer), column("tenant_id", Integer),
    column("sequence", Integer), column("liable_party", String),
    column("created_at", UtcDateTime()),
)  # fmt: skip
SHIPMENTS_T = table(
    "shipments", column("order_id", Integer), column("tenant_id", Integer),
    column("direction", String), column("delivered_at", UtcDateTime()),
)  # fmt: skip


def epoch_seconds(value: ColumnElement[Any], dialect: str) -> ColumnElement[int]:
    """A stored UTC timestamp as whole epoch seconds, computed by the database.

    Parsing millions of timestamps into Python datetimes was most of the load time; both
    databases do it far faster. SQLite keeps UtcDateTime as UTC text, PostgreSQL as
    timestamptz; a test reads the same moments back on each.
    """
    if dialect == "sqlite":
        return cast(func.strftime("%s", value), BigInteger)
    return cast(func.floor(extract("epoch", value)), BigInteger)


def _chunks(connection: Connection, query: Select[Any]) -> Iterator[Sequence[Any]]:
    # Per statement, so the session's connection keeps its own options afterwards.
    result = connection.execute(query.execution_options(stream_results=True))
    while rows := result.fetchmany(CHUNK_ROWS):
        yield rows


def _frame(
    connection: Connection, query: Select[Any], names: list[str], times: set[str]
) -> pl.DataFrame:
    dialect = connection.dialect.name
    selected = [
        epoch_seconds(c, dialect) if name in times else c
        for name, c in zip(names, query.selected_columns, strict=True)
    ]
    schema = {n: pl.Int64 if n in times else None for n in names}
    parts: list[pl.DataFrame] = []
    for rows in _chunks(connection, query.with_only_columns(*selected)):
        frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
        parts.append(frame.with_columns(pl.col(n).cast(pl.Int64) for n in times))
    if not parts:
        return pl.DataFrame(schema={n: kind or pl.Null for n, kind in schema.items()})
    return pl.concat(parts, how="vertical_relaxed")


def load_market(connection: Connection, tenant_id: int) -> MarketFrames:
    """The tenant's accounts, orders, claims, identifiers and purchases as frames."""
    accounts = _frame(
        connection,
        select(ACCOUNTS_T.c.id, ACCOUNTS_T.c.registered_at).where(
            ACCOUNTS_T.c.tenant_id == tenant_id
        ),
        ["buyer_id", "registered_s"],
        {"registered_s"},
    )
    identifiers = _frame(
        connection,
        select(IDENTIFIERS_T.c.buyer_id, IDENTIFIERS_T.c.kind, IDENTIFIERS_T.c.keyed_hash).where(
            IDENTIFIERS_T.c.tenant_id == tenant_id
        ),
        ["buyer_id", "kind", "keyed_hash"],
        set(),
    )
    orders = _frame(
        connection,
        select(
            ORDERS_T.c.id, ORDERS_T.c.buyer_id, ORDERS_T.c.placed_at, ORDERS_T.c.total_minor
        ).where(ORDERS_T.c.tenant_id == tenant_id),
        ["order_id", "buyer_id", "placed_s", "total_minor"],
        {"placed_s"},
    )
    lines = _frame(
        connection,
        select(LINES_T.c.order_id, LINES_T.c.product_id, PRODUCTS_T.c.category)
        .join(PRODUCTS_T, PRODUCTS_T.c.id == LINES_T.c.product_id)
        .where(LINES_T.c.tenant_id == tenant_id),
        ["order_id", "product_id", "category"],
        set(),
    )
    orders, purchases = _with_categories(orders, lines)
    claims = _claims(connection, tenant_id, orders)
    return MarketFrames(
        accounts=_typed(accounts, ACCOUNTS_SCHEMA),
        orders=_typed(orders, ORDERS_SCHEMA),
        claims=_typed(claims, CLAIMS_SCHEMA),
        identifiers=_typed(identifiers, IDENTIFIERS_SCHEMA),
        purchases=_typed(purchases, PURCHASES_SCHEMA),
    )


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if frame.height == 0:
        return pl.DataFrame(schema=schema)
    return frame.select([pl.col(name).cast(kind) for name, kind in schema.items()])


def _with_categories(
    orders: pl.DataFrame, lines: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    if lines.height == 0 or orders.height == 0:
        with_category = orders.with_columns(pl.lit(NO_CATEGORY, pl.Int32).alias("category"))
        return with_category, pl.DataFrame(schema=PURCHASES_SCHEMA)
    # An order's category is its lines' alphabetically first, as the one-account path does.
    first = (
        lines.group_by("order_id")
        .agg(pl.col("category").cast(pl.String).min())
        .with_columns(pl.col("category").cast(pl.Categorical).to_physical().cast(pl.Int32))
    )
    with_category = orders.join(first, on="order_id", how="left").with_columns(
        pl.col("category").fill_null(NO_CATEGORY)
    )
    purchases = lines.join(orders.select("order_id", "buyer_id", "placed_s"), on="order_id")
    return with_category, purchases.select("buyer_id", "product_id", "placed_s")


def _claims(connection: Connection, tenant_id: int, orders: pl.DataFrame) -> pl.DataFrame:
    cases = _frame(
        connection,
        select(
            CASES_T.c.id,
            CASES_T.c.buyer_id,
            CASES_T.c.order_id,
            CASES_T.c.kind,
            CASES_T.c.claimed_amount_minor,
            CASES_T.c.opened_at,
            CASES_T.c.forgery_suspected,
        ).where(CASES_T.c.tenant_id == tenant_id),
        ["case_id", "buyer_id", "order_id", "kind", "claimed_minor", "opened_s", "forgery"],
        {"opened_s"},
    )
    rulings = _frame(
        connection,
        select(
            RULINGS_T.c.case_id,
            RULINGS_T.c.sequence,
            RULINGS_T.c.liable_party,
            RULINGS_T.c.created_at,
        ).where(RULINGS_T.c.tenant_id == tenant_id),
        ["case_id", "sequence", "liable_party", "ruled_s"],
        {"ruled_s"},
    )
    delivered = _frame(
        connection,
        select(SHIPMENTS_T.c.order_id, SHIPMENTS_T.c.delivered_at).where(
            SHIPMENTS_T.c.tenant_id == tenant_id, SHIPMENTS_T.c.direction == "outbound"
        ),
        ["order_id", "delivered_s"],
        {"delivered_s"},
    )
    return join_claims(cases, rulings, delivered, orders)


def join_claims(
    cases: pl.DataFrame, rulings: pl.DataFrame, delivered: pl.DataFrame, orders: pl.DataFrame
) -> pl.DataFrame:
    """One row per case with its latest ruling, the order's value and its delivery time."""
    if cases.height == 0:
        return pl.DataFrame(schema=CLAIMS_SCHEMA)
    latest = (
        rulings.sort("case_id", "sequence").group_by("case_id").last()
        if rulings.height
        else pl.DataFrame(
            schema={"case_id": pl.Int64, "liable_party": pl.String, "ruled_s": pl.Int64}
        )
    )
    first_delivery = (
        delivered.group_by("order_id").agg(pl.col("delivered_s").min())
        if delivered.height
        else pl.DataFrame(schema={"order_id": pl.Int64, "delivered_s": pl.Int64})
    )
    joined = (
        cases.with_columns(pl.col("case_id").cast(pl.Int64), pl.col("order_id").cast(pl.Int64))
        .join(latest.select("case_id", "liable_party", "ruled_s"), on="case_id", how="left")
        .join(first_delivery, on="order_id", how="left")
        .join(
            orders.select("order_id", pl.col("total_minor").alias("order_total_minor")),
            on="order_id",
            how="left",
        )
    )
    return joined.select(
        "buyer_id", "order_id", "opened_s",
        (pl.col("kind") == "refund_only").alias("is_refund_only"),
        (pl.col("kind") == "return_and_refund").alias("is_return"),
        "claimed_minor", pl.col("order_total_minor").fill_null(0), "delivered_s", "ruled_s",
        (pl.col("liable_party") == "buyer").fill_null(False).alias("against_buyer"),
        pl.col("forgery").cast(pl.Boolean).alias("forgery_suspected"),
    )  # fmt: skip
