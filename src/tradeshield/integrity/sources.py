"""Reading one tenant's market into the frames the features use.

The columns come from the modules that own them: each owner's service says what to select
(a ``FrameQuery``; the SQL stays in the owning module), ``bulk_frames`` reads them all in
one batch through ADBC, times already UTC epoch seconds; here they are joined into what the
features read.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy.orm import Session

from tradeshield.bulk_frames import FrameQuery, read_frames
from tradeshield.buyers import service as buyers_service
from tradeshield.cases import service as cases_service
from tradeshield.catalog import service as catalog_service
from tradeshield.forensics import flag_reads as forensics_reads
from tradeshield.integrity.frames import (
    ACCOUNTS_SCHEMA,
    CLAIMS_SCHEMA,
    IDENTIFIERS_SCHEMA,
    MISMATCHES_SCHEMA,
    ORDERS_SCHEMA,
    PURCHASES_SCHEMA,
    MarketFrames,
)
from tradeshield.orders import service as orders_service
from tradeshield.returns import mismatch_reads as returns_reads
from tradeshield.shipments import service as shipments_service

NO_CATEGORY = -1  # an order without lines


def owner_queries(session: Session, tenant_id: int) -> dict[str, FrameQuery]:
    """What to read from each owner, the biggest tables first (two are read at a time)."""
    return {
        "lines": orders_service.line_frame_query(session, tenant_id),
        "orders": orders_service.order_frame_query(session, tenant_id),
        "delivered": shipments_service.delivery_frame_query(session, tenant_id),
        "identifiers": buyers_service.identifier_frame_query(session, tenant_id),
        "accounts": buyers_service.account_frame_query(session, tenant_id),
        "cases": cases_service.case_frame_query(session, tenant_id),
        "rulings": cases_service.ruling_frame_query(session, tenant_id),
        "products": catalog_service.product_category_frame_query(session, tenant_id),
        "mismatches": returns_reads.mismatch_frame_query(session, tenant_id),
        "forged_cases": forensics_reads.forged_case_frame_query(session, tenant_id),
    }


def load_market(session: Session, tenant_id: int) -> MarketFrames:
    """The tenant's accounts, orders, claims, identifiers, purchases and return-check
    mismatches as frames; a case a forensic report found forged counts as suspected."""
    read = read_frames(session, owner_queries(session, tenant_id))
    lines = read["lines"].join(_category_codes(read["products"]), on="product_id")
    orders, purchases = _with_categories(read["orders"], lines)
    cases = read["cases"].with_columns(
        pl.col("forgery") | pl.col("case_id").is_in(read["forged_cases"]["case_id"].implode())
    )
    claims = join_claims(cases, read["rulings"], read["delivered"], orders)
    return MarketFrames(
        accounts=_typed(read["accounts"], ACCOUNTS_SCHEMA),
        orders=_typed(orders, ORDERS_SCHEMA),
        claims=_typed(claims, CLAIMS_SCHEMA),
        identifiers=_typed(read["identifiers"], IDENTIFIERS_SCHEMA),
        purchases=_typed(purchases, PURCHASES_SCHEMA),
        mismatches=_typed(read["mismatches"], MISMATCHES_SCHEMA),
    )


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if frame.height == 0:
        return pl.DataFrame(schema=schema)
    return frame.select([pl.col(name).cast(kind) for name, kind in schema.items()])


def _category_codes(products: pl.DataFrame) -> pl.DataFrame:
    """Each product's category as an integer that sorts as the name does (by code point).

    The few thousand products are ranked once, so the per-line work below is on integers.
    """
    rank = pl.col("category").rank("dense").cast(pl.Int32) - 1
    return products.select("product_id", rank.alias("category"))


def _with_categories(
    orders: pl.DataFrame, lines: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    # An order's category is its lines' alphabetically first, as the one-account path does.
    first = lines.group_by("order_id").agg(pl.col("category").min())
    with_category = orders.join(first, on="order_id", how="left").with_columns(
        pl.col("category").fill_null(NO_CATEGORY)
    )
    purchases = lines.join(orders.select("order_id", "buyer_id", "placed_s"), on="order_id")
    return with_category, purchases.select("buyer_id", "product_id", "placed_s")


def join_claims(
    cases: pl.DataFrame, rulings: pl.DataFrame, delivered: pl.DataFrame, orders: pl.DataFrame
) -> pl.DataFrame:
    """One row per case with its latest ruling, the order's value and its delivery time."""
    latest = rulings.sort("case_id", "sequence").group_by("case_id").last()
    # Only the claimed orders' parcels and totals: a few percent of the market.
    claimed = cases.select("order_id").unique()
    first_delivery = (
        delivered.join(claimed, on="order_id", how="semi")
        .group_by("order_id")
        .agg(pl.col("delivered_s").min())
    )
    totals = orders.join(claimed, on="order_id", how="semi").select(
        "order_id", pl.col("total_minor").alias("order_total_minor")
    )
    joined = (
        cases.join(latest.select("case_id", "liable_party", "ruled_s"), on="case_id", how="left")
        .join(first_delivery, on="order_id", how="left")
        .join(totals, on="order_id", how="left")
    )
    return joined.select(
        "buyer_id", "order_id", "opened_s",
        (pl.col("kind") == "refund_only").alias("is_refund_only"),
        (pl.col("kind") == "return_and_refund").alias("is_return"),
        "claimed_minor", pl.col("order_total_minor").fill_null(0), "delivered_s", "ruled_s",
        (pl.col("liable_party") == "buyer").fill_null(False).alias("against_buyer"),
        pl.col("forgery").alias("forgery_suspected"),
    )  # fmt: skip
