"""Rings: groups of accounts linked by shared identifiers and by buying alike.

Two kinds of link make a weighted graph of accounts:
- a shared keyed hash of a device, payment account, phone or address (weights per kind in
  the policy); an identifier shared by very many accounts (a parcel locker, a campus
  address) links nobody and is dropped;
- behaviour: the same product bought within a few hours, at least a few times.

Connected components on identifier links say who *could* be one operator; Leiden community
detection on the weighted graph splits big components (households that touch a ring's
device, say) into the groups that are actually dense. A ring is a community of at least
``min_ring_size`` accounts. Nothing here knows which accounts are abusive; ring-level
abuse share comes from confirmed outcomes later.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
import polars as pl

from tradeshield.integrity.frames import MarketFrames
from tradeshield.integrity.policy import RingPolicy

LEIDEN_SEED = 20261125


@dataclass(frozen=True, slots=True)
class RingFinding:
    ring_key: str  # stable within one run: "R" + the smallest member id
    member_ids: list[int]
    component_size: int
    edges: list[tuple[int, int, float, str]]  # buyer a, buyer b, weight, strongest link kind


def _pairs(groups: pl.DataFrame, weight: pl.Expr, kind: pl.Expr) -> pl.DataFrame:
    """All account pairs inside each group (``members`` lists), with the group's weight."""
    exploded = groups.select(
        pl.col("members").alias("a"), pl.col("members").alias("b"), weight.alias("w"),
        kind.alias("link"),
    ).explode("a").explode("b")  # fmt: skip
    return exploded.filter(pl.col("a") < pl.col("b"))


def identifier_links(identifiers: pl.DataFrame, policy: RingPolicy) -> pl.DataFrame:
    weights = pl.DataFrame(
        {"kind": list(policy.identifier_weights), "w": list(policy.identifier_weights.values())}
    )
    groups = (
        identifiers.unique(["buyer_id", "kind", "keyed_hash"])
        .group_by("kind", "keyed_hash")
        .agg(pl.col("buyer_id").alias("members"))
        .filter(pl.col("members").list.len().is_between(2, policy.max_accounts_per_identifier))
        .join(weights, on="kind")
    )
    return _pairs(groups, pl.col("w"), pl.col("kind"))


def behaviour_links(purchases: pl.DataFrame, policy: RingPolicy) -> pl.DataFrame:
    bucket_s = int(policy.co_purchase_hours * 3600)
    groups = (
        purchases.with_columns((pl.col("placed_s") // bucket_s).alias("bucket"))
        .group_by("product_id", "bucket")
        .agg(pl.col("buyer_id").unique().alias("members"))
        .filter(pl.col("members").list.len().is_between(2, policy.max_accounts_per_identifier))
    )
    pairs = _pairs(groups, pl.lit(1.0), pl.lit("co_purchase"))
    counted = pairs.group_by("a", "b").agg(pl.len().alias("times"))
    return counted.filter(pl.col("times") >= policy.co_purchase_min_shared).select(
        "a", "b", pl.lit(policy.co_purchase_weight).alias("w"), pl.lit("co_purchase").alias("link")
    )


def find_rings(frames: MarketFrames, policy: RingPolicy) -> list[RingFinding]:
    """Rings in the market, largest first."""
    by_identifier = identifier_links(frames.identifiers, policy)
    by_behaviour = behaviour_links(frames.purchases, policy)
    links = pl.concat([by_identifier, by_behaviour], how="vertical_relaxed")
    if links.height == 0:
        return []
    # Sorted: the graph's edge order steers Leiden, and rings must come out the same each run.
    merged = (
        links.sort("w", "link", descending=[True, False])
        .group_by("a", "b")
        .agg(pl.col("w").sum(), pl.col("link").first())
        .sort("a", "b")
    )
    ids = np.unique(np.concatenate([merged["a"].to_numpy(), merged["b"].to_numpy()]))
    index_a = np.searchsorted(ids, merged["a"].to_numpy())
    index_b = np.searchsorted(ids, merged["b"].to_numpy())
    edges = np.column_stack([index_a, index_b])
    graph = ig.Graph(n=len(ids), edges=edges.tolist())
    graph.es["weight"] = merged["w"].to_list()
    shares_identifier = (merged["link"] != "co_purchase").to_numpy()
    components = _identifier_components(len(ids), edges[shares_identifier])
    communities = np.asarray(_communities(graph, policy), dtype=np.int64)
    pairs = np.column_stack([communities, components])
    group_of = np.unique(pairs, axis=0, return_inverse=True)[1].reshape(-1)
    return _rings(merged, ids, (index_a, index_b), group_of, components, policy)


def _identifier_components(vertex_count: int, identifier_edges: np.ndarray) -> np.ndarray:
    sub = ig.Graph(n=vertex_count, edges=identifier_edges.tolist())
    return np.asarray(sub.connected_components().membership, dtype=np.int64)


def _communities(graph: ig.Graph, policy: RingPolicy) -> list[int]:
    import random

    random.seed(LEIDEN_SEED)  # igraph draws from Python's generator; fixed for repeatable rings
    partition = graph.community_leiden(
        objective_function="modularity",
        weights="weight",
        resolution=policy.leiden_resolution,
        n_iterations=policy.leiden_iterations,
    )
    membership: list[int] = partition.membership
    return membership


def _rings(
    merged: pl.DataFrame,
    ids: np.ndarray,
    ends: tuple[np.ndarray, np.ndarray],
    group_of: np.ndarray,
    components: np.ndarray,
    policy: RingPolicy,
) -> list[RingFinding]:
    """Rings from each vertex's group: its community within its identifier component.

    A ring must also hang together by identifiers (buying alike alone links strangers), so
    a group is a community cut by components. Vectorised: with millions of edges, asking
    the graph for each ring's edges scanned them all once per ring.
    """
    component_sizes = np.bincount(components)
    sizes = np.bincount(group_of)
    is_ring = sizes >= policy.min_ring_size
    vertices = np.flatnonzero(is_ring[group_of])
    members_of: dict[int, list[int]] = {}
    for vertex in vertices.tolist():
        members_of.setdefault(int(group_of[vertex]), []).append(int(ids[vertex]))
    same = group_of[ends[0]] == group_of[ends[1]]
    inside = np.flatnonzero(same & is_ring[group_of[ends[0]]])
    edges_of: dict[int, list[tuple[int, int, float, str]]] = {g: [] for g in members_of}
    picked = merged.select(pl.all().gather(pl.Series(inside, dtype=pl.Int64)))
    for row, (a, b, weight, link) in zip(
        inside.tolist(), picked.select("a", "b", "w", "link").iter_rows(), strict=True
    ):
        edges_of[int(group_of[ends[0][row]])].append((int(a), int(b), float(weight), str(link)))
    rings: list[RingFinding] = []
    for group, members in members_of.items():
        member_ids = sorted(members)
        biggest = int(component_sizes[components[np.searchsorted(ids, member_ids[0])]])
        rings.append(RingFinding(f"R{member_ids[0]}", member_ids, biggest, edges_of[group]))
    rings.sort(key=lambda r: (-len(r.member_ids), r.ring_key))
    return rings
