"""Parcels buyers send back, and what the carrier's scale says about them.

An honest return weighs what went out, within the scale's few per cent. A return swapper
sends back a different item (noticeably lighter or heavier); a fake-return sender sends a
near-empty box. The declared weight is the original item's in every case: only the
measured weight tells.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from tradeshield.demo import profiles
from tradeshield.demo.casework import CaseBatch
from tradeshield.demo.claims import Claims
from tradeshield.demo.market import Market
from tradeshield.demo.ordering import OrderBatch
from tradeshield.demo.parcels import Outbound
from tradeshield.demo.population import Behaviour
from tradeshield.demo.return_checks import check_rows
from tradeshield.demo.rows import Rows, nullable
from tradeshield.demo.sampling import Floats, Ints
from tradeshield.demo.timebase import NEVER, stamps
from tradeshield.demo.tracks import (
    DAMAGED,
    DELIVERED,
    PICKED,
    Tracks,
    carrier_names,
    plan_tracks,
    route_factors,
    scan_rows,
    tracking_numbers,
)
from tradeshield.demo.unit_evidence import ChainHead, ReturnedUnits, unit_rows
from tradeshield.shipments.kinds import Direction

BUYER_CARRIERS = ("ZTO", "YTO", "SF", "JD", "YunDa", "STO")


@dataclass(frozen=True, slots=True)
class ReturnLabel:
    case_position: int
    pattern: Behaviour
    details: str


@dataclass(frozen=True, slots=True)
class ReturnPlan:
    """A return timeline for every claim, counted from its pickup."""

    tracks: Tracks
    carrier: Ints
    hours_to_deliver: Floats


@dataclass(frozen=True, slots=True)
class Returns:
    rows: list[Rows]
    labels: list[ReturnLabel]


def plan_returns(
    rng: np.random.Generator, claims: Claims, batch: OrderBatch, market: Market
) -> ReturnPlan:
    routes = profiles.logistics()
    choices = np.array([routes.carrier_index(name) for name in BUYER_CARRIERS])
    carrier = choices[rng.integers(0, len(choices), claims.count)]
    origin = market.population.city[batch.buyer[claims.order]]
    destination = market.catalogue.merchant_city[batch.merchant[claims.order]]
    start = np.zeros(claims.count, dtype=np.int64)
    route = route_factors(rng, origin, destination)
    tracks = plan_tracks(rng, start, carrier, route, origin, destination, may_stall=False)
    return ReturnPlan(tracks, carrier, tracks.times[:, DELIVERED] / 3600.0)


def _scale_readings(rng: np.random.Generator, behaviour: Ints, sent_out: Ints) -> Ints:
    n = len(behaviour)
    factor = rng.normal(1.0, 0.03, n)
    swapped = behaviour == Behaviour.RETURN_SWAPPER
    other_item = np.where(rng.random(n) < 0.5, rng.uniform(0.55, 0.8, n), rng.uniform(1.25, 1.6, n))
    factor = np.where(swapped, other_item, factor)
    factor = np.where(behaviour == Behaviour.FAKE_RETURN_SENDER, rng.uniform(0.04, 0.2, n), factor)
    readings: Ints = np.maximum(np.rint(sent_out * factor), 1).astype(np.int64)
    return readings


def _sent(plan: ReturnPlan, sent: Ints, ship_at: Ints) -> Tracks:
    """The planned timelines of the returns actually sent, moved to their pickup."""
    planned = plan.tracks
    times = planned.times[sent]
    times = np.where(times == NEVER, NEVER, times + ship_at[:, None])
    return Tracks(
        times,
        planned.origin[sent],
        planned.destination[sent],
        planned.stalled[sent],
        planned.delay_note[sent],
    )


def ship_returns(
    rng: np.random.Generator,
    claims: Claims,
    cases: CaseBatch,
    plan: ReturnPlan,
    batch: OrderBatch,
    parcels: Outbound,
    market: Market,
    head: ChainHead,
) -> Returns:
    sent = np.flatnonzero(cases.ship_at != NEVER)
    tracks = _sent(plan, sent, cases.ship_at[sent])
    order = claims.order[sent]
    behaviour = claims.behaviour[sent]
    measured = _scale_readings(rng, behaviour, parcels.measured[order])
    carrier = plan.carrier[sent]
    ids = market.ids.take("shipments", len(sent))
    picked = tracks.seen(PICKED, market.now)
    rows = [
        Rows("shipments", len(sent), {
            "id": ids, "tenant_id": market.tenant_id,
            "merchant_id": market.catalogue.merchant_ids[batch.merchant[order]],
            "order_id": batch.ids[order], "case_id": cases.ids[sent],
            "direction": Direction.RETURN.value, "carrier": carrier_names(carrier),
            "tracking_number": tracking_numbers(market.seed, ids, carrier),
            "status": tracks.status(market.now), "shipped_at": stamps(picked),
            "promised_delivery_at": None,
            "delivered_at": stamps(tracks.seen(DELIVERED, market.now)),
            "declared_weight_grams": parcels.declared[order],
            "measured_weight_grams": nullable(measured, picked != NEVER),
            "created_at": stamps(cases.ship_at[sent]),
        }),
        scan_rows(rng, tracks, ids, measured, market.now, market.tenant_id, market.ids),
    ]  # fmt: skip
    units = ReturnedUnits(
        order_ids=batch.ids[order],
        merchant_ids=market.catalogue.merchant_ids[batch.merchant[order]],
        shipment_ids=ids, behaviour=behaviour, shipped_at=batch.placed[order],
        arrived_at=tracks.seen(DELIVERED, market.now), sent_grams=parcels.measured[order],
        picked_grams=measured, buyer_ids=market.population.ids[batch.buyer[order]],
        declared_grams=parcels.declared[order],
        damage_scans=(tracks.seen(DAMAGED, market.now) != NEVER).astype(np.int64),
    )  # fmt: skip
    records = unit_rows(rng, units, market, head)
    rows += records.rows + check_rows(records, units, market, head)
    return Returns(rows, _labels(sent, ids, behaviour, parcels.measured[order], measured))


def _labels(
    sent: Ints, ids: Ints, behaviour: Ints, sent_out: Ints, came_back: Ints
) -> list[ReturnLabel]:
    labels = []
    cheats = np.isin(behaviour, [Behaviour.RETURN_SWAPPER, Behaviour.FAKE_RETURN_SENDER])
    for k in np.flatnonzero(cheats).tolist():
        details = {
            "return_shipment_id": int(ids[k]),
            "outbound_measured_grams": int(sent_out[k]),
            "return_measured_grams": int(came_back[k]),
        }
        labels.append(ReturnLabel(int(sent[k]), Behaviour(int(behaviour[k])), json.dumps(details)))
    return labels
