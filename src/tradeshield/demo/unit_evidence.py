"""Key evidence of the demo's returned units, as a careful merchant's warehouse records it.

Every return parcel's order gets a shipped-unit record (weighed on the warehouse scale,
sealed, with its accessories; serials for the share of products that carry one, half of
them IMEIs) and, once the parcel has arrived, a returned-unit record. An honest return
carries the same serial and seal and weighs what the courier weighed at pickup; now and
then a manual goes missing. A return swapper sends another unit (another serial, a new seal,
the other item's weight); a fake-return sender sends a near-empty box (nothing to read).
Every record is appended to the tenant's evidence chain, with the same canonical record
the returns service builds, so ``tradeshield evidence verify`` holds on demo data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tradeshield.demo.market import Market
from tradeshield.demo.population import Behaviour
from tradeshield.demo.rows import Rows
from tradeshield.demo.sampling import Ints
from tradeshield.demo.timebase import NEVER, stamps
from tradeshield.returns import chain
from tradeshield.returns.evidence_schema import imei_check_digit
from tradeshield.returns.records import unit_record

SERIAL_SHARE = 0.6
IMEI_SHARE = 0.5
HONEST_MANUAL_LOST = 0.03
WAREHOUSE = "demo-warehouse"
_ACCESSORIES = ["cable", "manual"]


@dataclass(slots=True)
class ChainHead:
    last: chain.Link | None = None


@dataclass(frozen=True, slots=True)
class ReturnedUnits:
    """Per return parcel of the chunk."""

    order_ids: Ints
    merchant_ids: Ints
    shipment_ids: Ints
    behaviour: Ints
    shipped_at: Ints
    arrived_at: Ints  # NEVER while in transit
    sent_grams: Ints  # the outbound parcel on the courier's scale
    picked_grams: Ints  # the return parcel on the courier's scale at pickup
    buyer_ids: Ints
    declared_grams: Ints  # the outbound parcel's declared weight
    damage_scans: Ints  # damage scans on the way back


@dataclass(frozen=True, slots=True)
class ArrivedUnit:
    """A return parcel that arrived (its position in ``ReturnedUnits``) and the position of
    its shipped-unit record among the records written; the returned one follows it."""

    parcel: int
    shipped_record: int


@dataclass(frozen=True, slots=True)
class UnitRows:
    rows: list[Rows]
    arrived: list[ArrivedUnit]
    values: dict[str, list[Any]]  # the records' columns, in record order
    ids: Ints  # the records' ids, in record order


@dataclass(slots=True)
class _Columns:
    values: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, **row: Any) -> None:
        for name, value in row.items():
            self.values.setdefault(name, []).append(value)


def _serial(rng: np.random.Generator, imei: bool) -> tuple[str | None, str]:
    if imei:
        body = "".join(str(d) for d in rng.integers(0, 10, 14))
        return body + imei_check_digit(body), "imei"
    return "SN" + "".join(rng.choice(list("0123456789ABCDEF"), 10)), "serial"


def iso_moment(second: int) -> str:
    return str(np.datetime_as_string(np.datetime64(second, "s"), unit="s")) + "+00:00"


def unit_rows(
    rng: np.random.Generator, units: ReturnedUnits, market: Market, head: ChainHead
) -> UnitRows:
    n = len(units.order_ids)
    has_serial = rng.random(n) < SERIAL_SHARE
    is_imei = rng.random(n) < IMEI_SHARE
    shelf = np.rint(units.sent_grams * rng.normal(1.0, 0.01, n)).astype(np.int64)
    arrival = np.rint(units.picked_grams * rng.normal(1.0, 0.01, n)).astype(np.int64)
    lost_manual = rng.random(n) < HONEST_MANUAL_LOST
    columns = _Columns()
    arrived: list[ArrivedUnit] = []
    for k in range(n):
        serial, serial_format = _serial(rng, bool(is_imei[k])) if has_serial[k] else (None, "none")
        seal: str | None = f"SEAL-{rng.integers(0, 16**8):08X}"
        common = {"tenant_id": market.tenant_id, "merchant_id": int(units.merchant_ids[k]),
                  "order_id": int(units.order_ids[k]), "unit_index": 0}  # fmt: skip
        columns.add(**common, shipment_id=None, stage="shipped", serial=serial,
                    serial_format=serial_format, seal_id=seal, seal_intact=None,
                    weight_grams=max(1, int(shelf[k])), accessories=_ACCESSORIES,
                    recorded_at=int(units.shipped_at[k]))  # fmt: skip
        if units.arrived_at[k] == NEVER:
            continue
        behaviour = Behaviour(int(units.behaviour[k]))
        accessories = ["cable"] if lost_manual[k] else _ACCESSORIES
        if behaviour == Behaviour.RETURN_SWAPPER:
            seal = f"SEAL-{rng.integers(0, 16**8):08X}"
            serial = _serial(rng, serial_format == "imei")[0] if serial else None
        elif behaviour == Behaviour.FAKE_RETURN_SENDER:
            serial, seal, serial_format, accessories = None, None, "none", []
        columns.add(**common, shipment_id=int(units.shipment_ids[k]), stage="returned",
                    serial=serial, serial_format=serial_format, seal_id=seal,
                    seal_intact=None if seal is None else True,
                    weight_grams=max(1, int(arrival[k])), accessories=accessories,
                    recorded_at=int(units.arrived_at[k]))  # fmt: skip
        arrived.append(ArrivedUnit(k, len(columns.values["order_id"]) - 2))
    rows, unit_ids = _with_chain(columns.values, market, head)
    return UnitRows(rows, arrived, columns.values, unit_ids)


def _with_chain(
    values: dict[str, list[Any]], market: Market, head: ChainHead
) -> tuple[list[Rows], Ints]:
    count = len(values.get("order_id", []))
    ids = market.ids.take("unit_evidence", count)
    link_ids = market.ids.take("evidence_chain", count)
    chained: dict[str, list[Any]] = {name: [] for name in (
        "seq", "record_id", "record_sha256", "prev_hash", "entry_hash")}  # fmt: skip
    for k in range(count):
        row = {name: column[k] for name, column in values.items()}
        row.update(id=int(ids[k]), dimensions_mm=[], photos=[], packing_video_sha256=None,
                   anti_counterfeit_code=None, damage_noted=False,
                   recorded_by=WAREHOUSE)  # fmt: skip
        record = unit_record(row, iso_moment(row["recorded_at"]))
        head.last = chain.next_link(
            head.last, "unit_evidence", row["id"], chain.record_hash(record)
        )
        for name in chained:
            chained[name].append(getattr(head.last, name))
    times = stamps(np.array(values.get("recorded_at", []), dtype=np.int64))
    unit_columns: dict[str, Any] = {
        name: column
        for name, column in values.items()
        if name not in ("recorded_at", "accessories")
    }
    unit_columns.update(
        id=ids, recorded_at=times,
        accessories=[json.dumps(a) for a in values.get("accessories", [])],
        dimensions_mm="[]", photos="[]", packing_video_sha256=None, anti_counterfeit_code=None,
        damage_noted=False, recorded_by=WAREHOUSE,
    )  # fmt: skip
    chain_columns: dict[str, Any] = dict(chained)
    chain_columns.update(id=link_ids, tenant_id=market.tenant_id, record_type="unit_evidence",
                         created_at=times)  # fmt: skip
    rows = [
        Rows("unit_evidence", count, unit_columns),
        Rows("evidence_chain", count, chain_columns),
    ]
    return rows, ids
