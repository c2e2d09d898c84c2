"""Closed sets of the returns module."""

from __future__ import annotations

import enum


class UnitStage(enum.StrEnum):
    SHIPPED = "shipped"  # recorded by the merchant before the parcel left
    RETURNED = "returned"  # recorded by the merchant when the return arrived


class SerialFormat(enum.StrEnum):
    IMEI = "imei"  # 15 digits with a Luhn check digit
    SERIAL = "serial"  # manufacturer serial: 6-30 letters, digits and - /
    NONE = "none"


class PhotoAngle(enum.StrEnum):
    FRONT = "front"
    BACK = "back"
    LEFT = "left"
    RIGHT = "right"
    TOP = "top"
    LABEL = "label"  # the serial / code label, read by OCR
    SEAL = "seal"
    CONTENTS = "contents"  # the open box with its accessories


class CheckOutcome(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"  # the evidence needed for the check is missing


class VerificationResult(enum.StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"  # swapped or fake item
    PARTIAL = "partial"  # the unit, with parts missing
    DAMAGED = "damaged"


class LiableParty(enum.StrEnum):
    BUYER = "buyer"
    COURIER = "courier"
    MERCHANT = "merchant"
    NONE = "none"
    UNDETERMINED = "undetermined"


class ClaimStatus(enum.StrEnum):
    OPEN = "open"
    SENT = "sent"
    SETTLED = "settled"
    REJECTED = "rejected"


class PolicyDecision(enum.StrEnum):
    ALLOWED = "allowed"
    LIMITED = "limited"
    BLOCKED = "blocked"


class RestrictionLevel(enum.StrEnum):
    LIMITED = "limited"
    BLOCKED = "blocked"


class AppealSubject(enum.StrEnum):
    RESTRICTION = "restriction"
    CONSORTIUM_ENTRY = "consortium_entry"


class AppealStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the appeal succeeded: the restriction or entry is lifted
    REJECTED = "rejected"


class ChainRecordType(enum.StrEnum):
    UNIT_EVIDENCE = "unit_evidence"
    VERIFICATION = "verification"
