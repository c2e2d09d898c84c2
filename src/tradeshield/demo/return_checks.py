"""The warehouse's check of each demo return on arrival, as the returns service makes it.

Each arrived return is compared with the unit that went out by the returns module's own
pure check and liability rules (``judge_return``), from the same facts
``tradeshield returns verify`` would read: the two unit records, the courier's pickup
weight, damage scans and the outbound parcel's declared weight. The check is stored with
the moment the unit arrived and appended to the evidence chain after the unit records.
No check is confirmed: confirming is the merchant's act, and what makes purchase limits.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from tradeshield.demo.market import Market
from tradeshield.demo.rows import Rows
from tradeshield.demo.timebase import stamps
from tradeshield.demo.unit_evidence import ChainHead, ReturnedUnits, UnitRows, iso_moment
from tradeshield.returns import chain
from tradeshield.returns.facts import ReturnTrip, UnitFacts
from tradeshield.returns.judging import judge_return
from tradeshield.returns.policy import ReturnsPolicy, load_policy
from tradeshield.returns.records import verification_record


def _facts(values: dict[str, list[Any]], at: int) -> UnitFacts:
    seal = values["seal_id"][at]
    return UnitFacts(
        serial=values["serial"][at],
        seal_id=seal,
        seal_intact=values["seal_intact"][at],
        weight_grams=values["weight_grams"][at],
        accessories=frozenset(values["accessories"][at]),
    )


def _check(
    records: UnitRows, units: ReturnedUnits, market: Market, shipped_at: int, parcel: int,
    policy: ReturnsPolicy,
) -> dict[str, Any]:  # fmt: skip
    values = records.values
    shipped, returned = _facts(values, shipped_at), _facts(values, shipped_at + 1)
    trip = ReturnTrip(
        pickup_weight_grams=int(units.picked_grams[parcel]),
        arrival_weight_grams=returned.weight_grams,
        damage_scans=int(units.damage_scans[parcel]),
        outbound_declared_grams=int(units.declared_grams[parcel]),
    )
    judged = judge_return(shipped, returned, [], trip, policy)
    return {
        "tenant_id": market.tenant_id,
        "merchant_id": int(units.merchant_ids[parcel]),
        "order_id": int(units.order_ids[parcel]),
        "buyer_id": int(units.buyer_ids[parcel]),
        "return_shipment_id": int(units.shipment_ids[parcel]),
        "shipped_evidence_id": int(records.ids[shipped_at]),
        "returned_evidence_id": int(records.ids[shipped_at + 1]),
        **judged.columns(),
        "created_s": int(values["recorded_at"][shipped_at + 1]),
    }


def check_rows(
    records: UnitRows, units: ReturnedUnits, market: Market, head: ChainHead
) -> list[Rows]:
    """The arrived returns' checks and their chain links."""
    policy = load_policy()
    checks = [
        _check(records, units, market, unit.shipped_record, unit.parcel, policy)
        for unit in records.arrived
    ]
    count = len(checks)
    ids = market.ids.take("return_verifications", count)
    link_ids = market.ids.take("evidence_chain", count)
    links: dict[str, list[Any]] = {name: [] for name in (
        "seq", "record_id", "record_sha256", "prev_hash", "entry_hash")}  # fmt: skip
    for check, check_id in zip(checks, ids.tolist(), strict=True):
        check["id"] = check_id
        record = verification_record(check, iso_moment(check["created_s"]))
        head.last = chain.next_link(head.last, "verification", check_id, chain.record_hash(record))
        for name in links:
            links[name].append(getattr(head.last, name))
    times = stamps(np.array([c["created_s"] for c in checks], dtype=np.int64))
    plain = ("tenant_id", "merchant_id", "order_id", "buyer_id", "return_shipment_id",
             "shipped_evidence_id", "returned_evidence_id")  # fmt: skip
    as_text = ("result", "liable_party")  # enum members, written as their values
    as_json = ("checks", "reasons", "liability_reasons", "clause_ids", "versions")
    columns: dict[str, Any] = {name: [c[name] for c in checks] for name in plain}
    columns.update({name: [str(c[name]) for c in checks] for name in as_text})
    columns.update({name: [json.dumps(c[name]) for c in checks] for name in as_json})
    columns.update(id=ids, confirmed=False, created_at=times)
    chain_columns: dict[str, Any] = dict(links)
    chain_columns.update(id=link_ids, tenant_id=market.tenant_id, record_type="verification",
                         created_at=times)  # fmt: skip
    return [
        Rows("return_verifications", count, columns),
        Rows("evidence_chain", count, chain_columns),
    ]
