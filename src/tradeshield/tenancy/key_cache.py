"""Scopes of recently authenticated API keys, held per process for a few seconds.

Every API call authenticates its key; at checkout and ruling rates the database lookup and
the thread hand-off it needs cost more than the answer itself. A key's scope is therefore
remembered for ``api_key_cache_seconds`` under the SHA-256 of the presented key (never the
key), so a key revoked in the database stops working in every process within that time.
"""

from __future__ import annotations

import hashlib
import threading
import time

from tradeshield.tenancy.scope import Scope

MAX_ENTRIES = 10_000


class ScopeCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, Scope]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def digest(presented: str) -> str:
        return hashlib.sha256(presented.encode()).hexdigest()

    def get(self, digest: str) -> Scope | None:
        entry = self._entries.get(digest)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, digest: str, scope: Scope, ttl_seconds: float) -> None:
        if ttl_seconds <= 0:
            return
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = (time.monotonic() + ttl_seconds, scope)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


scopes = ScopeCache()
