"""Tables of the returns module: unit evidence and its hash chain, return checks, courier
claims, purchase restrictions, appeals, the consortium list and its query buckets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tradeshield.db import Base, IdType, enum_column, utcnow
from tradeshield.returns.kinds import (
    AppealStatus,
    AppealSubject,
    ChainRecordType,
    ClaimStatus,
    LiableParty,
    RestrictionLevel,
    SerialFormat,
    UnitStage,
    VerificationResult,
)


class UnitEvidence(Base):
    """Key evidence of one unit, as shipped or as returned. Never updated once chained."""

    __tablename__ = "unit_evidence"
    __table_args__ = (
        Index("ix_unit_evidence_tenant_order", "tenant_id", "order_id", "stage"),
        Index("ix_unit_evidence_tenant_serial", "tenant_id", "serial"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"), default=None)
    stage: Mapped[UnitStage] = mapped_column(enum_column(UnitStage, 10))
    unit_index: Mapped[int] = mapped_column(default=0)
    serial: Mapped[str | None] = mapped_column(String(40), default=None)
    serial_format: Mapped[SerialFormat] = mapped_column(enum_column(SerialFormat, 10))
    anti_counterfeit_code: Mapped[str | None] = mapped_column(String(64), default=None)
    seal_id: Mapped[str | None] = mapped_column(String(64), default=None)
    seal_intact: Mapped[bool | None] = mapped_column(default=None)
    weight_grams: Mapped[int | None] = mapped_column(default=None)
    dimensions_mm: Mapped[list[Any]] = mapped_column(default=list)
    photos: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    packing_video_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    accessories: Mapped[list[str]] = mapped_column(default=list)
    damage_noted: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ChainEntry(Base):
    """One link of a tenant's evidence chain: it commits to a record and to the link before."""

    __tablename__ = "evidence_chain"
    __table_args__ = (UniqueConstraint("tenant_id", "seq"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    seq: Mapped[int]
    record_type: Mapped[ChainRecordType] = mapped_column(enum_column(ChainRecordType, 20))
    record_id: Mapped[int] = mapped_column(IdType)
    record_sha256: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReturnVerification(Base):
    __tablename__ = "return_verifications"
    __table_args__ = (Index("ix_return_verifications_tenant_buyer", "tenant_id", "buyer_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer_accounts.id"))
    return_shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    shipped_evidence_id: Mapped[int] = mapped_column(ForeignKey("unit_evidence.id"))
    returned_evidence_id: Mapped[int] = mapped_column(ForeignKey("unit_evidence.id"))
    result: Mapped[VerificationResult] = mapped_column(enum_column(VerificationResult, 10))
    checks: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    liable_party: Mapped[LiableParty] = mapped_column(enum_column(LiableParty, 20))
    liability_reasons: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    clause_ids: Mapped[list[str]] = mapped_column(default=list)
    versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    confirmed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CourierClaim(Base):
    __tablename__ = "courier_claims"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchants.id"))
    verification_id: Mapped[int] = mapped_column(ForeignKey("return_verifications.id"))
    carrier: Mapped[str] = mapped_column(String(60))
    tracking_number: Mapped[str] = mapped_column(String(80))
    status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus, 10))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    package_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PurchaseRestriction(Base):
    __tablename__ = "purchase_restrictions"
    __table_args__ = (Index("ix_purchase_restrictions_buyer", "tenant_id", "buyer_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyer_accounts.id"))
    verification_id: Mapped[int | None] = mapped_column(ForeignKey("return_verifications.id"))
    level: Mapped[RestrictionLevel] = mapped_column(enum_column(RestrictionLevel, 10))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    identifier_hashes: Mapped[list[str]] = mapped_column(default=list)
    policy_version: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[dt.datetime]
    lifted_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RestrictedIdentifier(Base):
    """A linked identifier's keyed hash pointing at a restriction, for one indexed lookup."""

    __tablename__ = "restricted_identifiers"
    __table_args__ = (Index("ix_restricted_identifiers_lookup", "tenant_id", "keyed_hash"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    restriction_id: Mapped[int] = mapped_column(ForeignKey("purchase_restrictions.id"))
    keyed_hash: Mapped[str] = mapped_column(String(64))


class RiskAppeal(Base):
    __tablename__ = "risk_appeals"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    subject: Mapped[AppealSubject] = mapped_column(enum_column(AppealSubject, 20))
    subject_id: Mapped[int] = mapped_column(IdType)
    statement: Mapped[str] = mapped_column(String(2000))
    status: Mapped[AppealStatus] = mapped_column(enum_column(AppealStatus, 10))
    decision_note: Mapped[str] = mapped_column(String(2000), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConsortiumEntry(Base):
    """A confirmed abusive account shared between tenants; it holds no identifier in clear."""

    __tablename__ = "consortium_entries"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    publisher_tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    reason_codes: Mapped[list[str]] = mapped_column(default=list)
    evidence_package_sha256: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime]
    removed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    removal_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConsortiumIdentifier(Base):
    __tablename__ = "consortium_identifiers"
    __table_args__ = (Index("ix_consortium_identifiers_hash", "consortium_hash"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("consortium_entries.id"))
    kind: Mapped[str] = mapped_column(String(20))
    consortium_hash: Mapped[str] = mapped_column(String(64))


class RateBucket(Base):
    """A token bucket per caller key: consortium queries spend tokens that refill slowly."""

    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[dt.datetime]
