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
    merged = (
        links.sort("w", descending=True)
        .group_by("a", "b")
        .agg(pl.col("w").sum(), pl.col("link").first())
    )
    ids = np.unique(np.concatenate([merged["a"].to_numpy(), merged["b"].to_numpy()]))
    index_a = np.searchsorted(ids, merged["a"].to_numpy())
    index_b = np.searchsorted(ids, merged["b"].to_numpy())
    graph = ig.Graph(n=len(ids), edges=np.column_stack([index_a, index_b]).tolist())
    graph.es["weight"] = merged["w"].to_list()
    graph.es["link"] = merged["link"].to_list()
    components = _identifier_components(graph)
    communities = _communities(graph, policy)
    return _rings(graph, ids, communities, components, policy)


def _identifier_components(graph: ig.Graph) -> list[int]:
    identifier_edges = [e.index for e in graph.es if e["link"] != "co_purchase"]
    sub = graph.subgraph_edges(identifier_edges, delete_vertices=False)
    membership: list[int] = sub.connected_components().membership
    return membership


def _communities(graph: ig.Graph, policy: RingPolicy) -> list[int]:
    import random

    random.seed(LEIDEN_SEED)  # igraph draws from Python's generator; fixed for repeatable rings
    partition = graph.community_leiden(
        objective_function="modularity",
        weights="weight",
        resolution=policy.leiden_resolution,
        n_iterations=-1,
    )
    membership: list[int] = partition.membership
    return membership


def _rings(
    graph: ig.Graph,
    ids: np.ndarray,
    communities: list[int],
    components: list[int],
    policy: RingPolicy,
) -> list[RingFinding]:
    component_sizes = np.bincount(np.asarray(components))
    # A ring must also hang together by identifiers: buying alike alone links strangers.
    members_of: dict[tuple[int, int], list[int]] = {}
    for vertex, community in enumerate(communities):
        members_of.setdefault((community, components[vertex]), []).append(vertex)
    rings: list[RingFinding] = []
    for vertices in members_of.values():
        if len(vertices) < policy.min_ring_size:
            continue
        inside = set(vertices)
        edges = [
            (int(ids[e.source]), int(ids[e.target]), float(e["weight"]), str(e["link"]))
            for e in graph.es.select(_source_in=inside, _target_in=inside)
        ]
        member_ids = sorted(int(ids[v]) for v in vertices)
        biggest = int(max(component_sizes[components[v]] for v in vertices))
        rings.append(RingFinding(f"R{member_ids[0]}", member_ids, biggest, edges))
    rings.sort(key=lambda r: (-len(r.member_ids), r.ring_key))
    return rings
