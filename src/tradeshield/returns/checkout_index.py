"""In-process snapshots that keep the checkout answer cheap.

Nearly every buyer at checkout has no restriction and a normal integrity tier. Each process
keeps, per tenant, the set of restricted buyer ids and identifier hashes and the map of
buyers whose integrity tier is not normal, each reloaded at most every ``ttl`` seconds (and
the restriction set at once after this process writes a restriction or lifts one). A buyer
who appears in neither is answered with one query (its identifier hashes); another
process's write shows here within ``ttl``. Product prices (needed only for the prepayment
limit) are kept the same way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

Snapshot = TypeVar("Snapshot")


@dataclass(frozen=True, slots=True)
class RestrictedSets:
    buyer_ids: frozenset[int]
    hashes: frozenset[str]

    def touches(self, buyer_id: int, hashes: Iterable[str]) -> bool:
        return buyer_id in self.buyer_ids or not self.hashes.isdisjoint(hashes)


class TenantSnapshots(Generic[Snapshot]):
    """One value per tenant, loaded on demand and trusted for ``ttl_seconds``."""

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._values: dict[int, tuple[float, Snapshot]] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: int, load: Callable[[], Snapshot]) -> Snapshot:
        found = self._values.get(tenant_id)
        if found is not None and time.monotonic() - found[0] < self.ttl:
            return found[1]
        with self._lock:
            loaded_at, value = time.monotonic(), load()
            self._values[tenant_id] = (loaded_at, value)
        return value

    def forget(self, tenant_id: int) -> None:
        self._values.pop(tenant_id, None)


class PriceCache(Generic[Snapshot]):
    """Per (tenant, product) values, each trusted for ``ttl_seconds``."""

    def __init__(self, ttl_seconds: float, max_entries: int = 100_000) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._values: dict[tuple[int, int], tuple[float, Snapshot]] = {}

    def get(self, tenant_id: int, product_id: int, load: Callable[[], Snapshot]) -> Snapshot:
        now = time.monotonic()
        found = self._values.get((tenant_id, product_id))
        if found is not None and now - found[0] < self.ttl:
            return found[1]
        value = load()
        if len(self._values) >= self.max_entries:
            self._values.clear()
        self._values[(tenant_id, product_id)] = (now, value)
        return value
