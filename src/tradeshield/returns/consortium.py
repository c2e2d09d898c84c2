"""Pure parts of the consortium list: identifier hashing with the consortium key and the
token bucket that rate-limits queries.

Identifiers cross tenants only as HMAC-SHA256 with a key the members share and the platform
holds; the clear value is normalised exactly as the buyers module does (so a phone written
two ways hashes alike) and dropped. See THREAT_MODEL.md for what this does and does not stop.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from tradeshield.buyers.identifiers import normalise
from tradeshield.buyers.kinds import IdentifierKind


def consortium_hash(key: bytes, kind: IdentifierKind, value: str) -> str:
    message = f"consortium:{kind.value}:{normalise(kind, value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Bucket:
    tokens: float
    allowed: bool


def spend(tokens: float, elapsed_seconds: float, capacity: int, refill_per_second: float) -> Bucket:
    """Refill for the time since the last query, then take one token if there is one."""
    available = min(float(capacity), tokens + max(0.0, elapsed_seconds) * refill_per_second)
    if available >= 1.0:
        return Bucket(available - 1.0, True)
    return Bucket(available, False)
