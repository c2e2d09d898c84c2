"""Which orders turn into after-sales claims, of what kind, when, and for how much.

Honest buyers claim at their industry's rate, more when the parcel was late, damaged or
stalled. Refund-only abusers claim "refund only" on a large share of orders within hours
of delivery and for nearly the full amount; ring members claim together after a
campaign; return swappers and fake-return senders ask to send goods back. A buyer with
honest bad luck has exactly one real problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tradeshield.cases.kinds import CaseKind, ReasonCode
from tradeshield.demo import profiles
from tradeshield.demo.catalogue import INDUSTRIES, Catalogue
from tradeshield.demo.market import Market
from tradeshield.demo.ordering import OrderBatch
from tradeshield.demo.parcels import Outbound
from tradeshield.demo.population import Behaviour
from tradeshield.demo.sampling import Flags, Floats, Ints, cumulative, draw, hours
from tradeshield.demo.timebase import DAY, NEVER, later

KINDS: tuple[CaseKind, ...] = tuple(CaseKind)
REASONS: tuple[ReasonCode, ...] = tuple(ReasonCode)
R = ReasonCode
_ABUSE_REASONS = (
    (R.NOT_RECEIVED, 30),
    (R.QUALITY_ISSUE, 25),
    (R.NOT_AS_DESCRIBED, 25),
    (R.MISSING_PARTS, 10),
    (R.DAMAGED_IN_TRANSIT, 10),
)
_RING_REASONS = ((R.NOT_RECEIVED, 40), (R.QUALITY_ISSUE, 30), (R.NOT_AS_DESCRIBED, 30))
_CLAIM_PROBABILITY = {
    Behaviour.REFUND_ONLY_ABUSER: 0.45,
    Behaviour.RETURN_SWAPPER: 0.35,
    Behaviour.FAKE_RETURN_SENDER: 0.30,
}


@dataclass(frozen=True, slots=True)
class Claims:
    order: Ints  # positions in the order batch
    kind: Ints  # index into KINDS
    reason: Ints  # index into REASONS
    opened: Ints
    claimed: Ints
    behaviour: Ints
    ring: Ints  # campaign ring, -1 otherwise
    bad_luck: Flags  # the one genuine case of an honest-bad-luck buyer

    @property
    def count(self) -> int:
        return len(self.order)

    @property
    def abusive(self) -> Flags:
        """Claims made in bad faith: by abusers, or as part of a ring's campaign."""
        cheats = [
            Behaviour.REFUND_ONLY_ABUSER,
            Behaviour.RETURN_SWAPPER,
            Behaviour.FAKE_RETURN_SENDER,
        ]
        flags: Flags = np.isin(self.behaviour, cheats) | (self.ring >= 0)
        return flags


@dataclass(slots=True)
class BuyerTally:
    """What each buyer has done so far, across chunks."""

    claims: Ints
    returns_faked: Ints  # returns that were not what went out
    bad_luck_case: Ints  # -1 until the buyer's one genuine case exists

    @classmethod
    def empty(cls, buyers: int) -> BuyerTally:
        zeros = np.zeros(buyers, dtype=np.int64)
        return cls(zeros, zeros.copy(), np.full(buyers, -1, dtype=np.int64))


@lru_cache(maxsize=1)
def _mixes() -> list[tuple[Floats, Ints, Ints]]:
    """Per industry: cumulative weights, kind and reason of each typical claim."""
    mixes = []
    for industry in INDUSTRIES:
        claims = profiles.industries()[industry].claims
        mixes.append((
            cumulative([w for _, _, w in claims]),
            np.array([KINDS.index(k) for k, _, _ in claims]),
            np.array([REASONS.index(r) for _, r, _ in claims]),
        ))  # fmt: skip
    return mixes


def _from_mix(rng: np.random.Generator, industry: Ints, returns_only: bool) -> tuple[Ints, Ints]:
    kind = np.full(len(industry), KINDS.index(CaseKind.REFUND_ONLY), dtype=np.int64)
    reason = np.full(len(industry), REASONS.index(R.QUALITY_ISSUE), dtype=np.int64)
    for index, (cum, kinds, reasons) in enumerate(_mixes()):
        at = np.flatnonzero(industry == index)
        if returns_only:
            keep = kinds != KINDS.index(CaseKind.REFUND_ONLY)
            if not keep.any():
                continue
            cum, kinds, reasons = (
                cumulative(np.diff(cum, prepend=0.0)[keep]),
                kinds[keep],
                reasons[keep],
            )
        picked = draw(rng, cum, len(at))
        kind[at], reason[at] = kinds[picked], reasons[picked]
    return kind, reason


def _refund_only(
    rng: np.random.Generator, table: tuple[tuple[ReasonCode, int], ...], size: int
) -> Ints:
    picked = draw(rng, cumulative([w for _, w in table]), size)
    return np.array([REASONS.index(r) for r, _ in table])[picked]


def _likelihood(
    batch: OrderBatch, parcels: Outbound, catalogue: Catalogue, behaviour: Ints
) -> Floats:
    industry = catalogue.merchant_industry[batch.merchant]
    rates = np.array([profiles.industries()[i].case_rate for i in INDUSTRIES])
    chance = rates[industry] + np.where(parcels.late, 0.10, 0.0)
    chance = np.where(parcels.damaged, 0.6, chance)
    chance = np.where(parcels.stalled, 0.75, chance)
    for role, probability in _CLAIM_PROBABILITY.items():
        chance = np.where(behaviour == role, probability, chance)
    chance = np.where(behaviour == Behaviour.RING_MEMBER, 2 * chance, chance)
    chance = np.where(batch.ring >= 0, 0.9, chance)
    chance[behaviour == Behaviour.HONEST_BAD_LUCK] = 0.0
    chance[batch.paid == NEVER] = 0.0
    return chance


def _bad_luck(batch: OrderBatch, parcels: Outbound, behaviour: Ints, tally: BuyerTally) -> Ints:
    """The first received order of each unlucky buyer who has no genuine case yet."""
    waiting = np.flatnonzero(
        (behaviour == Behaviour.HONEST_BAD_LUCK)
        & (parcels.received != NEVER)
        & (tally.bad_luck_case[batch.buyer] < 0)
    )
    _, first = np.unique(batch.buyer[waiting], return_index=True)
    return np.sort(waiting[first])


def decide_claims(
    rng: np.random.Generator,
    batch: OrderBatch,
    parcels: Outbound,
    market: Market,
    tally: BuyerTally,
) -> Claims:
    catalogue, population, now = market.catalogue, market.population, market.now
    behaviour = population.behaviour[batch.buyer].astype(np.int64)
    claimed = rng.random(batch.count) < _likelihood(batch, parcels, catalogue, behaviour)
    unlucky = _bad_luck(batch, parcels, behaviour, tally)
    claimed[unlucky] = True
    order = np.flatnonzero(claimed)
    industry = catalogue.merchant_industry[batch.merchant[order]]
    role = behaviour[order]
    kind, reason = _kinds_and_reasons(rng, order, industry, role, batch, parcels)
    opened = _opened(rng, order, role, batch, parcels, reason)
    keep = opened <= now
    order, kind, reason, opened, role = (
        order[keep],
        kind[keep],
        reason[keep],
        opened[keep],
        role[keep],
    )
    bad_luck = np.isin(order, unlucky)
    return Claims(
        order=order,
        kind=kind,
        reason=reason,
        opened=opened,
        claimed=_amounts(rng, order, kind, role, batch),
        behaviour=role,
        ring=batch.ring[order],
        bad_luck=bad_luck,
    )


def _kinds_and_reasons(
    rng: np.random.Generator,
    order: Ints,
    industry: Ints,
    role: Ints,
    batch: OrderBatch,
    parcels: Outbound,
) -> tuple[Ints, Ints]:
    kind, reason = _from_mix(rng, industry, returns_only=False)
    returning, return_reason = _from_mix(rng, industry, returns_only=True)
    refund_only = KINDS.index(CaseKind.REFUND_ONLY)
    sends_back = np.isin(role, [Behaviour.RETURN_SWAPPER, Behaviour.FAKE_RETURN_SENDER])
    kind, reason = (
        np.where(sends_back, returning, kind),
        np.where(sends_back, return_reason, reason),
    )
    honest = ~np.isin(
        role, [Behaviour.REFUND_ONLY_ABUSER, Behaviour.RETURN_SWAPPER, Behaviour.FAKE_RETURN_SENDER]
    ) & (batch.ring[order] < 0)
    late = honest & parcels.late[order] & (rng.random(len(order)) < 0.6)
    wrong_late = (reason == REASONS.index(R.LATE_DELIVERY)) & ~parcels.late[order]
    reason[wrong_late] = REASONS.index(R.QUALITY_ISSUE)
    for flags, code in (
        (late, R.LATE_DELIVERY),
        (honest & parcels.damaged[order], R.DAMAGED_IN_TRANSIT),
        (parcels.stalled[order], R.NOT_RECEIVED),
    ):
        kind[flags], reason[flags] = refund_only, REASONS.index(code)
    abuser = role == Behaviour.REFUND_ONLY_ABUSER
    kind[abuser], reason[abuser] = refund_only, _refund_only(rng, _ABUSE_REASONS, int(abuser.sum()))
    ring = batch.ring[order] >= 0
    kind[ring], reason[ring] = refund_only, _refund_only(rng, _RING_REASONS, int(ring.sum()))
    unreceived = parcels.received[order] == NEVER
    kind[unreceived], reason[unreceived] = refund_only, REASONS.index(R.NOT_RECEIVED)
    return kind, reason


def _opened(
    rng: np.random.Generator,
    order: Ints,
    role: Ints,
    batch: OrderBatch,
    parcels: Outbound,
    reason: Ints,
) -> Ints:
    n = len(order)
    received = parcels.received[order]
    after = np.clip(rng.lognormal(np.log(30.0), 0.9, n), 0.5, 14 * 24)
    no_reason = reason == REASONS.index(R.NO_REASON_7_DAYS)
    after = np.where(no_reason, np.minimum(after, 6.5 * 24), after)
    hasty = (role == Behaviour.REFUND_ONLY_ABUSER) | (batch.ring[order] >= 0)
    after = np.where(hasty, rng.lognormal(np.log(3.0), 0.8, n), after)
    waited = np.maximum(parcels.promised[order], batch.paid[order]) + hours(
        rng.lognormal(np.log(36.0), 0.6, n)
    )
    missing = received == NEVER
    opened = np.where(missing, waited, later(received, hours(after)))
    stuck = missing & ~parcels.stalled[order] & (parcels.promised[order] + 2 * DAY > waited)
    return np.where(stuck, NEVER, opened)


def _amounts(
    rng: np.random.Generator, order: Ints, kind: Ints, role: Ints, batch: OrderBatch
) -> Ints:
    total = batch.total[order]
    line = batch.first_line_value[order]
    n = len(order)
    greedy = (role == Behaviour.REFUND_ONLY_ABUSER) | (batch.ring[order] >= 0)
    near_full = np.where(rng.random(n) < 0.6, total, np.rint(total * rng.uniform(0.92, 1.0, n)))
    partial = np.where(rng.random(n) < 0.65, total, np.rint(total * rng.uniform(0.2, 0.9, n)))
    refund_only = np.where(greedy, near_full, partial)
    returned = np.where(rng.random(n) < 0.65, line, total)
    by_kind = np.select(
        [
            kind == KINDS.index(CaseKind.REFUND_ONLY),
            kind == KINDS.index(CaseKind.RETURN_AND_REFUND),
        ],
        [refund_only, returned],
        default=line,
    )
    claimed: Ints = np.clip(by_kind, 1, total).astype(np.int64)
    return claimed
