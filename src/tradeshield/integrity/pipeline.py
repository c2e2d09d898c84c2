"""The whole batch computation on frames: features, rings, ring columns, scores.

Pure: frames in, results out. The service feeds it from the database, the benchmark from
generated frames, training and evaluation from demo markets.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tradeshield.integrity.features import bulk_features
from tradeshield.integrity.frames import MarketFrames
from tradeshield.integrity.model import IntegrityModel
from tradeshield.integrity.policy import IntegrityPolicy
from tradeshield.integrity.ring_features import RingSummary, with_ring_columns
from tradeshield.integrity.rings import find_rings
from tradeshield.integrity.scoring import ScoredMarket, score_accounts


@dataclass(frozen=True, slots=True)
class MarketAssessment:
    as_of: int
    features: pl.DataFrame  # features and ring columns, one row per account
    rings: list[RingSummary]
    scores: ScoredMarket


def featurise(
    frames: MarketFrames, as_of: int, policy: IntegrityPolicy
) -> tuple[pl.DataFrame, list[RingSummary]]:
    features = bulk_features(frames, as_of, policy.time)
    seen = MarketFrames(
        accounts=frames.accounts,
        orders=frames.orders,
        claims=frames.claims,
        identifiers=frames.identifiers,
        purchases=frames.purchases.filter(pl.col("placed_s") <= as_of),
    )
    return with_ring_columns(features, find_rings(seen, policy.rings))


def assess_market(
    frames: MarketFrames,
    as_of: int,
    model: IntegrityModel,
    policy: IntegrityPolicy,
    appeal_bonus_points: dict[int, float] | None = None,
) -> MarketAssessment:
    features, rings = featurise(frames, as_of, policy)
    scores = score_accounts(features, model, policy, appeal_bonus_points)
    return MarketAssessment(as_of, features, rings, scores)
