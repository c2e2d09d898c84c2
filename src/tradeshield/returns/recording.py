"""Recording key evidence of a unit and keeping the tenant's evidence chain.

Every record is appended to the chain in the same transaction that stores it, so a record
without its link (or a link without its record) never commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.db import utcnow
from tradeshield.errors import Invalid
from tradeshield.evidence.blobs import BlobStore
from tradeshield.forensics.visible_label import TextReader
from tradeshield.orders import service as orders
from tradeshield.returns import chain
from tradeshield.returns.evidence_schema import check_code, normalise_serial, weight_in_grams
from tradeshield.returns.kinds import ChainRecordType, PhotoAngle, SerialFormat
from tradeshield.returns.label_ocr import read_label
from tradeshield.returns.models import ChainEntry, ReturnVerification, UnitEvidence
from tradeshield.returns.records import (
    UNIT_FIELDS,
    VERIFICATION_FIELDS,
    moment,
    unit_record,
    verification_record,
)
from tradeshield.returns.schemas import UnitEvidenceIn
from tradeshield.shipments import service as shipments
from tradeshield.tenancy.scope import Scope


def _link_of(entry: ChainEntry) -> chain.Link:
    return chain.Link(
        entry.seq,
        entry.record_type.value,
        entry.record_id,
        entry.record_sha256,
        entry.prev_hash,
        entry.entry_hash,
    )


def append_link(
    session: Session, tenant_id: int, record_type: ChainRecordType, record_id: int,
    record: dict[str, Any],
) -> ChainEntry:  # fmt: skip
    """Append ``record`` to the tenant's chain; a concurrent append fails on (tenant, seq)."""
    last = session.scalar(
        select(ChainEntry)
        .where(ChainEntry.tenant_id == tenant_id)
        .order_by(ChainEntry.seq.desc())
        .limit(1)
    )
    link = chain.next_link(
        None if last is None else _link_of(last), record_type.value, record_id,
        chain.record_hash(record),
    )  # fmt: skip
    entry = ChainEntry(
        tenant_id=tenant_id,
        seq=link.seq,
        record_type=record_type,
        record_id=record_id,
        record_sha256=link.record_sha256,
        prev_hash=link.prev_hash,
        entry_hash=link.entry_hash,
    )
    session.add(entry)
    session.flush()
    return entry


def unit_dict(unit: UnitEvidence) -> dict[str, Any]:
    values = {name: getattr(unit, name) for name in UNIT_FIELDS}
    return unit_record(values, moment(unit.recorded_at))


def verification_dict(found: ReturnVerification) -> dict[str, Any]:
    values = {name: getattr(found, name) for name in VERIFICATION_FIELDS}
    return verification_record(values, moment(found.created_at))


def _photos(unit_in: UnitEvidenceIn, store: BlobStore, reader: TextReader | None) -> tuple[
    list[dict[str, Any]], str | None
]:  # fmt: skip
    photos: list[dict[str, Any]] = []
    serial_read: str | None = None
    for photo in unit_in.photos:
        if not store.exists(photo.sha256):
            raise Invalid(f"photo {photo.sha256} was not uploaded", field="photos")
        entry: dict[str, Any] = {"angle": photo.angle.value, "sha256": photo.sha256}
        if photo.angle is PhotoAngle.LABEL and unit_in.read_label:
            reading = read_label(store.open_bytes(photo.sha256), reader)
            entry["ocr"] = {"serial": reading.serial, "confidence": reading.confidence}
            serial_read = serial_read or reading.serial
        photos.append(entry)
    if unit_in.packing_video_sha256 and not store.exists(unit_in.packing_video_sha256):
        raise Invalid("the packing video was not uploaded", field="packing_video_sha256")
    return photos, serial_read


def _clean(unit_in: UnitEvidenceIn, serial_read: str | None) -> dict[str, Any]:
    serial, serial_format = None, SerialFormat.NONE
    raw = unit_in.serial or serial_read
    if raw:
        serial, serial_format = normalise_serial(raw, unit_in.serial_format)
    weight = None
    if unit_in.weight is not None:
        weight = weight_in_grams(unit_in.weight, unit_in.weight_unit)
    if unit_in.dimensions_mm and (
        len(unit_in.dimensions_mm) != 3 or min(unit_in.dimensions_mm) <= 0
    ):
        raise Invalid("dimensions_mm are three positive lengths", field="dimensions_mm")
    code = unit_in.anti_counterfeit_code
    return {
        "serial": serial,
        "serial_format": serial_format,
        "anti_counterfeit_code": check_code(code, "anti_counterfeit_code") if code else None,
        "seal_id": check_code(unit_in.seal_id, "seal_id") if unit_in.seal_id else None,
        "weight_grams": weight,
        "accessories": sorted({a.strip().lower() for a in unit_in.accessories if a.strip()}),
    }


def record_unit(
    session: Session,
    scope: Scope,
    unit_in: UnitEvidenceIn,
    store: BlobStore,
    reader: TextReader | None = None,
    now: dt.datetime | None = None,
) -> UnitEvidence:
    """Store the evidence of one unit and chain it. Refuses another tenant's or shop's order."""
    scope.require_write()
    order = orders.get_order(session, scope, unit_in.order_id)
    if unit_in.shipment_id is not None:
        shipment = shipments.get_shipment(session, scope, unit_in.shipment_id)
        if shipment.order_id != order.id:
            raise Invalid("the shipment belongs to another order", field="shipment_id")
    photos, serial_read = _photos(unit_in, store, reader)
    unit = UnitEvidence(
        tenant_id=scope.tenant_id,
        merchant_id=order.merchant_id,
        order_id=order.id,
        shipment_id=unit_in.shipment_id,
        stage=unit_in.stage,
        unit_index=unit_in.unit_index,
        seal_intact=unit_in.seal_intact,
        dimensions_mm=list(unit_in.dimensions_mm),
        photos=photos,
        packing_video_sha256=unit_in.packing_video_sha256,
        damage_noted=unit_in.damage_noted,
        recorded_by=scope.actor,
        recorded_at=(now or utcnow()).replace(microsecond=0),
        **_clean(unit_in, serial_read),
    )
    session.add(unit)
    session.flush()
    append_link(session, scope.tenant_id, ChainRecordType.UNIT_EVIDENCE, unit.id, unit_dict(unit))
    audit.record(session, scope, "unit_evidence", unit.id, "recorded", {"order_id": order.id})
    return unit


def _links(session: Session, tenant_id: int) -> Iterator[chain.Link]:
    query = select(ChainEntry).where(ChainEntry.tenant_id == tenant_id).order_by(ChainEntry.id)
    for entry in session.scalars(query.execution_options(yield_per=2000)):
        yield _link_of(entry)


def _lookup(session: Session, tenant_id: int) -> chain.RecordLookup:
    def find(record_type: str, record_id: int) -> dict[str, Any] | None:
        if record_type == ChainRecordType.UNIT_EVIDENCE.value:
            unit = session.get(UnitEvidence, record_id)
            ok = unit is not None and unit.tenant_id == tenant_id
            return unit_dict(unit) if ok and unit is not None else None
        found = session.get(ReturnVerification, record_id)
        ok = found is not None and found.tenant_id == tenant_id
        return verification_dict(found) if ok and found is not None else None

    return find


def _file_check(store: BlobStore) -> chain.FileCheck:
    def intact(sha256: str) -> bool:
        return (
            store.exists(sha256) and hashlib.sha256(store.open_bytes(sha256)).hexdigest() == sha256
        )

    return intact


def verify_chain(
    session: Session, tenant_id: int, store: BlobStore, anchors: Iterable[chain.Anchor] = ()
) -> chain.ChainReport:
    """Walk the tenant's chain from the first link; name the first that does not hold, or
    the first published head (``anchors``) the chain no longer matches."""
    return chain.verify(
        _links(session, tenant_id), _lookup(session, tenant_id), _file_check(store), anchors
    )


def links_for(session: Session, tenant_id: int, refs: list[tuple[str, int]]) -> list[chain.Link]:
    wanted = set(refs)
    query = select(ChainEntry).where(ChainEntry.tenant_id == tenant_id)
    query = query.where(ChainEntry.record_id.in_([ref[1] for ref in refs]))
    found = [_link_of(e) for e in session.scalars(query.order_by(ChainEntry.seq))]
    return [link for link in found if (link.record_type, link.record_id) in wanted]


def head(session: Session, tenant_id: int) -> chain.Link | None:
    last = session.scalar(
        select(ChainEntry)
        .where(ChainEntry.tenant_id == tenant_id)
        .order_by(ChainEntry.seq.desc())
        .limit(1)
    )
    return None if last is None else _link_of(last)


@dataclass(frozen=True, slots=True)
class PublishedHead:
    tenant_id: int
    seq: int
    entry_hash: str
    published_at: dt.datetime


def publish_head(session: Session, scope: Scope) -> PublishedHead:
    """The chain's head as a record to keep outside the database (a courier, a platform, an
    operator's own log); the audit log notes each one. An empty chain publishes link 0."""
    scope.require_operator()
    last = head(session, scope.tenant_id)
    seq, entry = (0, chain.GENESIS) if last is None else (last.seq, last.entry_hash)
    published = PublishedHead(scope.tenant_id, seq, entry, utcnow())
    audit.record(session, scope, "evidence_chain", scope.tenant_id, "head_published",
                 {"seq": seq, "entry_hash": entry})  # fmt: skip
    return published
