"""People's identifiers for the demo accounts, kept only as keyed hashes.

Clear phone numbers, devices, addresses and payment accounts are made up here, hashed with
the installation's key through ``buyers.identifiers.keyed_hash`` and dropped: nothing clear
leaves this module. Ring members draw from their ring's shared pool; honest households
share an address (and sometimes a tablet) as real families do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tradeshield.buyers.identifiers import keyed_hash
from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.demo import profiles
from tradeshield.demo.rows import Rows
from tradeshield.demo.sampling import Ints, stream

K = IdentifierKind
PHONE, DEVICE, ADDRESS, PAYMENT = K.PHONE, K.DEVICE, K.ADDRESS, K.PAYMENT_ACCOUNT
_VALUE_OF = {kind: kind.value for kind in K}  # enum .value is a slow property in a hot loop
HOUSEHOLD_RATE = 0.04
_IDENTITIES = 5  # the stream key of this stage


@dataclass(slots=True)
class Identifiers:
    """Hashed identifiers per buyer index, in the order they were found."""

    secret: bytes
    buyer: list[int] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    keyed_hash: list[str] = field(default_factory=list)
    first_seen: list[int] = field(default_factory=list)
    _hashes: dict[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.buyer)

    def add(self, buyer: int, kind: K, value: str, seen_at: int) -> None:
        # Only shared values repeat (rings, households); the cache spares hashing them again.
        name = _VALUE_OF[kind]
        digest = self._hashes.get(f"{name}:{value}")
        if digest is None:
            digest = self._hashes[f"{name}:{value}"] = keyed_hash(self.secret, kind, value)
        self.buyer.append(buyer)
        self.kind.append(name)
        self.keyed_hash.append(digest)
        self.first_seen.append(seen_at)

    def rows(self, ids: Ints, buyer_ids: Ints, tenant_id: int) -> Rows:
        moments = np.asarray(self.first_seen, dtype=np.int64).astype("datetime64[s]")
        return Rows("buyer_identifiers", self.count, {
            "id": ids, "tenant_id": tenant_id,
            "buyer_id": buyer_ids[np.asarray(self.buyer, dtype=np.int64)],
            "kind": self.kind, "keyed_hash": self.keyed_hash, "first_seen_at": moments,
        })  # fmt: skip


class _Values:
    """Made-up clear values, unique through a serial number that no other call shares."""

    def __init__(self, rng: np.random.Generator, first_serial: int) -> None:
        self.rng = rng
        self.places = profiles.logistics()
        self.serial = first_serial
        self._uniforms: list[float] = []

    def _next(self) -> int:
        self.serial += 1
        return self.serial

    def _pick(self, count: int) -> int:
        # One buffered draw per value: scalar draws from numpy cost microseconds each.
        if not self._uniforms:
            self._uniforms = self.rng.random(1 << 14).tolist()
        return int(self._uniforms.pop() * count)

    def phone(self) -> str:
        serial = self._next()
        return f"+86 1{3 + serial % 7}{(serial * 7_919 + 104_729) % 10**9:09d}"

    def device(self) -> str:
        platform = ("android", "ios", "harmony")[self._next() % 3]
        return f"{platform}-{self._pick(1 << 30):08x}{self._pick(1 << 30):08x}"

    def address(self, city: int) -> str:
        zh = self.places.cities[city][0]
        district = self.places.districts[self._pick(len(self.places.districts))]
        road = self.places.roads[self._pick(len(self.places.roads))]
        building, room = 1 + self._pick(30), 101 + self._pick(2900)
        return f"{zh}市{district}{road}{self._next()}号{building}栋{room}室"

    def payment(self) -> str:
        serial = self._next()
        kind = self._pick(20)
        if kind < 12:
            return f"alipay:2088{(serial * 7_777_777 + 12_345) % 10**12:012d}"
        if kind < 19:
            return f"wechatpay:o{self._pick(1 << 30):08x}{self._pick(1 << 30):08x}"
        return f"unionpay:6222{(serial * 3_333_331 + 999) % 10**12:012d}"


_SERIALS_PER_BUYER = 16  # more than any account uses, so serial ranges never overlap


@dataclass(frozen=True, slots=True)
class IdentityPlan:
    """What identifiers each buyer has; hashed slice by slice, since hashing is the slow part.

    Shared values (rings' pools, households) are fixed up front; each slice of buyers
    then draws its own values from its own stream, so slices can be made in any order.
    """

    seed: int
    secret: bytes
    registered: Ints
    ring: Ints
    city: Ints
    now: int
    pools: list[dict[K, list[str]]]
    households: dict[int, tuple[str, str | None]]

    @classmethod
    def draw(
        cls, seed: int, secret: bytes, registered: Ints, ring: Ints, city: Ints, now: int
    ) -> IdentityPlan:
        rng = stream(seed, _IDENTITIES)
        shared = _Values(rng, len(registered) * _SERIALS_PER_BUYER)
        pools = _ring_pools(shared, ring, city)
        households = _households(rng, shared, ring, city)
        return cls(seed, secret, registered, ring, city, now, pools, households)

    def hashed(self, start: int, stop: int, slice_index: int) -> Identifiers:
        """The identifiers of buyers ``start`` to ``stop`` (indices), keyed-hashed."""
        rng = stream(self.seed, _IDENTITIES, slice_index + 1)
        values = _Values(rng, start * _SERIALS_PER_BUYER)
        found = Identifiers(self.secret)
        count = stop - start
        extra_counts = rng.choice(3, size=(count, 3), p=[0.72, 0.23, 0.05]).tolist()
        later = rng.random((count, 8)).tolist()
        rows = zip(
            self.registered[start:stop].tolist(),
            self.ring[start:stop].tolist(),
            self.city[start:stop].tolist(),
            strict=True,
        )
        for offset, (joined, ring_index, home) in enumerate(rows):
            buyer = start + offset
            values.serial = buyer * _SERIALS_PER_BUYER
            found.add(buyer, PHONE, values.phone(), joined)
            if ring_index >= 0:
                _ring_member(rng, values, found, buyer, self.pools[ring_index], joined, home)
                continue
            seen = [joined + int(u * (self.now - joined)) for u in later[offset]]
            self._ordinary(values, found, buyer, joined, home, seen, extra_counts[offset])
        return found

    def _ordinary(
        self,
        values: _Values,
        found: Identifiers,
        buyer: int,
        joined: int,
        home: int,
        seen: list[int],
        extra: list[int],
    ) -> None:
        household = self.households.get(buyer)
        found.add(buyer, ADDRESS, household[0] if household else values.address(home), joined)
        found.add(buyer, DEVICE, values.device(), joined)
        if household and household[1]:
            found.add(buyer, DEVICE, household[1], seen[0])
        found.add(buyer, PAYMENT, values.payment(), joined)
        extra_devices, extra_addresses, extra_payments = extra
        for k in range(extra_devices):
            found.add(buyer, DEVICE, values.device(), seen[1 + k])
        for k in range(extra_addresses):
            found.add(buyer, ADDRESS, values.address(home), seen[3 + k])
        for k in range(min(extra_payments, 1)):
            found.add(buyer, PAYMENT, values.payment(), seen[5 + k])


def _ring_pools(values: _Values, ring: Ints, city: Ints) -> list[dict[K, list[str]]]:
    pools = []
    for index in range(int(ring.max()) + 1):
        home = int(city[ring == index][0])
        pools.append({
            DEVICE: [values.device() for _ in range(1 + index % 2)],
            ADDRESS: [values.address(home)],
            PAYMENT: [values.payment()],
        })  # fmt: skip
    return pools


def _ring_member(
    rng: np.random.Generator,
    values: _Values,
    found: Identifiers,
    buyer: int,
    pool: dict[K, list[str]],
    joined: int,
    home: int,
) -> None:
    """The ring's device always, its address or payment account (or both) mostly.

    Rings run their accounts from a handful of phones, so the device is what every member
    shares; some also use the ring's second device.
    """
    address, payment, second_device = (rng.random(3) < (0.7, 0.6, 0.3)).tolist()
    if not (address or payment):
        address = True
    found.add(buyer, DEVICE, pool[DEVICE][0], joined)
    if second_device and len(pool[DEVICE]) > 1:
        found.add(buyer, DEVICE, pool[DEVICE][1], joined)
    found.add(buyer, ADDRESS, pool[ADDRESS][0] if address else values.address(home), joined)
    found.add(buyer, PAYMENT, pool[PAYMENT][0] if payment else values.payment(), joined)


def _households(
    rng: np.random.Generator, values: _Values, ring: Ints, city: Ints
) -> dict[int, tuple[str, str | None]]:
    """Pairs of honest accounts living together: a shared address, sometimes a shared tablet."""
    outside = np.flatnonzero(ring < 0)
    pairs = rng.choice(outside, 2 * max(1, round(len(outside) * HOUSEHOLD_RATE / 2)), replace=False)
    homes: dict[int, tuple[str, str | None]] = {}
    for first, second in pairs.reshape(-1, 2).tolist():
        shared = (values.address(int(city[first])), values.device() if rng.random() < 0.3 else None)
        homes[first] = homes[second] = shared
    return homes
