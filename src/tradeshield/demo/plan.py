"""The whole synthetic marketplace as a plan: shops and buyers first, then orders by chunk.

Everything is drawn from streams keyed by the seed, the stage and the chunk number, and
orders are cut into chunks of a fixed size, so the same seed and order count always give
the same rows. Chunks must be built in order: buyers' history runs across them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tradeshield.cases.policy import DeadlinePolicy
from tradeshield.demo.campaigns import Campaign, Rush, plan_campaigns, plan_rushes
from tradeshield.demo.casework import build_cases
from tradeshield.demo.catalogue import build_catalogue
from tradeshield.demo.claims import BuyerTally, Claims, decide_claims
from tradeshield.demo.labelling import LabelBook
from tradeshield.demo.market import Market
from tradeshield.demo.models import AbusePattern
from tradeshield.demo.ordering import build_orders
from tradeshield.demo.parcels import Outbound, ship_orders
from tradeshield.demo.population import Behaviour, build_population
from tradeshield.demo.return_parcels import Returns, plan_returns, ship_returns
from tradeshield.demo.reviewing import write_reviews
from tradeshield.demo.rows import IdSequence, Rows
from tradeshield.demo.sampling import Ints, stream
from tradeshield.demo.timebase import NEVER, iso, order_times
from tradeshield.demo.unit_evidence import ChainHead

CHUNK_ORDERS = 50_000
_CATALOGUE, _POPULATION, _TIMES, _CAMPAIGNS = 1, 2, 3, 4
_ORDERS, _PARCELS, _CLAIMS, _RETURNS, _CASES, _REVIEWS = 10, 11, 12, 13, 14, 15
_CASE_PATTERNS = {
    Behaviour.REFUND_ONLY_ABUSER: AbusePattern.REFUND_ONLY_ABUSER,
    Behaviour.RETURN_SWAPPER: AbusePattern.RETURN_SWAPPER,
    Behaviour.FAKE_RETURN_SENDER: AbusePattern.FAKE_RETURN_SENDER,
}


@dataclass(slots=True)
class MarketPlan:
    market: Market
    times: Ints
    campaigns: list[Campaign]
    rushes: list[Rush]
    tally: BuyerTally
    labels: LabelBook
    static_rows: list[Rows]
    cases_made: int = 0
    chain_head: ChainHead = field(default_factory=ChainHead)

    @property
    def chunk_count(self) -> int:
        return -(-len(self.times) // CHUNK_ORDERS)

    def chunk(self, index: int) -> list[Rows]:
        """The rows of chunk ``index``, in an order that respects foreign keys."""
        m = self.market

        def rng(*stage: int) -> np.random.Generator:
            return stream(m.seed, *stage, index)

        start = index * CHUNK_ORDERS
        stop = min(start + CHUNK_ORDERS, len(self.times))
        times = self.times[start:stop]
        span = (int(times[0]), int(self.times[stop]) if stop < len(self.times) else NEVER)
        plans = (self.campaigns, self.rushes)
        batch = build_orders(rng(_ORDERS), times, span, start + 1, m, plans)
        parcels = ship_orders(rng(_PARCELS), batch, m)
        claims = decide_claims(rng(_CLAIMS), batch, parcels, m, self.tally)
        returning = plan_returns(rng(_RETURNS), claims, batch, m)
        first_case = self.cases_made + 1
        cases = build_cases(
            rng(_CASES), claims, batch, m, returning.hours_to_deliver, first_case, parcels
        )
        self.cases_made += claims.count
        returns = ship_returns(
            rng(_RETURNS, 1), claims, cases, returning, batch, parcels, m, self.chain_head
        )
        reviews = write_reviews(rng(_REVIEWS), batch, parcels, claims, m)
        buyers = batch.buyer[claims.order]
        np.add.at(self.tally.claims, buyers, 1)
        self._label_chunk(claims, buyers, cases.ids, parcels, returns)
        labels = self.labels.flush(m.ids, m.tenant_id)
        identifiers = self._identifiers(index)
        return [
            *batch.rows,
            *parcels.rows,
            *cases.rows,
            *returns.rows,
            reviews,
            labels,
            identifiers,
        ]

    def _identifiers(self, index: int) -> Rows:
        """One slice of the buyers' hashed identifiers: hashing is spread over the chunks."""
        population = self.market.population
        buyers = len(population.ids)
        start, stop = buyers * index // self.chunk_count, buyers * (index + 1) // self.chunk_count
        found = population.identities.hashed(start, stop, index)
        ids = self.market.ids.take("buyer_identifiers", found.count)
        return found.rows(ids, population.ids, self.market.tenant_id)

    def _label_chunk(
        self, claims: Claims, buyers: Ints, case_ids: Ints, parcels: Outbound, returns: Returns
    ) -> None:
        for shipment_id, details in parcels.stalled_labels:
            self.labels.add("shipment", shipment_id, AbusePattern.STALLED_PARCEL, details=details)
        rings = self.market.population.rings
        for k in np.flatnonzero(claims.behaviour == Behaviour.REFUND_ONLY_ABUSER).tolist():
            self.labels.add("case", int(case_ids[k]), AbusePattern.REFUND_ONLY_ABUSER)
        for k in np.flatnonzero(claims.ring >= 0).tolist():
            self.labels.add(
                "case", int(case_ids[k]), AbusePattern.RING_MEMBER, rings[claims.ring[k]].key
            )
        for label in returns.labels:
            case_id = int(case_ids[label.case_position])
            self.labels.add("case", case_id, _CASE_PATTERNS[label.pattern], details=label.details)
            self.tally.returns_faked[buyers[label.case_position]] += 1
        for k in np.flatnonzero(claims.bad_luck).tolist():
            self.tally.bad_luck_case[buyers[k]] = case_ids[k]
            self.labels.add("case", int(case_ids[k]), AbusePattern.HONEST_BAD_LUCK)

    def closing_rows(self) -> list[Rows]:
        """Labels of buyers, known once every order is made."""
        population, tally = self.market.population, self.tally
        for buyer, behaviour in enumerate(population.behaviour.tolist()):
            buyer_id = int(population.ids[buyer])
            if behaviour == Behaviour.REFUND_ONLY_ABUSER and tally.claims[buyer] > 0:
                self.labels.add(
                    "buyer",
                    buyer_id,
                    AbusePattern.REFUND_ONLY_ABUSER,
                    details={"claims": int(tally.claims[buyer])},
                )
            elif behaviour in _CASE_PATTERNS and tally.returns_faked[buyer] > 0:
                details = {"returns": int(tally.returns_faked[buyer])}
                self.labels.add(
                    "buyer", buyer_id, _CASE_PATTERNS[Behaviour(behaviour)], details=details
                )
            elif behaviour == Behaviour.HONEST_BAD_LUCK and tally.bad_luck_case[buyer] >= 0:
                details = {"case_id": int(tally.bad_luck_case[buyer])}
                self.labels.add("buyer", buyer_id, AbusePattern.HONEST_BAD_LUCK, details=details)
        for ring in population.rings:
            for member in ring.members.tolist():
                details = {"ring_size": len(ring.members)}
                self.labels.add(
                    "buyer",
                    int(population.ids[member]),
                    AbusePattern.RING_MEMBER,
                    ring.key,
                    details,
                )
        return [self.labels.flush(self.market.ids, self.market.tenant_id)]


def plan_marketplace(
    seed: int,
    orders: int,
    now: int,
    tenant_id: int,
    last_ids: dict[str, int],
    secret: bytes,
    policy: DeadlinePolicy,
) -> MarketPlan:
    ids = IdSequence(last_ids)
    catalogue = build_catalogue(seed, stream(seed, _CATALOGUE), orders, now, tenant_id, ids)
    population = build_population(
        seed, stream(seed, _POPULATION), secret, orders, now, tenant_id, ids
    )
    market = Market(seed, now, tenant_id, ids, catalogue, population, policy)
    labels = LabelBook()
    for slip in catalogue.prices.mis_set:
        details = {
            "price_change_id": int(catalogue.price_change_ids[slip.row]),
            "error": slip.error, "intended_minor": slip.intended_minor, "set_minor": slip.set_minor,
            "from": iso(slip.starts_at),
            "until": None if slip.ends_at == NEVER else iso(slip.ends_at),
        }  # fmt: skip
        labels.add(
            "product",
            int(catalogue.product_ids[slip.product]),
            AbusePattern.MIS_SET_PRICE,
            details=details,
        )
    static_rows = [*catalogue.rows, *population.rows, labels.flush(ids, tenant_id)]
    return MarketPlan(
        market=market,
        times=order_times(stream(seed, _TIMES), orders, now),
        campaigns=plan_campaigns(stream(seed, _CAMPAIGNS), population, catalogue, now),
        rushes=plan_rushes(catalogue, now),
        tally=BuyerTally.empty(len(population.ids)),
        labels=labels,
        static_rows=static_rows,
    )
