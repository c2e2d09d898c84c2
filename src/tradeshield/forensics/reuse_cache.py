"""Per-tenant reuse indexes kept in this process, in step with the `photo_fingerprints` table
that every process writes.

Each process holds its own index and reads the rows it has not seen, by id. Ids are handed out
when a row is inserted but become visible when its transaction commits, so a row can appear
below ids already read (a slow transaction, another worker): reading only ``id > last seen``
would miss it for good. Hence:

- every refresh reads from a *settled* watermark: the highest id seen at least
  ``settle_seconds`` ago (transactions that insert fingerprints are short; a row not visible
  by then is assumed rolled back) and skips the ids of that window already indexed;
- every ``resync_seconds`` the index is rebuilt from the table, which also picks up a row from
  a transaction that outlived the settle window.

A lookup therefore sees every row committed before it, from any process, except a row whose
transaction stayed open longer than ``settle_seconds``; that one is found after the next full
re-sync at the latest.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.forensics.models import PhotoFingerprint as FingerprintRow
from tradeshield.forensics.reuse import PhotoIndex

SETTLE_SECONDS = 120.0
RESYNC_SECONDS = 3600.0


def to_unsigned(value: int) -> int:
    """64-bit hashes are stored in a signed BIGINT column."""
    return value + (1 << 64) if value < 0 else value


@dataclass
class _TenantIndex:
    index: PhotoIndex
    built_at: float
    settled_id: int = 0  # every row at or below this id is in the index
    recent_ids: set[int] = field(default_factory=set)  # indexed ids above settled_id
    marks: deque[tuple[float, int]] = field(default_factory=deque)  # (when, highest id seen)


class ReuseIndexCache:
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        settle_seconds: float = SETTLE_SECONDS,
        resync_seconds: float = RESYNC_SECONDS,
    ) -> None:
        self._clock = clock
        self._settle = settle_seconds
        self._resync = resync_seconds
        self._tenants: dict[int, _TenantIndex] = {}
        self._lock = threading.Lock()

    def refreshed(self, session: Session, tenant_id: int) -> PhotoIndex:
        """The tenant's index with every row committed since it was last read."""
        with self._lock:
            now = self._clock()
            held = self._tenants.get(tenant_id)
            if held is None or now - held.built_at >= self._resync:
                held = self._tenants[tenant_id] = _TenantIndex(PhotoIndex(), now)
            self._read_new_rows(session, tenant_id, held)
            self._settle_marks(held, now)
            return held.index

    def forget(self) -> None:
        with self._lock:
            self._tenants.clear()

    def _read_new_rows(self, session: Session, tenant_id: int, held: _TenantIndex) -> None:
        query = (
            select(FingerprintRow.id, FingerprintRow.phash, FingerprintRow.dhash)
            .where(FingerprintRow.tenant_id == tenant_id, FingerprintRow.id > held.settled_id)
            .order_by(FingerprintRow.id)
        )
        rows = [row for row in session.execute(query).all() if row[0] not in held.recent_ids]
        highest = max([held.marks[-1][1]] if held.marks else [held.settled_id])
        if rows:
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            phashes = np.array([to_unsigned(r[1]) for r in rows], dtype=np.uint64)
            dhashes = np.array([to_unsigned(r[2]) for r in rows], dtype=np.uint64)
            held.index.add_many(ids, phashes, dhashes)
            held.recent_ids.update(int(i) for i in ids)
            highest = max(highest, int(ids[-1]))
        if not held.marks or held.marks[-1][1] != highest:
            held.marks.append((self._clock(), highest))  # the oldest time an id was seen

    def _settle_marks(self, held: _TenantIndex, now: float) -> None:
        """Move the watermark to the highest id seen at least ``settle_seconds`` ago."""
        while held.marks and now - held.marks[0][0] >= self._settle:
            _, highest = held.marks.popleft()
            held.settled_id = max(held.settled_id, highest)
        held.recent_ids = {i for i in held.recent_ids if i > held.settled_id}
