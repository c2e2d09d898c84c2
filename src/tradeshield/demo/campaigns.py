"""Moments when many orders converge on one product: ring campaigns and mis-price rushes.

A ring campaign is its members buying the same product from one shop within hours and
then all claiming a refund. A rush is ordinary buyers piling onto a price that lost a zero
while it lasts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tradeshield.catalog.industries import Industry
from tradeshield.demo.catalogue import INDUSTRIES, Catalogue
from tradeshield.demo.population import Population
from tradeshield.demo.sampling import Ints
from tradeshield.demo.timebase import DAY, HOUR, NEVER, WINDOW_DAYS

# Goods whose refund-only claims are routine enough for a ring to hide among them.
RING_TARGETS = frozenset({
    Industry.FRESH_FOOD, Industry.COSMETICS, Industry.ELECTRONICS, Industry.APPAREL,
    Industry.MOTHER_BABY, Industry.DAIGOU, Industry.COLLECTIBLE_TOYS,
})  # fmt: skip
RUSH_SHARE = 0.35  # of the orders placed while a price is ten times too low
RUSH_CAP = 300


@dataclass(frozen=True, slots=True)
class Campaign:
    ring: int
    at: int
    merchant: int
    product: int
    members: Ints


@dataclass(frozen=True, slots=True)
class Rush:
    merchant: int
    product: int
    starts_at: int
    ends_at: int


def plan_campaigns(
    rng: np.random.Generator, population: Population, catalogue: Catalogue, now: int
) -> list[Campaign]:
    targets = np.flatnonzero(
        np.isin(catalogue.merchant_industry, [INDUSTRIES.index(i) for i in RING_TARGETS])
    )
    window_start = now - WINDOW_DAYS * DAY
    campaigns = []
    for index, ring in enumerate(population.rings):
        first = max(ring.registered_from + 3 * DAY, window_start)
        last = now - 12 * DAY
        if first >= last:
            continue
        for moment in np.sort(rng.integers(first, last, int(rng.integers(2, 6)))).tolist():
            merchant = int(rng.choice(targets))
            product = int(catalogue.pick_products(rng, np.array([merchant]))[0])
            joins = rng.random(len(ring.members)) < 0.8
            joins[:2] = True
            campaigns.append(Campaign(index, moment, merchant, product, ring.members[joins]))
    return sorted(campaigns, key=lambda campaign: campaign.at)


def plan_rushes(catalogue: Catalogue, now: int) -> list[Rush]:
    return [
        Rush(
            merchant=int(catalogue.product_merchant[slip.product]),
            product=slip.product,
            starts_at=slip.starts_at,
            ends_at=now if slip.ends_at == NEVER else slip.ends_at,
        )
        for slip in catalogue.prices.mis_set
        if slip.error == "missing_zero"
    ]


def rush_positions(
    rng: np.random.Generator, times: Ints, rushes: list[Rush]
) -> list[tuple[Ints, Rush]]:
    """Which orders of this chunk join which rush."""
    joined = []
    for rush in rushes:
        low, high = np.searchsorted(times, [rush.starts_at, rush.ends_at])
        if high > low:
            picked = low + np.flatnonzero(rng.random(high - low) < RUSH_SHARE)[:RUSH_CAP]
            joined.append((picked.astype(np.int64), rush))
    return joined


def campaign_positions(
    rng: np.random.Generator,
    times: Ints,
    span: tuple[int, int],
    campaigns: list[Campaign],
    taken: set[int],
) -> list[tuple[int, int, Campaign]]:
    """(order position, buyer, campaign) for the campaigns that fall in this chunk."""
    placed = []
    for campaign in campaigns:
        if not span[0] <= campaign.at < span[1]:
            continue
        offsets = rng.integers(-6 * HOUR, 6 * HOUR, len(campaign.members))
        for buyer, offset in zip(campaign.members.tolist(), offsets.tolist(), strict=True):
            position = min(int(np.searchsorted(times, campaign.at + offset)), len(times) - 1)
            while position in taken and position + 1 < len(times):
                position += 1
            if position not in taken:
                taken.add(position)
                placed.append((position, buyer, campaign))
    return placed
