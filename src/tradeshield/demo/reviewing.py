"""Reviews buyers leave after receiving an order, in Chinese or English.

Templated but varied (opening, the industry's aspects, closing), with ratings that drop when
the order went wrong: a claim, a late or a damaged parcel. Buyers with a problem review
more often than happy ones, as on real marketplaces.
"""

from __future__ import annotations

import json

import numpy as np

from tradeshield.demo import profiles
from tradeshield.demo.catalogue import INDUSTRIES
from tradeshield.demo.claims import Claims
from tradeshield.demo.listings import image_refs
from tradeshield.demo.market import Market
from tradeshield.demo.ordering import OrderBatch
from tradeshield.demo.parcels import Outbound
from tradeshield.demo.profiles import ReviewTexts
from tradeshield.demo.rows import Rows
from tradeshield.demo.sampling import cumulative, draw, hours
from tradeshield.demo.timebase import NEVER, later, stamps

RATINGS_CONTENT = cumulative([0.02, 0.02, 0.06, 0.20, 0.70])
RATINGS_LATE = cumulative([0.08, 0.10, 0.25, 0.30, 0.27])
RATINGS_PROBLEM = cumulative([0.40, 0.22, 0.18, 0.12, 0.08])
ENGLISH_SHARE = 0.15


def _text(
    texts: ReviewTexts, rating: int, aspects: list[str], english: bool, u: list[float]
) -> str:
    if rating >= 4:
        opening, aspect_pool, closing = texts.good_open, aspects, texts.good_close
    elif rating == 3:
        opening, aspect_pool, closing = texts.mixed_open, aspects, texts.mixed_close
    else:
        opening, aspect_pool, closing = texts.bad_open, texts.bad_aspects, texts.bad_close
    parts = [
        pool[int(x * len(pool))]
        for pool, x in zip((opening, aspect_pool, closing), u, strict=False)
    ]
    return f"{parts[0]}{parts[1]}. {parts[2]}" if english else f"{parts[0]}{parts[1]}，{parts[2]}"


def write_reviews(
    rng: np.random.Generator, batch: OrderBatch, parcels: Outbound, claims: Claims, market: Market
) -> Rows:
    claimed = np.zeros(batch.count, dtype=bool)
    claimed[claims.order] = True
    trouble = claimed | parcels.damaged
    chance = np.where(trouble, 0.35, 0.2)
    delay = hours(np.clip(rng.lognormal(np.log(40.0), 0.9, batch.count), 1, 40 * 24))
    written = later(parcels.received, delay)
    posted = np.flatnonzero(
        (parcels.received != NEVER) & (rng.random(batch.count) < chance) & (written <= market.now)
    )
    rating = draw(rng, RATINGS_CONTENT, len(posted)) + 1
    late = parcels.late[posted]
    rating[late] = draw(rng, RATINGS_LATE, int(late.sum())) + 1
    bad = trouble[posted]
    rating[bad] = draw(rng, RATINGS_PROBLEM, int(bad.sum())) + 1
    english = rng.random(len(posted)) < ENGLISH_SHARE
    picks = rng.random((len(posted), 4)).tolist()
    industry = market.catalogue.merchant_industry[batch.merchant[posted]]
    texts = profiles.texts().reviews
    body, photos = [], []
    orders = batch.ids[posted].tolist()
    for k, (stars, in_english, u, index) in enumerate(
        zip(rating.tolist(), english.tolist(), picks, industry.tolist(), strict=True)
    ):
        profile = profiles.industries()[INDUSTRIES[index]]
        aspects = profile.aspects_en if in_english else profile.aspects_zh
        body.append(_text(texts["en" if in_english else "zh"], stars, aspects, in_english, u))
        shows = u[3] < (0.4 if stars <= 2 else 0.15)
        count = 1 + int(u[3] * 7) % 3 if shows else 0
        photos.append(json.dumps(image_refs(market.seed, f"review:{orders[k]}", count)))
    return Rows("reviews", len(posted), {
        "id": market.ids.take("reviews", len(posted)), "tenant_id": market.tenant_id,
        "merchant_id": market.catalogue.merchant_ids[batch.merchant[posted]],
        "product_id": market.catalogue.product_ids[batch.first_product[posted]],
        "order_id": batch.ids[posted], "buyer_id": market.population.ids[batch.buyer[posted]],
        "rating": rating, "language": np.where(english, "en", "zh").astype(object),
        "text": body, "photos": photos, "created_at": stamps(written[posted]),
    })  # fmt: skip
