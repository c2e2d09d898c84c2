"""Imports every module's tables so that metadata (Alembic, create_all) sees them all."""

from tradeshield.audit.models import AuditEntry
from tradeshield.buyers.models import BuyerAccount, BuyerIdentifier
from tradeshield.cases.models import Appeal, Case, Ruling
from tradeshield.catalog.models import Merchant, PriceChange, Product
from tradeshield.db import Base
from tradeshield.demo.models import DemoLabel
from tradeshield.evidence.models import EvidenceItem
from tradeshield.forensics.models import ForensicReportRecord, PhotoFingerprint
from tradeshield.idempotency.models import IdempotencyRecord
from tradeshield.integrity.models import (
    IntegrityAction,
    IntegrityAppeal,
    IntegrityRing,
    IntegrityScore,
)
from tradeshield.jobs.models import Job
from tradeshield.orders.models import Order, OrderLine
from tradeshield.returns.models import (
    ChainEntry,
    ConsortiumEntry,
    ConsortiumIdentifier,
    CourierClaim,
    PurchaseRestriction,
    RateBucket,
    RestrictedIdentifier,
    ReturnVerification,
    RiskAppeal,
    UnitEvidence,
)
from tradeshield.reviews.models import Review
from tradeshield.shipments.models import ScanEvent, Shipment
from tradeshield.tenancy.models import ApiKey, Tenant

__all__ = [
    "ApiKey",
    "Appeal",
    "AuditEntry",
    "Base",
    "BuyerAccount",
    "BuyerIdentifier",
    "Case",
    "ChainEntry",
    "ConsortiumEntry",
    "ConsortiumIdentifier",
    "CourierClaim",
    "DemoLabel",
    "EvidenceItem",
    "ForensicReportRecord",
    "IdempotencyRecord",
    "IntegrityAction",
    "IntegrityAppeal",
    "IntegrityRing",
    "IntegrityScore",
    "Job",
    "Merchant",
    "Order",
    "OrderLine",
    "PhotoFingerprint",
    "PriceChange",
    "Product",
    "PurchaseRestriction",
    "RateBucket",
    "RestrictedIdentifier",
    "ReturnVerification",
    "Review",
    "RiskAppeal",
    "Ruling",
    "ScanEvent",
    "Shipment",
    "Tenant",
    "UnitEvidence",
]
