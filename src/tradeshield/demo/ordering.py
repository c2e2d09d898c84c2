"""One chunk of orders and their lines: who bought what, when, at which price.

Baskets are long-tailed (most orders have one line), lines of a basket come from one shop,
prices are those in force when the order was placed (mis-set ones included), and promotion
days raise the share of discounted lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tradeshield.demo.campaigns import Campaign, Rush, campaign_positions, rush_positions
from tradeshield.demo.catalogue import Catalogue
from tradeshield.demo.market import Market
from tradeshield.demo.rows import Rows
from tradeshield.demo.sampling import Flags, Ints, cumulative, draw
from tradeshield.demo.timebase import NEVER, promo_share, stamps

BASKET_SIZES = cumulative([0.70, 0.17, 0.07, 0.03, 0.015, 0.008, 0.004, 0.003])
QUANTITIES = cumulative([0.85, 0.10, 0.03, 0.01, 0.005, 0.005])
UNPAID_RATE = 0.015


@dataclass(frozen=True, slots=True)
class OrderBatch:
    ids: Ints
    merchant: Ints
    buyer: Ints
    placed: Ints
    paid: Ints  # NEVER for orders never paid
    total: Ints
    ring: Ints  # the ring whose campaign placed the order, -1 otherwise
    first_product: Ints
    first_line_value: Ints
    line_order: Ints  # position of each line's order in this batch
    line_product: Ints
    line_quantity: Ints
    rows: list[Rows]

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, slots=True)
class _Overrides:
    positions: Ints
    buyers: Ints  # -1 keeps the buyer drawn at random
    merchants: Ints
    products: Ints
    rings: Ints


def _overrides(
    rng: np.random.Generator,
    times: Ints,
    span: tuple[int, int],
    campaigns: list[Campaign],
    rushes: list[Rush],
) -> _Overrides:
    positions: list[int] = []
    buyers: list[int] = []
    merchants: list[int] = []
    products: list[int] = []
    rings: list[int] = []
    taken: set[int] = set()
    for picked, rush in rush_positions(rng, times, rushes):
        fresh = [p for p in picked.tolist() if p not in taken]
        taken.update(fresh)
        positions += fresh
        buyers += [-1] * len(fresh)
        merchants += [rush.merchant] * len(fresh)
        products += [rush.product] * len(fresh)
        rings += [-1] * len(fresh)
    for position, buyer, campaign in campaign_positions(rng, times, span, campaigns, taken):
        positions.append(position)
        buyers.append(buyer)
        merchants.append(campaign.merchant)
        products.append(campaign.product)
        rings.append(campaign.ring)
    as_array = [
        np.asarray(v, dtype=np.int64) for v in (positions, buyers, merchants, products, rings)
    ]
    return _Overrides(*as_array)


@dataclass(frozen=True, slots=True)
class _Baskets:
    """Per order: the shop, the buyer, the first product and how many lines."""

    merchant: Ints
    buyer: Ints
    first: Ints
    size: Ints
    ring: Ints
    staged: Ints  # orders placed by a campaign or a rush: paid at once
    rushing: Ints  # orders that rushed a price missing a zero


def _baskets(
    rng: np.random.Generator,
    times: Ints,
    span: tuple[int, int],
    market: Market,
    plans: tuple[list[Campaign], list[Rush]],
) -> _Baskets:
    n = len(times)
    merchant = draw(rng, market.catalogue.merchant_cum, n)
    buyer = market.population.pick(rng, times)
    size = draw(rng, BASKET_SIZES, n) + 1
    first = market.catalogue.pick_products(rng, merchant)
    special = _overrides(rng, times, span, *plans)
    merchant[special.positions] = special.merchants
    first[special.positions] = special.products
    size[special.positions] = 1
    ring = np.full(n, -1, dtype=np.int64)
    ring[special.positions] = special.rings
    keep = special.buyers >= 0
    buyer[special.positions[keep]] = special.buyers[keep]
    return _Baskets(merchant, buyer, first, size, ring, special.positions, special.positions[~keep])


@dataclass(frozen=True, slots=True)
class _Lines:
    order: Ints  # position of each line's order in the batch
    first: Ints  # per order: its first line
    product: Ints
    quantity: Ints
    price: Ints
    promo: Flags


def _lines(
    rng: np.random.Generator, times: Ints, baskets: _Baskets, catalogue: Catalogue
) -> _Lines:
    """Lines of a basket are neighbouring products of one shop, at the price of the moment."""
    order = np.repeat(np.arange(len(times)), baskets.size)
    first = np.cumsum(baskets.size) - baskets.size
    product = catalogue.neighbour(baskets.first[order], np.arange(len(order)) - first[order])
    quantity = draw(rng, QUANTITIES, len(order)) + 1
    rushing = np.isin(order, baskets.rushing)
    quantity[rushing] = rng.integers(1, 6, int(rushing.sum()))  # a bargain is bought by the box
    on_promo = rng.random(len(times)) < promo_share(times)
    promo: Flags = on_promo[order] & (rng.random(len(order)) < 0.85)
    price = catalogue.prices.at(product, times[order])
    discount = rng.uniform(0.75, 0.95, len(order))
    price = np.where(promo, np.maximum(np.rint(price * discount), 1), price).astype(np.int64)
    return _Lines(order, first, product, quantity, price, promo)


def build_orders(
    rng: np.random.Generator,
    times: Ints,
    span: tuple[int, int],
    first_number: int,
    market: Market,
    plans: tuple[list[Campaign], list[Rush]],
) -> OrderBatch:
    """Orders placed at ``times``; ``first_number`` numbers their external references."""
    n = len(times)
    baskets = _baskets(rng, times, span, market, plans)
    lines = _lines(rng, times, baskets, market.catalogue)
    value = lines.quantity * lines.price
    total = np.bincount(lines.order, weights=value, minlength=n).astype(np.int64)
    paid = times + np.clip(rng.lognormal(np.log(45.0), 1.2, n), 5, 1800).astype(np.int64)
    paid[rng.random(n) < UNPAID_RATE] = NEVER
    paid[baskets.staged] = times[baskets.staged] + 60
    order_ids = market.ids.take("orders", n)
    return OrderBatch(
        ids=order_ids,
        merchant=baskets.merchant,
        buyer=baskets.buyer,
        placed=times,
        paid=paid,
        total=total,
        ring=baskets.ring,
        first_product=baskets.first,
        first_line_value=value[lines.first],
        line_order=lines.order,
        line_product=lines.product,
        line_quantity=lines.quantity,
        rows=_rows(market, order_ids, first_number, times, paid, total, baskets, lines),
    )


def _rows(
    market: Market,
    order_ids: Ints,
    first_number: int,
    times: Ints,
    paid: Ints,
    total: Ints,
    baskets: _Baskets,
    lines: _Lines,
) -> list[Rows]:
    n, tenant_id = len(order_ids), market.tenant_id
    return [
        Rows("orders", n, {
            "id": order_ids, "tenant_id": tenant_id,
            "merchant_id": market.catalogue.merchant_ids[baskets.merchant],
            "buyer_id": market.population.ids[baskets.buyer],
            "external_ref": [f"O{first_number + k:09d}" for k in range(n)],
            "placed_at": stamps(times), "paid_at": stamps(paid), "total_minor": total,
            "currency": "CNY", "created_at": stamps(times),
        }),
        Rows("order_lines", len(lines.order), {
            "id": market.ids.take("order_lines", len(lines.order)), "tenant_id": tenant_id,
            "order_id": order_ids[lines.order],
            "product_id": market.catalogue.product_ids[lines.product],
            "quantity": lines.quantity, "unit_price_minor": lines.price, "promo": lines.promo,
        }),
    ]  # fmt: skip
