"""In-process indexes that keep the checkout answer cheap.

Nearly every buyer at checkout has no restriction. Each process keeps, per tenant, the set of
restricted buyer ids and identifier hashes, reloaded at most every ``ttl`` seconds and at
once after this process writes a restriction or lifts one; a buyer who touches neither set is
answered without the restriction query. Another process's write shows here within ``ttl``.
Product prices (needed only for the prepayment limit) are kept the same way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RestrictedSets:
    loaded_at: float
    buyer_ids: frozenset[int]
    hashes: frozenset[str]

    def touches(self, buyer_id: int, hashes: Iterable[str]) -> bool:
        return buyer_id in self.buyer_ids or not self.hashes.isdisjoint(hashes)


Loader = Callable[[], tuple[set[int], set[str]]]


class RestrictionIndex:
    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._sets: dict[int, RestrictedSets] = {}
        self._lock = threading.Lock()

    def sets(self, tenant_id: int, load: Loader) -> RestrictedSets:
        now = time.monotonic()
        found = self._sets.get(tenant_id)
        if found is not None and now - found.loaded_at < self.ttl:
            return found
        with self._lock:
            buyer_ids, hashes = load()
            found = RestrictedSets(now, frozenset(buyer_ids), frozenset(hashes))
            self._sets[tenant_id] = found
        return found

    def forget(self, tenant_id: int) -> None:
        self._sets.pop(tenant_id, None)


class PriceCache:
    def __init__(self, ttl_seconds: float, max_entries: int = 100_000) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._prices: dict[tuple[int, int], tuple[float, int]] = {}

    def price(self, tenant_id: int, product_id: int, load: Callable[[], int]) -> int:
        now = time.monotonic()
        found = self._prices.get((tenant_id, product_id))
        if found is not None and now - found[0] < self.ttl:
            return found[1]
        price = load()
        if len(self._prices) >= self.max_entries:
            self._prices.clear()
        self._prices[(tenant_id, product_id)] = (now, price)
        return price
