"""Checking a return on arrival, deciding liability, raising courier claims, and exporting
the evidence package behind a verification."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.audit import service as audit
from tradeshield.db import utcnow
from tradeshield.errors import Conflict, Invalid, NotFound
from tradeshield.evidence.blobs import BlobStore, chunked
from tradeshield.i18n.catalog import reason
from tradeshield.orders import service as orders
from tradeshield.pagination import PageRequest
from tradeshield.returns import recording
from tradeshield.returns.facts import PhotoComparison, ReturnTrip, UnitFacts
from tradeshield.returns.judging import judge_return
from tradeshield.returns.kinds import (
    ChainRecordType,
    ClaimStatus,
    LiableParty,
    PhotoAngle,
    UnitStage,
)
from tradeshield.returns.models import CourierClaim, ReturnVerification, UnitEvidence
from tradeshield.returns.package import build_package
from tradeshield.returns.photo_match import compare_photos
from tradeshield.returns.policy import ReturnsPolicy, load_policy
from tradeshield.returns.schemas import VerifyIn
from tradeshield.returns.verification import DOMAIN
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import Direction, ScanKind
from tradeshield.tenancy.scope import Scope

_MAX_PACKAGE_BYTES = 200 * 1024 * 1024


def facts_of(unit: UnitEvidence) -> UnitFacts:
    return UnitFacts(
        serial=unit.serial,
        anti_counterfeit_code=unit.anti_counterfeit_code,
        seal_id=unit.seal_id,
        seal_intact=unit.seal_intact,
        weight_grams=unit.weight_grams,
        accessories=frozenset(unit.accessories),
        damage_noted=unit.damage_noted,
        photo_count=len(unit.photos),
    )


def latest_unit(
    session: Session, tenant_id: int, order_id: int, stage: UnitStage, unit_index: int
) -> UnitEvidence | None:
    query = select(UnitEvidence).where(
        UnitEvidence.tenant_id == tenant_id,
        UnitEvidence.order_id == order_id,
        UnitEvidence.stage == stage,
        UnitEvidence.unit_index == unit_index,
    )
    return session.scalar(query.order_by(UnitEvidence.id.desc()).limit(1))


def _photo_pairs(
    shipped: UnitEvidence, returned: UnitEvidence, store: BlobStore, policy: ReturnsPolicy
) -> list[PhotoComparison]:
    by_angle = {p["angle"]: p["sha256"] for p in shipped.photos if p["angle"] != PhotoAngle.LABEL}
    pairs = []
    for photo in returned.photos:
        shipped_sha = by_angle.get(photo["angle"])
        if shipped_sha is not None:
            first, second = store.open_bytes(shipped_sha), store.open_bytes(photo["sha256"])
            pairs.append(compare_photos(photo["angle"], first, second, policy.verification))
    return pairs


def _trip(session: Session, scope: Scope, order_id: int, return_id: int | None) -> ReturnTrip:
    page = PageRequest(limit=20)
    outbound = shipments.list_shipments(session, scope, page, order_id, None, Direction.OUTBOUND)
    declared = next((s.declared_weight_grams for s in outbound.items), None)
    if return_id is None:
        return ReturnTrip(None, None, 0, declared)
    parcel = shipments.get_shipment(session, scope, return_id)
    if parcel.order_id != order_id or parcel.direction is not Direction.RETURN:
        raise Invalid("return_shipment_id is not a return parcel of this order")
    scans = shipments.scans_of(session, scope, parcel.id)
    weighed = [s.weight_grams for s in scans if s.weight_grams is not None]
    pickup = next(
        (s.weight_grams for s in scans if s.kind is ScanKind.PICKED_UP and s.weight_grams),
        parcel.measured_weight_grams,
    )
    arrival = weighed[-1] if len(weighed) > 1 else None
    damage = sum(1 for s in scans if s.kind is ScanKind.DAMAGED)
    return ReturnTrip(pickup, arrival, damage, declared)


def verify_return(
    session: Session, scope: Scope, verify_in: VerifyIn, store: BlobStore,
    policy: ReturnsPolicy | None = None,
) -> ReturnVerification:  # fmt: skip
    """Compare the returned unit with the shipped one, decide liability, chain the result."""
    scope.require_write()
    policy = policy or load_policy()
    order = orders.get_order(session, scope, verify_in.order_id)
    units = [
        latest_unit(session, scope.tenant_id, order.id, stage, verify_in.unit_index)
        for stage in (UnitStage.SHIPPED, UnitStage.RETURNED)
    ]
    shipped, returned = units
    if returned is None:
        raise Invalid("no returned-unit evidence is recorded for this order", field="order_id")
    if shipped is None:
        raise Invalid("no shipped-unit evidence is recorded for this order", field="order_id")
    trip = _trip(session, scope, order.id, verify_in.return_shipment_id)
    if trip.arrival_weight_grams is None and returned.weight_grams is not None:
        trip = ReturnTrip(trip.pickup_weight_grams, returned.weight_grams, trip.damage_scans,
                          trip.outbound_declared_grams)  # fmt: skip
    photos = _photo_pairs(shipped, returned, store, policy)
    judged = judge_return(facts_of(shipped), facts_of(returned), photos, trip, policy)
    found = ReturnVerification(
        tenant_id=scope.tenant_id, merchant_id=order.merchant_id, order_id=order.id,
        buyer_id=order.buyer_id, return_shipment_id=verify_in.return_shipment_id,
        shipped_evidence_id=shipped.id, returned_evidence_id=returned.id,
        **judged.columns(), created_at=utcnow(),
    )  # fmt: skip
    session.add(found)
    session.flush()
    record = recording.verification_dict(found)
    recording.append_link(session, scope.tenant_id, ChainRecordType.VERIFICATION, found.id, record)
    audit.record(session, scope, "return_verification", found.id, "verified",
                 {"result": found.result.value, "liable": found.liable_party.value})  # fmt: skip
    if judged.liability.party is LiableParty.COURIER and verify_in.return_shipment_id is not None:
        _open_claim(session, scope, found, store)
    return found


def _open_claim(
    session: Session, scope: Scope, found: ReturnVerification, store: BlobStore
) -> CourierClaim:
    parcel = shipments.get_shipment(session, scope, found.return_shipment_id or 0)
    package = package_bytes(session, scope, found.id, store)
    stored = store.put(chunked(package), _MAX_PACKAGE_BYTES)
    claim = CourierClaim(
        tenant_id=scope.tenant_id, merchant_id=found.merchant_id, verification_id=found.id,
        carrier=parcel.carrier, tracking_number=parcel.tracking_number, status=ClaimStatus.OPEN,
        reasons=found.liability_reasons, package_sha256=stored.sha256,
    )  # fmt: skip
    session.add(claim)
    session.flush()
    audit.record(session, scope, "courier_claim", claim.id, "opened", {"sha256": stored.sha256})
    return claim


def get_verification(session: Session, scope: Scope, verification_id: int) -> ReturnVerification:
    found = session.get(ReturnVerification, verification_id)
    if found is None:
        raise NotFound(f"return verification {verification_id} does not exist")
    scope.check_row(found.tenant_id, found.merchant_id)
    return found


def package_bytes(session: Session, scope: Scope, verification_id: int, store: BlobStore) -> bytes:
    """The evidence package of a verification: both units, the result, files and proof."""
    found = get_verification(session, scope, verification_id)
    units = [
        session.get(UnitEvidence, i)
        for i in (found.shipped_evidence_id, found.returned_evidence_id)
    ]
    records: dict[str, dict[str, Any]] = {}
    files: dict[str, bytes] = {}
    for label, unit in zip(("shipped_unit", "returned_unit"), units, strict=True):
        if unit is None:
            raise Conflict("a unit of this verification is missing; verify the chain")
        records[label] = recording.unit_dict(unit)
        for sha in records[label]["file_sha256s"]:
            files[sha] = store.open_bytes(sha)
    records["verification"] = recording.verification_dict(found)
    refs = [(ChainRecordType.UNIT_EVIDENCE.value, u.id) for u in units if u is not None]
    refs.append((ChainRecordType.VERIFICATION.value, found.id))
    proof = recording.links_for(session, scope.tenant_id, refs)
    summary = [reason(f"result_{found.result.value}", DOMAIN), *found.reasons,
               *found.liability_reasons]  # fmt: skip
    title = f"Return verification {found.id} — order {found.order_id}"
    head = recording.head(session, scope.tenant_id)
    return build_package(title, records, files, proof, head, summary)


def claims_of(session: Session, scope: Scope, limit: int = 100) -> list[CourierClaim]:
    query = select(CourierClaim).where(CourierClaim.tenant_id == scope.tenant_id)
    shop = scope.shop_filter(None)
    if shop is not None:
        query = query.where(CourierClaim.merchant_id == shop)
    return list(session.scalars(query.order_by(CourierClaim.id.desc()).limit(limit)))


def verifications_of(session: Session, scope: Scope, limit: int = 100) -> list[ReturnVerification]:
    query = select(ReturnVerification).where(ReturnVerification.tenant_id == scope.tenant_id)
    shop = scope.shop_filter(None)
    if shop is not None:
        query = query.where(ReturnVerification.merchant_id == shop)
    return list(session.scalars(query.order_by(ReturnVerification.id.desc()).limit(limit)))
