"""Outbound parcels of a chunk of orders: carrier, promise, weights and scans.

Shops hand parcels over after their own handling time (some shops are slow), carriers
differ in speed, delays and stalls, and the scale at pickup reads the declared weight
within a few per cent. Digital goods ship nothing: they count as received when paid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tradeshield.demo import profiles
from tradeshield.demo.catalogue import INDUSTRIES, Catalogue
from tradeshield.demo.market import Market
from tradeshield.demo.ordering import OrderBatch
from tradeshield.demo.rows import Rows, nullable
from tradeshield.demo.sampling import Flags, Floats, Ints, hours
from tradeshield.demo.timebase import HOUR, NEVER, iso, later, stamps
from tradeshield.demo.tracks import (
    DAMAGED,
    DELIVERED,
    LOST,
    PICKED,
    Tracks,
    carrier_names,
    expected_transit_hours,
    plan_tracks,
    route_factors,
    scan_rows,
    tracking_numbers,
    weights_at_pickup,
)
from tradeshield.shipments.kinds import Direction

OTHER_CARRIER_RATE = 0.1
HANDLING_ALLOWANCE_HOURS = 36.0
ROUTE_MARGIN = 1.2
LAST_MILE_HOURS = 26.0
LATE_GRACE_HOURS = 12  # later than this past the promise, buyers notice and complain


@dataclass(frozen=True, slots=True)
class Outbound:
    """Per order of the batch; -1, NEVER or 0 where the order has no parcel."""

    received: Ints  # delivered (or paid, for digital goods), NEVER if not yet
    promised: Ints
    has_parcel: Flags  # false for goods that need none (digital): no shipment row
    stalled: Flags
    damaged: Flags
    late: Flags
    measured: Ints
    declared: Ints
    stalled_labels: list[tuple[int, str]]  # (shipment id, details as JSON)
    rows: list[Rows]


def _industry_table(field: str) -> Ints:
    return np.array([getattr(profiles.industries()[i], field) for i in INDUSTRIES], dtype=np.int64)


def _carriers(rng: np.random.Generator, catalogue: Catalogue, merchant: Ints) -> Ints:
    carrier = catalogue.merchant_carrier[merchant].copy()
    other = np.flatnonzero(rng.random(len(merchant)) < OTHER_CARRIER_RATE)
    routes = profiles.logistics()
    for position, u in zip(other.tolist(), rng.random(len(other)).tolist(), strict=True):
        names = profiles.industries()[
            INDUSTRIES[catalogue.merchant_industry[merchant[position]]]
        ].carriers
        carrier[position] = routes.carrier_index(names[int(u * len(names))])
    return carrier


@dataclass(frozen=True, slots=True)
class _Parcels:
    """The parcels of a batch, one per shipped order."""

    order: Ints  # position of the parcel's order in the batch
    ids: Ints
    carrier: Ints
    labelled: Ints  # when the shop printed the label
    route: Floats
    tracks: Tracks
    declared: Ints
    measured: Ints


def _plan(rng: np.random.Generator, batch: OrderBatch, market: Market, ships: Flags) -> _Parcels:
    catalogue = market.catalogue
    handling = catalogue.merchant_handling_hours[batch.merchant] * rng.lognormal(
        0.0, 0.5, batch.count
    )
    labelled = later(batch.paid, hours(np.minimum(handling / 3.0, 2.0)))
    order = np.flatnonzero(ships & (batch.paid != NEVER) & (labelled <= market.now))
    merchant = batch.merchant[order]
    carrier = _carriers(rng, catalogue, merchant)
    origin = catalogue.merchant_city[merchant]
    destination = market.population.city[batch.buyer[order]]
    route = route_factors(rng, origin, destination)
    pickup = batch.paid[order] + hours(handling[order])
    tracks = plan_tracks(rng, pickup, carrier, route, origin, destination, may_stall=True)
    weight = catalogue.product_weight[batch.line_product] * batch.line_quantity
    contents = np.bincount(batch.line_order, weights=weight, minlength=batch.count)
    industry = catalogue.merchant_industry[merchant]
    declared = (
        np.rint(contents[order]).astype(np.int64) + _industry_table("packaging_grams")[industry]
    )
    ids = market.ids.take("shipments", len(order))
    measured = weights_at_pickup(rng, declared)
    return _Parcels(order, ids, carrier, labelled[order], route, tracks, declared, measured)


def _promises(batch: OrderBatch, market: Market, parcels: _Parcels) -> Ints:
    """The delivery promised at checkout: the industry's shortest promise, or longer when
    the shop's two days to ship, the route and the last mile take longer."""
    industry = market.catalogue.merchant_industry[batch.merchant]
    promised = later(batch.paid, _industry_table("promise_hours")[industry] * HOUR)
    transit = expected_transit_hours(parcels.carrier, parcels.route)
    route_hours = HANDLING_ALLOWANCE_HOURS + ROUTE_MARGIN * transit + LAST_MILE_HOURS
    by_route = batch.paid[parcels.order] + hours(route_hours)
    promised[parcels.order] = np.maximum(promised[parcels.order], by_route)
    return promised


def ship_orders(rng: np.random.Generator, batch: OrderBatch, market: Market) -> Outbound:
    industry = market.catalogue.merchant_industry[batch.merchant]
    ships = _industry_table("ships")[industry].astype(bool)
    parcels = _plan(rng, batch, market, ships)
    promised = _promises(batch, market, parcels)
    rows = [
        _shipment_rows(batch, market, parcels, promised[parcels.order]),
        scan_rows(
            rng,
            parcels.tracks,
            parcels.ids,
            parcels.measured,
            market.now,
            market.tenant_id,
            market.ids,
        ),
    ]
    instantly = np.where(~ships & (batch.paid != NEVER), later(batch.paid, 60), NEVER)
    return _per_order(batch, parcels, instantly, promised, rows, market.now)


def _shipment_rows(batch: OrderBatch, market: Market, parcels: _Parcels, promised: Ints) -> Rows:
    tracks, now = parcels.tracks, market.now
    picked = tracks.seen(PICKED, now)
    return Rows("shipments", len(parcels.ids), {
        "id": parcels.ids, "tenant_id": market.tenant_id,
        "merchant_id": market.catalogue.merchant_ids[batch.merchant[parcels.order]],
        "order_id": batch.ids[parcels.order], "case_id": None,
        "direction": Direction.OUTBOUND.value, "carrier": carrier_names(parcels.carrier),
        "tracking_number": tracking_numbers(market.seed, parcels.ids, parcels.carrier),
        "status": tracks.status(now), "shipped_at": stamps(picked),
        "promised_delivery_at": stamps(promised),
        "delivered_at": stamps(tracks.seen(DELIVERED, now)),
        "declared_weight_grams": parcels.declared,
        "measured_weight_grams": nullable(parcels.measured, picked != NEVER),
        "created_at": stamps(parcels.labelled),
    })  # fmt: skip


def _per_order(
    batch: OrderBatch,
    parcels: _Parcels,
    instantly: Ints,
    promised: Ints,
    rows: list[Rows],
    now: int,
) -> Outbound:
    def spread(values: Ints | Flags, empty: int) -> Ints:
        full = np.full(batch.count, empty, dtype=np.int64)
        full[parcels.order] = values
        return full

    seen = parcels.tracks.times <= now
    has_parcel = spread(np.ones(len(parcels.order), dtype=np.int64), 0).astype(bool)
    received = np.where(has_parcel, spread(parcels.tracks.seen(DELIVERED, now), NEVER), instantly)
    return Outbound(
        received=received,
        promised=promised,
        has_parcel=has_parcel,
        stalled=spread(parcels.tracks.stalled, 0).astype(bool),
        damaged=spread(seen[:, DAMAGED], 0).astype(bool),
        late=has_parcel
        & (received != NEVER)
        & (received > later(promised, LATE_GRACE_HOURS * HOUR)),
        measured=spread(parcels.measured, 0),
        declared=spread(parcels.declared, 0),
        stalled_labels=_stall_labels(parcels, seen),
        rows=rows,
    )


def _stall_labels(parcels: _Parcels, seen: npt.NDArray[np.bool_]) -> list[tuple[int, str]]:
    last_scan = np.where(seen, parcels.tracks.times, 0).max(axis=1)
    labels = []
    for i in np.flatnonzero(parcels.tracks.stalled & seen[:, PICKED]).tolist():
        details = {"last_scan_at": iso(int(last_scan[i])), "lost": bool(seen[i, LOST])}
        labels.append((int(parcels.ids[i]), json.dumps(details)))
    return labels
