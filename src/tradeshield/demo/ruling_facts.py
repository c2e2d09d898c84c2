"""The facts the rule packs read about each ruled demo case, and the packs' rulings on them.

The same facts ``cases.facts.case_facts`` gathers from the stored rows (kind, reason, the
shop's industry, the order's amount and time, the outbound parcel's promise and delivery
when it came before the claim, the offer, a forgery report), built from the generator's
arrays instead of read back. The demo has no forensic reports, return checks or integrity
scores yet, so those facts stay unknown, as they would for such a case.

All rulings of a chunk are made in one batch per question (``adjudicate_many``): a case
settled by agreement or a missed deadline is asked with its settlement, as the case
service does; a case the dispute team decided is asked about the dispute itself, whose
clauses the team cites.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tradeshield.demo.case_paths import Lifecycle
from tradeshield.demo.catalogue import INDUSTRIES
from tradeshield.demo.claims import KINDS, REASONS, Claims
from tradeshield.demo.market import Market
from tradeshield.demo.ordering import OrderBatch
from tradeshield.demo.parcels import Outbound
from tradeshield.rules.adjudication import RulingValue, adjudicate_many
from tradeshield.rules.facts import CaseFacts
from tradeshield.rules.kinds import Settlement
from tradeshield.rules.library import default_library


@dataclass(frozen=True, slots=True)
class ChunkFacts:
    """What the generator knows of one chunk's orders, for the facts of its cases."""

    claims: Claims
    life: Lifecycle
    batch: OrderBatch
    parcels: Outbound
    market: Market


def _moment(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def case_facts(chunk: ChunkFacts, i: int, settlement: str | None) -> CaseFacts:
    """The facts of claim ``i``; ``settlement`` names how it ended without a contest."""
    claims, batch, parcels = chunk.claims, chunk.batch, chunk.parcels
    order = int(claims.order[i])
    opened = int(claims.opened[i])
    shipped = bool(parcels.has_parcel[order])
    received = int(parcels.received[order])
    merchant = int(batch.merchant[order])
    industry = INDUSTRIES[int(chunk.market.catalogue.merchant_industry[merchant])]
    return CaseFacts(
        kind=KINDS[int(claims.kind[i])],
        reason=REASONS[int(claims.reason[i])],
        industry=industry,
        currency="CNY",
        order_amount_minor=int(batch.total[order]),
        claimed_amount_minor=int(claims.claimed[i]),
        offer_amount_minor=chunk.life.offer[i],
        ordered_at=_moment(int(batch.placed[order])),
        promised_delivery_at=_moment(int(parcels.promised[order])) if shipped else None,
        delivered_at=_moment(received) if shipped and received <= opened else None,
        claimed_at=_moment(opened),
        merchant_reported_forgery=bool(chunk.life.forged[i]),
        settlement=Settlement(settlement) if settlement else None,
    )


def pack_rulings(
    chunk: ChunkFacts, claims: Sequence[int], settlements: Sequence[str | None]
) -> list[RulingValue]:
    """The packs' rulings of ``claims`` in one batch, each with its settlement (or none)."""
    facts = [case_facts(chunk, i, s) for i, s in zip(claims, settlements, strict=True)]
    return adjudicate_many(default_library(), facts)
