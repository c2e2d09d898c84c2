"""Reading one tenant's market into the frames the features use.

The rows come from the modules that own them, through their services' bulk read
functions (chunks of plain tuples, times already UTC epoch seconds); here they become
Polars frames and are joined into what the features read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from tradeshield.buyers import service as buyers_service
from tradeshield.cases import service as cases_service
from tradeshield.catalog import service as catalog_service
from tradeshield.integrity.frames import (
    ACCOUNTS_SCHEMA,
    CLAIMS_SCHEMA,
    IDENTIFIERS_SCHEMA,
    ORDERS_SCHEMA,
    PURCHASES_SCHEMA,
    MarketFrames,
)
from tradeshield.orders import service as orders_service
from tradeshield.shipments import service as shipments_service

NO_CATEGORY = -1  # an order without lines


def _frame(chunks: Iterable[Sequence[Any]], names: list[str], times: set[str]) -> pl.DataFrame:
    """One frame from chunks of rows; ``times`` are the epoch-second columns."""
    parts: list[pl.DataFrame] = []
    for rows in chunks:
        frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
        parts.append(frame.with_columns(pl.col(n).cast(pl.Int64) for n in times))
    if not parts:
        return pl.DataFrame(schema={n: pl.Int64 if n in times else pl.Null for n in names})
    return pl.concat(parts, how="vertical_relaxed")


def load_market(session: Session, tenant_id: int) -> MarketFrames:
    """The tenant's accounts, orders, claims, identifiers and purchases as frames."""
    accounts = _frame(
        buyers_service.account_rows(session, tenant_id),
        ["buyer_id", "registered_s"],
        {"registered_s"},
    )
    identifiers = _frame(
        buyers_service.identifier_rows(session, tenant_id),
        ["buyer_id", "kind", "keyed_hash"],
        set(),
    )
    orders = _frame(
        orders_service.order_rows(session, tenant_id),
        ["order_id", "buyer_id", "placed_s", "total_minor"],
        {"placed_s"},
    )
    lines = _frame(
        orders_service.line_products(session, tenant_id), ["order_id", "product_id"], set()
    )
    products = _frame(
        catalog_service.product_categories(session, tenant_id), ["product_id", "category"], set()
    )
    if lines.height and products.height:
        lines = lines.join(products, on="product_id")  # inner, as a join in SQL
    else:
        lines = pl.DataFrame(
            schema={"order_id": pl.Int64, "product_id": pl.Int64, "category": pl.String}
        )
    orders, purchases = _with_categories(orders, lines)
    claims = _claims(session, tenant_id, orders)
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


def _claims(session: Session, tenant_id: int, orders: pl.DataFrame) -> pl.DataFrame:
    cases_frame = _frame(
        cases_service.case_rows(session, tenant_id),
        ["case_id", "buyer_id", "order_id", "kind", "claimed_minor", "opened_s", "forgery"],
        {"opened_s"},
    )
    rulings = _frame(
        cases_service.ruling_rows(session, tenant_id),
        ["case_id", "sequence", "liable_party", "ruled_s"],
        {"ruled_s"},
    )
    delivered = _frame(
        shipments_service.delivery_rows(session, tenant_id),
        ["order_id", "delivered_s"],
        {"delivered_s"},
    )
    return join_claims(cases_frame, rulings, delivered, orders)


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
