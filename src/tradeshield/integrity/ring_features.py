"""Ring-level figures (size, abuse share, money claimed) and the per-account columns they give.

Abuse share counts ring members with a confirmed bad outcome (a ruling against them in the
last year) - never a label. An account's own outcome is left out of its ring abuse share,
so the column says what its *partners* did.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tradeshield.integrity.rings import RingFinding

RING_COLUMNS = ("ring_size", "ring_abuse_share", "ring_claimed_minor")


@dataclass(frozen=True, slots=True)
class RingSummary:
    ring_key: str
    member_ids: list[int]
    component_size: int
    confirmed_members: int
    abuse_share: float
    claimed_minor_365d: int
    edges: list[tuple[int, int, float, str]]


def with_ring_columns(
    features: pl.DataFrame, rings: list[RingFinding]
) -> tuple[pl.DataFrame, list[RingSummary]]:
    membership = pl.DataFrame(
        {
            "buyer_id": [b for r in rings for b in r.member_ids],
            "ring_key": [r.ring_key for r in rings for _ in r.member_ids],
        },
        schema={"buyer_id": pl.Int64, "ring_key": pl.String},
    )
    marked = features.join(membership, on="buyer_id", how="left").with_columns(
        (pl.col("against_buyer_365d") > 0).cast(pl.Float64).alias("_confirmed")
    )
    per_ring = (
        marked.filter(pl.col("ring_key").is_not_null())
        .group_by("ring_key")
        .agg(
            pl.len().alias("_size"),
            pl.col("_confirmed").sum().alias("_confirmed_sum"),
            pl.col("claimed_minor_365d").sum().alias("_claimed"),
        )
    )
    others = (pl.col("_size") - 1).clip(lower_bound=1)
    joined = marked.join(per_ring, on="ring_key", how="left").with_columns(
        pl.col("_size").fill_null(0).cast(pl.Float64).alias("ring_size"),
        ((pl.col("_confirmed_sum") - pl.col("_confirmed")) / others)
        .fill_null(0.0)
        .alias("ring_abuse_share"),
        pl.col("_claimed").fill_null(0).cast(pl.Float64).alias("ring_claimed_minor"),
    )
    summaries = _summaries(rings, per_ring)
    return joined.drop("_confirmed", "_size", "_confirmed_sum", "_claimed"), summaries


def _summaries(rings: list[RingFinding], per_ring: pl.DataFrame) -> list[RingSummary]:
    figures = {row["ring_key"]: row for row in per_ring.iter_rows(named=True)}
    out = []
    for ring in rings:
        row = figures[ring.ring_key]
        size = len(ring.member_ids)
        out.append(
            RingSummary(
                ring_key=ring.ring_key,
                member_ids=ring.member_ids,
                component_size=ring.component_size,
                confirmed_members=int(row["_confirmed_sum"]),
                abuse_share=float(row["_confirmed_sum"]) / size,
                claimed_minor_365d=int(row["_claimed"]),
                edges=ring.edges,
            )
        )
    return out
