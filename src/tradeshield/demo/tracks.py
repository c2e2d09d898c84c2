"""Carrier scan timelines of parcels, outbound or returned, and the scan rows they make.

A timeline has fixed slots (picked up, departed, delayed, arrived, damaged, out for delivery,
delivered, lost) in time order; a slot that does not happen holds ``NEVER`` and a slot
after "now" has not happened yet. A stalled parcel stops after departing or arriving and,
if nobody finds it for long enough, is declared lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from tradeshield.demo import profiles
from tradeshield.demo.rows import IdSequence, Rows
from tradeshield.demo.sampling import Flags, Floats, Ints, hours
from tradeshield.demo.timebase import DAY, NEVER
from tradeshield.shipments.kinds import ScanKind, ShipmentStatus

PICKED, DEPARTED, DELAYED, ARRIVED, DAMAGED, OUT, DELIVERED, LOST = range(8)
SLOT_KINDS = np.array(
    [kind.value for kind in (
        ScanKind.PICKED_UP, ScanKind.DEPARTED, ScanKind.DELAYED, ScanKind.ARRIVED,
        ScanKind.DAMAGED, ScanKind.OUT_FOR_DELIVERY, ScanKind.DELIVERED, ScanKind.LOST,
    )],
    dtype=object,
)  # fmt: skip
_PLACE_OF_SLOT = np.array([0, 1, 1, 1, 1, 2, 3, 1])  # office, hub, station, doorstep
_AT_ORIGIN = np.array([True, True, True, False, False, False, False, True])
DAMAGE_RATE = 0.004
LOST_AFTER_DAYS = (8, 12)


@dataclass(frozen=True, slots=True)
class Tracks:
    times: npt.NDArray[np.int64]  # (parcels, slots)
    origin: Ints
    destination: Ints
    stalled: Flags
    delay_note: Ints

    def seen(self, slot: int, now: int) -> Ints:
        """When each parcel reached ``slot``, or NEVER if it has not by ``now``."""
        moments = self.times[:, slot]
        return np.where(moments <= now, moments, NEVER)

    def status(self, now: int) -> npt.NDArray[Any]:
        seen = self.times <= now
        status = np.full(len(seen), ShipmentStatus.CREATED.value, dtype=object)
        status[seen[:, PICKED]] = ShipmentStatus.IN_TRANSIT.value
        status[seen[:, DAMAGED]] = ShipmentStatus.EXCEPTION.value
        status[seen[:, DELIVERED]] = ShipmentStatus.DELIVERED.value
        status[seen[:, LOST]] = ShipmentStatus.LOST.value
        return status


def route_factors(rng: np.random.Generator, origin: Ints, destination: Ints) -> Floats:
    """How much longer than the carrier's median a route takes; a same-city trip is short."""
    return np.where(origin == destination, 0.25, rng.lognormal(0.0, 0.3, len(origin)))


def expected_transit_hours(carrier: Ints, route: Floats) -> Floats:
    return np.array([c.transit_hours for c in profiles.logistics().carriers])[carrier] * route


def plan_tracks(
    rng: np.random.Generator,
    pickup: Ints,
    carrier: Ints,
    route: Floats,
    origin: Ints,
    destination: Ints,
    may_stall: bool,
) -> Tracks:
    n = len(pickup)
    fleet = profiles.logistics().carriers
    transit = expected_transit_hours(carrier, route) * rng.lognormal(0.0, 0.15, n)
    delayed = rng.random(n) < np.array([c.delay_rate for c in fleet])[carrier]
    extra = np.where(delayed, rng.lognormal(np.log(28.0), 0.6, n), 0.0)
    times = np.full((n, 8), NEVER, dtype=np.int64)
    times[:, PICKED] = pickup
    times[:, DEPARTED] = pickup + hours(rng.uniform(2, 8, n))
    times[delayed, DELAYED] = times[delayed, DEPARTED] + hours(
        transit[delayed] * rng.uniform(0.2, 0.8, int(delayed.sum()))
    )
    times[:, ARRIVED] = times[:, DEPARTED] + hours(transit + extra)
    damaged = rng.random(n) < DAMAGE_RATE
    times[damaged, DAMAGED] = times[damaged, ARRIVED] + hours(
        rng.uniform(0.5, 3, int(damaged.sum()))
    )
    times[:, OUT] = times[:, ARRIVED] + hours(rng.uniform(4, 16, n))
    times[:, DELIVERED] = times[:, OUT] + hours(rng.uniform(0.5, 7, n))
    stalled = np.zeros(n, dtype=bool)
    if may_stall:
        stalled = rng.random(n) < np.array([c.stall_rate for c in fleet])[carrier]
        _stall(rng, times, stalled)
    notes = rng.integers(0, len(profiles.logistics().delay_notes), n)
    return Tracks(times, origin, destination, stalled, notes)


def _stall(rng: np.random.Generator, times: npt.NDArray[np.int64], stalled: Flags) -> None:
    """The parcel's last scan is its departure or its arrival; later it is declared lost."""
    at_hub = stalled & (rng.random(len(stalled)) < 0.5)
    gone = stalled & ~at_hub
    times[gone, DELAYED:LOST] = NEVER
    times[at_hub, DAMAGED:LOST] = NEVER
    last = np.where(at_hub, times[:, ARRIVED], times[:, DEPARTED])
    lost_after = rng.integers(LOST_AFTER_DAYS[0] * DAY, LOST_AFTER_DAYS[1] * DAY, len(stalled))
    times[stalled, LOST] = last[stalled] + lost_after[stalled]


@lru_cache(maxsize=1)
def _places() -> npt.NDArray[Any]:
    """Scan locations by (kind of place, city, district)."""
    routes = profiles.logistics()
    table = np.empty((4, len(routes.cities), len(routes.districts)), dtype=object)
    for c, (zh, en, _) in enumerate(routes.cities):
        for d, district in enumerate(routes.districts):
            table[0, c, d] = f"{zh}{district}揽收网点 {en} pickup office"
            table[1, c, d] = f"{zh}转运中心 {en} sorting hub"
            table[2, c, d] = f"{zh}{district}营业部 {en} delivery station"
            table[3, c, d] = f"{zh}{district} {en}"
    return table


def scan_rows(
    rng: np.random.Generator,
    tracks: Tracks,
    shipment_ids: Ints,
    measured: Ints,
    now: int,
    tenant_id: int,
    ids: IdSequence,
) -> Rows:
    """Every scan that has happened by ``now``."""
    parcel, slot = np.nonzero(tracks.times <= now)
    routes = profiles.logistics()
    city = np.where(_AT_ORIGIN[slot], tracks.origin[parcel], tracks.destination[parcel])
    district = shipment_ids[parcel] % len(routes.districts)
    weight = np.full(len(slot), None, dtype=object)
    weight[slot == PICKED] = measured[parcel[slot == PICKED]]
    note = np.full(len(slot), "", dtype=object)
    note[slot == DELAYED] = np.array(routes.delay_notes, dtype=object)[
        tracks.delay_note[parcel[slot == DELAYED]]
    ]
    note[slot == DAMAGED] = routes.damaged_note
    note[slot == LOST] = routes.lost_note
    delivered = slot == DELIVERED
    note[delivered] = np.array(routes.delivered_notes, dtype=object)[
        rng.integers(0, len(routes.delivered_notes), int(delivered.sum()))
    ]
    return Rows("scan_events", len(slot), {
        "id": ids.take("scan_events", len(slot)), "tenant_id": tenant_id,
        "shipment_id": shipment_ids[parcel],
        "occurred_at": tracks.times[parcel, slot].astype("datetime64[s]"),
        "kind": SLOT_KINDS[slot],
        "location": _places()[_PLACE_OF_SLOT[slot], city, district],
        "weight_grams": weight, "note": note,
    })  # fmt: skip


def carrier_names(carrier: Ints) -> npt.NDArray[Any]:
    names = np.array([c.name for c in profiles.logistics().carriers], dtype=object)
    named: npt.NDArray[Any] = names[carrier]
    return named


def tracking_numbers(seed: int, shipment_ids: Ints, carrier: Ints) -> list[str]:
    """Carrier-style numbers, unique per carrier: an affine bijection of the shipment id."""
    fleet = [(c.tracking_prefix, c.tracking_digits) for c in profiles.logistics().carriers]
    shift = seed * 1_000_003 + 17
    numbers = []
    for shipment, index in zip(shipment_ids.tolist(), carrier.tolist(), strict=True):
        prefix, digits = fleet[index]
        numbers.append(f"{prefix}{(shipment * 7_919_393 + shift) % 10**digits:0{digits}d}")
    return numbers


def weights_at_pickup(rng: np.random.Generator, declared: Floats | Ints) -> Ints:
    """What the carrier's scale reads: the declared weight within a few per cent."""
    return np.maximum(np.rint(declared * rng.normal(1.0, 0.03, len(declared))), 1).astype(np.int64)
