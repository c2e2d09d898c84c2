"""Every price a product has had, including prices set wrong by a slipped zero.

A mis-set price is an ordinary price change whose amount is ten times too high or too low;
the merchant usually fixes it within hours, and some are still live at "now". Nothing in
the price rows tells the two apart: only the demo labels do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tradeshield.demo.rows import Rows
from tradeshield.demo.sampling import Ints, retail_fen
from tradeshield.demo.timebase import DAY, HOUR, NEVER, WINDOW_DAYS, stamps

SOURCES = ("merchant", "api", "bulk_import")
MAX_CHANGES = 4
_SPAN = 1 << 28  # seconds of history one product may span in the lookup key


@dataclass(frozen=True, slots=True)
class MisSetPrice:
    product: int
    row: int  # position of the wrong price in the history
    error: str  # "missing_zero" or "extra_zero"
    intended_minor: int
    set_minor: int
    starts_at: int
    ends_at: int  # NEVER while the wrong price is still live


@dataclass(frozen=True, slots=True)
class PriceHistory:
    product: Ints
    changed_at: Ints
    price: Ints
    source: list[str]
    current: Ints
    updated_at: Ints
    mis_set: list[MisSetPrice]
    origin: int

    def rows(self, ids: Ints, product_ids: Ints, tenant_id: int) -> Rows:
        return Rows("price_changes", len(ids), {
            "id": ids, "tenant_id": tenant_id, "product_id": product_ids[self.product],
            "price_minor": self.price, "currency": "CNY",
            "changed_at": stamps(self.changed_at), "source": self.source,
        })  # fmt: skip

    def at(self, products: Ints, when: Ints) -> Ints:
        """The price in force for each product at each moment."""
        keys = self.product * _SPAN + (self.changed_at - self.origin)
        wanted = products * _SPAN + (when - self.origin)
        return self.price[np.searchsorted(keys, wanted, side="right") - 1]


@dataclass(frozen=True, slots=True)
class _Slip:
    starts_at: int
    ends_at: int
    error: str


def _slips(rng: np.random.Generator, count: int, now: int) -> list[_Slip]:
    start = now - WINDOW_DAYS * DAY
    moments = rng.integers(start, now - 2 * HOUR, count)
    if count:
        moments[-1] = now - int(rng.integers(2 * HOUR, 30 * HOUR))
    fixes = moments + np.clip(rng.exponential(5 * HOUR, count), HOUR // 4, 72 * HOUR).astype(int)
    missing = (rng.random(count) < 0.6).tolist()
    slips = []
    for i in range(count):
        live = i == count - 1 or fixes[i] >= now
        error = "missing_zero" if missing[i] else "extra_zero"
        slips.append(_Slip(int(moments[i]), NEVER if live else int(fixes[i]), error))
    return slips


Entry = tuple[int, int, str]  # (changed at, price, source)


def _slipped_entries(slip: _Slip, entries: list[Entry], sources: list[int]) -> list[Entry]:
    """The wrong price and, unless it is still live, the fix back to the intended one."""
    intended = entries[-1][1]
    wrong = intended * 10 if slip.error == "extra_zero" else max(intended // 10, 1)
    added = [(slip.starts_at, wrong, SOURCES[sources[-2]])]
    if slip.ends_at != NEVER:
        added.append((slip.ends_at, intended, SOURCES[sources[-1]]))
    return added


def price_history(
    rng: np.random.Generator, base: Ints, listed_at: Ints, now: int, mis_set_count: int
) -> PriceHistory:
    """The history of ``len(base)`` products listed at ``listed_at`` with ``base`` prices."""
    n = len(base)
    changes = np.minimum(rng.poisson(1.0, n), MAX_CHANGES).tolist()
    moments = np.sort(rng.integers(now - WINDOW_DAYS * DAY, now - HOUR, (n, MAX_CHANGES)), axis=1)
    factors = np.cumprod(rng.lognormal(0.0, 0.12, (n, MAX_CHANGES)), axis=1)
    prices = retail_fen(base[:, None] / 100.0 * factors).tolist()
    chosen = rng.choice(n, mis_set_count, replace=False).tolist()
    slipped = dict(zip(chosen, _slips(rng, mis_set_count, now), strict=True))
    sources = rng.integers(0, len(SOURCES), (n, MAX_CHANGES + 2)).tolist()
    rows: list[tuple[int, int, int, str]] = []
    mis_set: list[MisSetPrice] = []
    for i, (moment_row, price_row) in enumerate(zip(moments.tolist(), prices, strict=True)):
        entries = [(int(listed_at[i]), int(base[i]), "listing")]
        slip = slipped.get(i)
        for j in range(changes[i]):
            if slip is None or moment_row[j] < slip.starts_at:
                entries.append((moment_row[j], price_row[j], SOURCES[sources[i][j]]))
        if slip is not None:
            added = _slipped_entries(slip, entries, sources[i])
            row = len(rows) + len(entries)
            wrong, intended = added[0][1], entries[-1][1]
            mis_set.append(
                MisSetPrice(i, row, slip.error, intended, wrong, slip.starts_at, slip.ends_at)
            )
            entries += added
        rows += [(i, moment, amount, origin) for moment, amount, origin in entries]
    return _assemble(n, rows, mis_set)


def _assemble(
    n: int, rows: list[tuple[int, int, int, str]], mis_set: list[MisSetPrice]
) -> PriceHistory:
    product_array = np.array([row[0] for row in rows], dtype=np.int64)
    changed_array = np.array([row[1] for row in rows], dtype=np.int64)
    price_array = np.array([row[2] for row in rows], dtype=np.int64)
    last = np.searchsorted(product_array, np.arange(n), side="right") - 1
    return PriceHistory(
        product=product_array,
        changed_at=changed_array,
        price=price_array,
        source=[row[3] for row in rows],
        current=price_array[last],
        updated_at=changed_array[last],
        mis_set=mis_set,
        origin=int(changed_array.min()),
    )
