"""The columnar inputs of the integrity features, and their exact column types.

Everything the features need is in these frames, with times as integer UTC epoch seconds so
that windows are plain integer comparisons:

- ``accounts``: buyer_id, registered_s
- ``orders``: buyer_id, order_id, placed_s, total_minor, category (an integer code)
- ``claims``: buyer_id, order_id, opened_s, is_refund_only, is_return, claimed_minor,
  order_total_minor, delivered_s (null if the parcel never arrived), ruled_s (null while
  open), against_buyer (the latest ruling holds the buyer liable), forgery_suspected
- ``identifiers``: buyer_id, kind, keyed_hash
- ``mismatches``: buyer_id, order_id, checked_s, confirmed (return checks that found a
  mismatch the buyer answers for; ``confirmed`` by the merchant)

The frames come from the database (``sources.py``) or, for the benchmark, straight from a
generator; the features cannot tell the difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

ACCOUNTS_SCHEMA: dict[str, pl.DataType] = {"buyer_id": pl.Int64(), "registered_s": pl.Int64()}
ORDERS_SCHEMA: dict[str, pl.DataType] = {
    "buyer_id": pl.Int64(),
    "order_id": pl.Int64(),
    "placed_s": pl.Int64(),
    "total_minor": pl.Int64(),
    "category": pl.Int32(),
}
CLAIMS_SCHEMA: dict[str, pl.DataType] = {
    "buyer_id": pl.Int64(),
    "order_id": pl.Int64(),
    "opened_s": pl.Int64(),
    "is_refund_only": pl.Boolean(),
    "is_return": pl.Boolean(),
    "claimed_minor": pl.Int64(),
    "order_total_minor": pl.Int64(),
    "delivered_s": pl.Int64(),
    "ruled_s": pl.Int64(),
    "against_buyer": pl.Boolean(),
    "forgery_suspected": pl.Boolean(),
}
MISMATCHES_SCHEMA: dict[str, pl.DataType] = {
    "buyer_id": pl.Int64(),
    "order_id": pl.Int64(),
    "checked_s": pl.Int64(),
    "confirmed": pl.Boolean(),
}
IDENTIFIERS_SCHEMA: dict[str, pl.DataType] = {
    "buyer_id": pl.Int64(),
    "kind": pl.String(),
    "keyed_hash": pl.String(),
}
# One row per order line: what was bought when, for behaviour links between accounts.
PURCHASES_SCHEMA: dict[str, pl.DataType] = {
    "buyer_id": pl.Int64(),
    "product_id": pl.Int64(),
    "placed_s": pl.Int64(),
}


@dataclass(frozen=True, slots=True)
class MarketFrames:
    accounts: pl.DataFrame
    orders: pl.DataFrame
    claims: pl.DataFrame
    identifiers: pl.DataFrame
    purchases: pl.DataFrame
    mismatches: pl.DataFrame = field(default_factory=lambda: empty_frame(MISMATCHES_SCHEMA))

    def latest_event_s(self) -> int:
        """The time of the last recorded event: scores are taken as of then."""
        candidates = [
            self.orders["placed_s"].max(),
            self.claims["opened_s"].max(),
            self.claims["ruled_s"].max(),
        ]
        found = [int(c) for c in candidates if isinstance(c, int)]
        return max(found) if found else 0


def empty_frame(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
