"""The English message ids for stored codes (enum values, audit actions) shown in the console.

Ids are marked with ``N_`` so the catalogue test finds them; the lookup to the reader's
language happens in ``language.Texts``. A code missing here is shown as stored.
"""

from __future__ import annotations

import enum

from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.cases.kinds import (
    CaseKind,
    CaseState,
    DecidedBy,
    LiableParty,
    Outcome,
    Party,
    ReasonCode,
)
from tradeshield.cases.lifecycle import Action
from tradeshield.catalog.industries import Industry
from tradeshield.console.marking import N_
from tradeshield.console.trust_labels import TRUST_LABELS
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.forensics.findings import Strength
from tradeshield.forensics.fusion import Verdict
from tradeshield.jobs.kinds import JobState
from tradeshield.shipments.kinds import Direction, ShipmentStatus
from tradeshield.tenancy.kinds import Role

__all__ = ["AUDIT_ACTIONS", "ENTITY_TYPES", "ENUM_LABELS", "FORENSIC_DETECTORS", "N_"]


ENUM_LABELS: dict[type[enum.StrEnum], dict[str, str]] = {
    CaseState: {
        CaseState.AWAITING_MERCHANT: N_("Awaiting merchant"),
        CaseState.AWAITING_BUYER: N_("Awaiting buyer"),
        CaseState.AWAITING_RETURN: N_("Awaiting return"),
        CaseState.RETURN_IN_TRANSIT: N_("Return in transit"),
        CaseState.UNDER_REVIEW: N_("Under platform review"),
        CaseState.RESOLVED: N_("Resolved"),
        CaseState.CLOSED: N_("Closed"),
    },
    CaseKind: {
        CaseKind.REFUND_ONLY: N_("Refund only"),
        CaseKind.RETURN_AND_REFUND: N_("Return and refund"),
        CaseKind.EXCHANGE: N_("Exchange"),
        CaseKind.REPAIR: N_("Repair"),
        CaseKind.INSTALLATION: N_("Installation"),
    },
    ReasonCode: {
        ReasonCode.NOT_RECEIVED: N_("Not received"),
        ReasonCode.LATE_DELIVERY: N_("Late delivery"),
        ReasonCode.DAMAGED_IN_TRANSIT: N_("Damaged in transit"),
        ReasonCode.QUALITY_ISSUE: N_("Quality issue"),
        ReasonCode.NOT_AS_DESCRIBED: N_("Not as described"),
        ReasonCode.WRONG_ITEM: N_("Wrong item"),
        ReasonCode.MISSING_PARTS: N_("Missing parts"),
        ReasonCode.COUNTERFEIT: N_("Counterfeit"),
        ReasonCode.SPOILED_OR_EXPIRED: N_("Spoiled or expired"),
        ReasonCode.DEAD_ON_ARRIVAL: N_("Dead on arrival"),
        ReasonCode.SIZE_OR_FIT: N_("Size or fit"),
        ReasonCode.NO_REASON_7_DAYS: N_("7-day no-reason return"),
        ReasonCode.INSTALLATION_PROBLEM: N_("Installation problem"),
        ReasonCode.NEEDS_REPAIR: N_("Needs repair"),
    },
    Party: {
        Party.BUYER: N_("Buyer"),
        Party.MERCHANT: N_("Merchant"),
        Party.PLATFORM: N_("Platform"),
        Party.COURIER: N_("Courier"),
        Party.SYSTEM: N_("System"),
    },
    Outcome: {
        Outcome.FULL_REFUND: N_("Full refund"),
        Outcome.PARTIAL_REFUND: N_("Partial refund"),
        Outcome.RETURN_THEN_REFUND: N_("Return, then refund"),
        Outcome.EXCHANGE: N_("Exchange"),
        Outcome.REPAIR: N_("Repair"),
        Outcome.REJECT: N_("Rejected"),
        Outcome.ESCALATE: N_("Escalated"),
    },
    LiableParty: {
        LiableParty.BUYER: N_("Buyer"),
        LiableParty.MERCHANT: N_("Merchant"),
        LiableParty.COURIER: N_("Courier"),
        LiableParty.PLATFORM: N_("Platform"),
        LiableParty.NONE: N_("Nobody"),
    },
    DecidedBy: {
        DecidedBy.AGREEMENT: N_("Agreement"),
        DecidedBy.DEADLINE: N_("Missed deadline"),
        DecidedBy.PLATFORM: N_("Platform decision"),
        DecidedBy.RULES: N_("Rule pack"),
    },
    Action: {
        Action.MERCHANT_ACCEPT: N_("Merchant accepts"),
        Action.MERCHANT_REJECT: N_("Merchant rejects"),
        Action.MERCHANT_OFFER_PARTIAL: N_("Merchant offers a partial refund"),
        Action.MERCHANT_REPORT_FORGERY: N_("Merchant reports forged evidence"),
        Action.BUYER_ACCEPT_OFFER: N_("Buyer accepts the offer"),
        Action.BUYER_ESCALATE: N_("Buyer escalates to the platform"),
        Action.BUYER_SHIP_RETURN: N_("Buyer ships the return"),
        Action.MERCHANT_CONFIRM_RETURN: N_("Merchant confirms the return"),
        Action.MERCHANT_DISPUTE_RETURN: N_("Merchant disputes the return"),
        Action.PLATFORM_RULE: N_("Platform rules"),
        Action.APPEAL: N_("Appeal"),
        Action.WITHDRAW: N_("Buyer withdraws"),
        Action.DEADLINE: N_("Deadline passed"),
    },
    Direction: {
        Direction.OUTBOUND: N_("To buyer"),
        Direction.RETURN: N_("Return"),
    },
    ShipmentStatus: {
        ShipmentStatus.CREATED: N_("Created"),
        ShipmentStatus.IN_TRANSIT: N_("In transit"),
        ShipmentStatus.DELIVERED: N_("Delivered"),
        ShipmentStatus.EXCEPTION: N_("Exception"),
        ShipmentStatus.LOST: N_("Lost"),
    },
    EvidenceKind: {
        EvidenceKind.PHOTO: N_("Photo"),
        EvidenceKind.VIDEO: N_("Video"),
        EvidenceKind.TEXT: N_("Text"),
        EvidenceKind.CODE_READING: N_("Code reading"),
    },
    Verdict: {
        Verdict.FORGED: N_("Forged"),
        Verdict.SUSPICIOUS: N_("Suspicious"),
        Verdict.NO_EVIDENCE: N_("No evidence of forgery"),
    },
    Strength: {
        Strength.INFO: N_("Context only"),
        Strength.WEAK: N_("Weak"),
        Strength.MODERATE: N_("Moderate"),
        Strength.STRONG: N_("Strong"),
        Strength.PROOF: N_("Proof"),
    },
    JobState: {
        JobState.QUEUED: N_("Queued"),
        JobState.RUNNING: N_("Running"),
        JobState.SUCCEEDED: N_("Succeeded"),
        JobState.FAILED: N_("Failed"),
    },
    Role: {
        Role.OPERATOR: N_("Platform operator"),
        Role.MERCHANT: N_("Merchant staff"),
        Role.READ_ONLY: N_("Read only"),
    },
    IdentifierKind: {
        IdentifierKind.PHONE: N_("Phone"),
        IdentifierKind.DEVICE: N_("Device"),
        IdentifierKind.ADDRESS: N_("Address"),
        IdentifierKind.PAYMENT_ACCOUNT: N_("Payment account"),
    },
    Industry: {
        Industry.FRESH_FOOD: N_("Fresh food"),
        Industry.FLOWERS_PLANTS: N_("Flowers and plants"),
        Industry.LIVE_PETS: N_("Live pets"),
        Industry.E_BIKES: N_("E-bikes"),
        Industry.COLLECTIBLE_TOYS: N_("Collectible toys"),
        Industry.APPAREL: N_("Apparel"),
        Industry.COSMETICS: N_("Cosmetics"),
        Industry.ELECTRONICS: N_("Electronics"),
        Industry.LARGE_FURNITURE: N_("Large furniture"),
        Industry.JEWELLERY: N_("Jewellery"),
        Industry.MOTHER_BABY: N_("Mother and baby"),
        Industry.DAIGOU: N_("Cross-border purchasing (daigou)"),
        Industry.BOOKS_MEDIA: N_("Books and media"),
        Industry.HOME_APPLIANCES: N_("Home appliances"),
        Industry.SPORTS: N_("Sports"),
        Industry.AUTO_PARTS: N_("Auto parts"),
        Industry.DIGITAL_VIRTUAL: N_("Digital and virtual goods"),
    },
    **TRUST_LABELS,
}

# Actions the services write to the audit log; case actions are stored as Action values.
AUDIT_ACTIONS: dict[str, str] = {
    "opened": N_("Case opened"),
    "created": N_("Created"),
    "submitted": N_("Evidence submitted"),
    "scanned": N_("Parcel scanned"),
    "price_changed": N_("Price changed"),
    "identifiers_linked": N_("Identifiers linked"),
    "forensic_report": N_("Photo checked for forgery"),
    **ENUM_LABELS[Action],
}

# Kinds of audited objects, as the services name them.
ENTITY_TYPES: dict[str, str] = {
    "case": N_("Case"),
    "evidence": N_("Evidence"),
    "shipment": N_("Parcel"),
    "merchant": N_("Shop"),
    "product": N_("Product"),
    "order": N_("Order"),
    "buyer": N_("Buyer"),
    "review": N_("Review"),
}

# The forensic detectors, as forensics.analysis names them in findings and versions.
FORENSIC_DETECTORS: dict[str, str] = {
    "provenance": N_("Provenance and metadata"),
    "jpeg_history": N_("JPEG save history"),
    "noise": N_("Sensor noise"),
    "reference_match": N_("Comparison with reference photos"),
    "visible_label": N_("Visible AI label or watermark"),
    "pixel_model": N_("Trained local-edit model"),
}
