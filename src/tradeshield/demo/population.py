"""Buyer accounts: when they registered, how much they buy, and who among them abuses.

Behaviour is hidden in what the accounts do, never in their rows: abusers buy more and
claim more, ring members register together and share devices, addresses and payment
accounts, and honest buyers with bad luck have one real problem. Households of honest
buyers share an address too, so that sharing alone does not mark a ring.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tradeshield.demo import profiles
from tradeshield.demo.identities import IdentityPlan
from tradeshield.demo.rows import IdSequence, Rows
from tradeshield.demo.sampling import Floats, Ints, cumulative, draw, lognormal
from tradeshield.demo.timebase import DAY, WINDOW_DAYS, stamps

ORDERS_PER_BUYER = 5.5
RING_SIZES = (3, 8)
RING_MEMBER_RATE = 0.005


class Behaviour(enum.IntEnum):
    NORMAL = 0
    REFUND_ONLY_ABUSER = 1
    RETURN_SWAPPER = 2
    FAKE_RETURN_SENDER = 3
    RING_MEMBER = 4
    HONEST_BAD_LUCK = 5


# share of buyers, at least this many, how much more they buy than an ordinary account
_ROLES = {
    Behaviour.REFUND_ONLY_ABUSER: (0.004, 3, 5.0),
    Behaviour.RETURN_SWAPPER: (0.003, 3, 3.0),
    Behaviour.FAKE_RETURN_SENDER: (0.002, 3, 3.0),
    Behaviour.HONEST_BAD_LUCK: (0.01, 5, 1.5),
}


@dataclass(frozen=True, slots=True)
class Ring:
    key: str
    members: Ints
    registered_from: int


@dataclass(frozen=True, slots=True)
class Population:
    ids: Ints
    registered_at: Ints  # ascending: ids follow registration
    cum_activity: Floats  # running sum of how much each account buys
    behaviour: npt.NDArray[np.int8]
    ring: Ints  # ring index, -1 outside rings
    city: Ints
    rings: list[Ring]
    identities: IdentityPlan
    rows: list[Rows]

    def pick(self, rng: np.random.Generator, when: Ints) -> Ints:
        """A buyer for each order moment, among accounts registered by then."""
        eligible = np.maximum(np.searchsorted(self.registered_at, when, side="right"), 1)
        wanted = rng.random(len(when)) * self.cum_activity[eligible - 1]
        picked: Ints = np.minimum(
            np.searchsorted(self.cum_activity, wanted, side="right"), eligible - 1
        )
        return picked.astype(np.int64)


def buyer_count(orders: int) -> int:
    return max(200, round(orders / ORDERS_PER_BUYER))


def _registration(rng: np.random.Generator, n: int, now: int) -> Ints:
    window_start = now - WINDOW_DAYS * DAY
    before = window_start - (rng.random(n) ** 1.6 * 4 * 365 * DAY).astype(np.int64)
    during = rng.integers(window_start, now - DAY, n)
    return np.where(rng.random(n) < 0.78, before, during)


def _rings(rng: np.random.Generator, n: int, behaviour: npt.NDArray[np.int8]) -> list[Ints]:
    wanted = max(2, round(n * RING_MEMBER_RATE / np.mean(RING_SIZES)))
    free = np.flatnonzero(behaviour == Behaviour.NORMAL)
    chosen = rng.choice(free, wanted * RING_SIZES[1], replace=False)
    sizes = rng.integers(RING_SIZES[0], RING_SIZES[1] + 1, wanted)
    ends = np.cumsum(sizes)
    return [chosen[end - size : end] for size, end in zip(sizes, ends, strict=True)]


def _assign_roles(rng: np.random.Generator, n: int, activity: Floats) -> npt.NDArray[np.int8]:
    behaviour = np.zeros(n, dtype=np.int8)
    for role, (rate, minimum, more) in _ROLES.items():
        free = np.flatnonzero(behaviour == Behaviour.NORMAL)
        chosen = rng.choice(free, max(minimum, round(n * rate)), replace=False)
        behaviour[chosen] = role
        activity[chosen] *= more
    return behaviour


def _form_rings(
    rng: np.random.Generator,
    registered: Ints,
    behaviour: npt.NDArray[np.int8],
    city: Ints,
    now: int,
) -> Ints:
    """Ring index per account (-1 outside rings); members are re-registered together, in
    one city, within two days of each other, as accounts made in a batch are."""
    ring = np.full(len(registered), -1, dtype=np.int64)
    window_start = now - WINDOW_DAYS * DAY
    for index, members in enumerate(_rings(rng, len(registered), behaviour)):
        batch = rng.integers(window_start - 150 * DAY, window_start + 60 * DAY)
        registered[members] = batch + rng.integers(0, 2 * DAY, len(members))
        behaviour[members] = Behaviour.RING_MEMBER
        ring[members] = index
        city[members] = city[members[0]]
    return ring


def build_population(
    seed: int,
    rng: np.random.Generator,
    secret: bytes,
    orders: int,
    now: int,
    tenant_id: int,
    ids: IdSequence,
) -> Population:
    n = buyer_count(orders)
    registered = _registration(rng, n, now)
    activity = lognormal(rng, 1.0, 1.0, n)
    behaviour = _assign_roles(rng, n, activity)
    city = draw(rng, cumulative([w for _, _, w in profiles.logistics().cities]), n)
    ring = _form_rings(rng, registered, behaviour, city, now)
    order = np.argsort(registered, kind="stable")
    registered, activity, behaviour = registered[order], activity[order], behaviour[order]
    ring, city = ring[order], city[order]
    rings = [
        Ring(f"ring-{r + 1:04d}", np.flatnonzero(ring == r), int(registered[ring == r].max()))
        for r in range(int(ring.max()) + 1)
    ]
    buyer_ids = ids.take("buyer_accounts", n)
    accounts = Rows("buyer_accounts", n, {
        "id": buyer_ids, "tenant_id": tenant_id,
        "external_ref": [f"U{k + 1:08d}" for k in range(n)],
        "registered_at": stamps(registered), "created_at": stamps(registered),
    })  # fmt: skip
    return Population(
        ids=buyer_ids,
        registered_at=registered,
        cum_activity=np.cumsum(activity),
        behaviour=behaviour,
        ring=ring,
        city=city,
        rings=rings,
        identities=IdentityPlan.draw(seed, secret, registered, ring, city, now),
        rows=[accounts],
    )
