"""Shops and their products across every industry, with popularity and price histories.

Shop popularity and product popularity are long-tailed, so a few shops and a few products
take most orders, as on a real marketplace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tradeshield.catalog.industries import Industry
from tradeshield.demo import profiles
from tradeshield.demo.listings import MAX_IMAGES, Listing, describe, image_refs
from tradeshield.demo.pricing import PriceHistory, price_history
from tradeshield.demo.rows import IdSequence, Rows
from tradeshield.demo.sampling import Floats, Ints, cumulative, draw, lognormal, retail_fen
from tradeshield.demo.timebase import DAY, WINDOW_DAYS, stamps

INDUSTRIES: tuple[Industry, ...] = tuple(Industry)
MAX_PRICE_MINOR = 20_000_000  # 200,000 yuan keeps ten-fold slips and baskets inside int32
MIS_SET_RATE = 0.004


@dataclass(frozen=True, slots=True)
class Catalogue:
    merchant_ids: Ints
    merchant_industry: Ints  # index into INDUSTRIES
    merchant_city: Ints
    merchant_carrier: Ints  # index into the carriers; -1 for shops that ship nothing
    merchant_handling_hours: Floats  # median hours from payment to pickup
    merchant_cum: Floats
    product_ids: Ints
    product_merchant: Ints
    product_first: Ints  # per merchant: its first product
    product_count: Ints  # per merchant: how many products it has
    product_cum_end: Floats  # merchant index + running popularity share inside the shop
    product_weight: Ints
    item_zh: list[str]
    item_en: list[str]
    prices: PriceHistory
    price_change_ids: Ints
    rows: list[Rows]

    def pick_products(self, rng: np.random.Generator, merchants: Ints) -> Ints:
        """One product of each given merchant, by popularity inside that shop."""
        wanted = merchants + rng.random(len(merchants)) * (1.0 - 1e-7)
        return np.searchsorted(self.product_cum_end, wanted, side="right").astype(np.int64)

    def neighbour(self, products: Ints, steps: Ints) -> Ints:
        """The product ``steps`` places further in the same shop, wrapping round."""
        shop = self.product_merchant[products]
        first = self.product_first[shop]
        return first + (products - first + steps) % self.product_count[shop]


def merchant_count(orders: int) -> int:
    return int(np.clip(round(orders / 1500), 3 * len(INDUSTRIES), 4000))


def _shop_industries(rng: np.random.Generator, orders: int) -> Ints:
    shares = np.array([profiles.industries()[i].demand_share for i in INDUSTRIES])
    per_industry = np.maximum(3, np.rint(merchant_count(orders) * shares / shares.sum()))
    return rng.permutation(np.repeat(np.arange(len(INDUSTRIES)), per_industry.astype(np.int64)))


def _shop_names(rng: np.random.Generator, industry: Ints) -> list[str]:
    text = profiles.texts()
    picks = rng.random((len(industry), 3)).tolist()
    names = []
    for (a, b, c), index in zip(picks, industry.tolist(), strict=True):
        words = profiles.industries()[INDUSTRIES[index]].shop_words
        prefix = text.shop_prefixes[int(a * len(text.shop_prefixes))]
        suffix = text.shop_suffixes[int(c * len(text.shop_suffixes))]
        names.append(f"{prefix}{words[int(b * len(words))]}{suffix}")
    return names


def _carriers(rng: np.random.Generator, industry: Ints) -> Ints:
    routes = profiles.logistics()
    carriers = []
    for index, u in zip(industry.tolist(), rng.random(len(industry)).tolist(), strict=True):
        names = profiles.industries()[INDUSTRIES[index]].carriers
        carriers.append(routes.carrier_index(names[int(u * len(names))]) if names else -1)
    return np.asarray(carriers, dtype=np.int64)


def build_catalogue(
    seed: int, rng: np.random.Generator, orders: int, now: int, tenant_id: int, ids: IdSequence
) -> Catalogue:
    industry = _shop_industries(rng, orders)
    shops = len(industry)
    shares = np.array([profiles.industries()[i].demand_share for i in INDUSTRIES])
    popularity = (
        shares[industry] / np.bincount(industry)[industry] * lognormal(rng, 1.0, 1.1, shops)
    )
    handling = lognormal(rng, 14.0, 0.35, shops) * np.where(rng.random(shops) < 0.06, 3.0, 1.0)
    city_cum = cumulative([weight for _, _, weight in profiles.logistics().cities])
    opened = now - rng.integers(200 * DAY, 2500 * DAY, shops)
    merchant_ids = ids.take("merchants", shops)
    counts = np.clip(lognormal(rng, 22.0, 0.7, shops), 4, 200).astype(np.int64)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    products = _Products.draw(seed, rng, industry, counts, opened, now)
    prices = price_history(
        rng, products.base_price, products.listed_at, now, products.mis_set_count
    )
    product_ids = ids.take("products", len(products.shop))
    price_change_ids = ids.take("price_changes", len(prices.price))
    rows = [
        _merchant_rows(rng, merchant_ids, industry, opened, tenant_id),
        products.rows(product_ids, merchant_ids, industry, prices, tenant_id),
        prices.rows(price_change_ids, product_ids, tenant_id),
    ]
    return Catalogue(
        merchant_ids=merchant_ids,
        merchant_industry=industry,
        merchant_city=draw(rng, city_cum, shops),
        merchant_carrier=_carriers(rng, industry),
        merchant_handling_hours=handling,
        merchant_cum=cumulative(popularity),
        product_ids=product_ids,
        product_merchant=products.shop,
        product_first=first,
        product_count=counts,
        product_cum_end=products.shop + products.within_shop_share,
        product_weight=products.weight,
        item_zh=[listing.item_zh for listing in products.listings],
        item_en=[listing.item_en for listing in products.listings],
        prices=prices,
        price_change_ids=price_change_ids,
        rows=rows,
    )


def _merchant_rows(
    rng: np.random.Generator, ids: Ints, industry: Ints, opened: Ints, tenant_id: int
) -> Rows:
    return Rows("merchants", len(ids), {
        "id": ids, "tenant_id": tenant_id,
        "external_ref": [f"SHOP{k + 1:05d}" for k in range(len(ids))],
        "name": _shop_names(rng, industry),
        "industry": [INDUSTRIES[i].value for i in industry.tolist()],
        "created_at": stamps(opened),
    })  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Products:
    shop: Ints
    within_shop_share: Floats
    base_price: Ints
    weight: Ints
    listed_at: Ints
    listings: list[Listing]
    mis_set_count: int

    @classmethod
    def draw(
        cls,
        seed: int,
        rng: np.random.Generator,
        industry: Ints,
        counts: Ints,
        opened: Ints,
        now: int,
    ) -> _Products:
        shop = np.repeat(np.arange(len(counts)), counts)
        n = len(shop)
        position = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)
        rank = np.empty(n, dtype=np.int64)
        rank[np.lexsort((rng.random(n), shop))] = position  # a random best seller per shop
        popularity = 1.0 / (1.0 + rank) ** 1.1
        per_shop = np.bincount(shop, weights=popularity)
        share = np.cumsum(popularity) - np.repeat(np.cumsum(per_shop) - per_shop, counts)
        within = np.minimum(share / per_shop[shop], 1.0 - 1e-9)
        window_start = now - WINDOW_DAYS * DAY
        listed = opened[shop] + (rng.random(n) * (window_start - opened[shop])).astype(np.int64)
        draws = rng.random((n, 10))
        noise = rng.standard_normal((n, 2))
        base, weight, listings = _listings(seed, draws, noise, industry[shop])
        return cls(
            shop=shop,
            within_shop_share=within,
            base_price=base,
            weight=weight,
            listed_at=listed,
            listings=listings,
            mis_set_count=max(3, round(n * MIS_SET_RATE)),
        )

    def rows(
        self,
        ids: Ints,
        merchant_ids: Ints,
        industry: Ints,
        prices: PriceHistory,
        tenant_id: int,
    ) -> Rows:
        industries = industry[self.shop]
        return Rows("products", len(ids), {
            "id": ids, "tenant_id": tenant_id, "merchant_id": merchant_ids[self.shop],
            "sku": [f"{_sku_prefix(INDUSTRIES[i])}{s:05d}-{k:03d}"
                    for i, s, k in zip(industries.tolist(), self.shop.tolist(),
                                       range(len(ids)), strict=True)],
            "title_zh": [item.title_zh for item in self.listings],
            "title_en": [item.title_en for item in self.listings],
            "category": [item.category for item in self.listings],
            "industry": [INDUSTRIES[i].value for i in industries.tolist()],
            "attributes": [item.attributes_json for item in self.listings],
            "listing_images": [item.images_json for item in self.listings],
            "price_minor": prices.current, "currency": "CNY",
            "created_at": stamps(self.listed_at), "updated_at": stamps(prices.updated_at),
        })  # fmt: skip


def _sku_prefix(industry: Industry) -> str:
    return "".join(word[0] for word in industry.value.split("_")).upper() + "-"


def _listings(
    seed: int, draws: Floats, noise: Floats, industry: Ints
) -> tuple[Ints, Ints, list[Listing]]:
    """Base price (fen), shipping weight (grams) and page content of each product."""
    base: list[float] = []
    weight: list[int] = []
    listings: list[Listing] = []
    rows = zip(draws.tolist(), noise.tolist(), industry.tolist(), strict=True)
    for number, (row, (price_noise, weight_noise), index) in enumerate(rows):
        profile = profiles.industries()[INDUSTRIES[index]]
        category = profile.categories[int(row[0] * len(profile.categories))]
        yuan = profile.price_median_yuan * category.price_factor
        base.append(yuan * math.exp(profile.price_sigma * price_noise))
        median = profile.weight_median_grams * category.weight_factor
        grams = round(median * math.exp(profile.weight_sigma * weight_noise))
        grams = max(grams, 20) if profile.ships else 0
        weight.append(grams)
        images = image_refs(seed, f"{index}:{number}", 1 + int(row[1] * MAX_IMAGES))
        listings.append(describe(profile, category, row[2:], grams, images))
    prices = np.minimum(retail_fen(np.asarray(base)), MAX_PRICE_MINOR)
    return prices, np.asarray(weight, dtype=np.int64), listings
