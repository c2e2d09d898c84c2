"""Closed sets that describe an after-sales case and its ruling."""

from __future__ import annotations

import enum


class CaseKind(enum.StrEnum):
    REFUND_ONLY = "refund_only"
    RETURN_AND_REFUND = "return_and_refund"
    EXCHANGE = "exchange"
    REPAIR = "repair"
    INSTALLATION = "installation"


class ReasonCode(enum.StrEnum):
    NOT_RECEIVED = "not_received"
    LATE_DELIVERY = "late_delivery"
    DAMAGED_IN_TRANSIT = "damaged_in_transit"
    QUALITY_ISSUE = "quality_issue"
    NOT_AS_DESCRIBED = "not_as_described"
    WRONG_ITEM = "wrong_item"
    MISSING_PARTS = "missing_parts"
    COUNTERFEIT = "counterfeit"
    SPOILED_OR_EXPIRED = "spoiled_or_expired"
    DEAD_ON_ARRIVAL = "dead_on_arrival"
    SIZE_OR_FIT = "size_or_fit"
    NO_REASON_7_DAYS = "no_reason_7_days"
    INSTALLATION_PROBLEM = "installation_problem"
    NEEDS_REPAIR = "needs_repair"


class CaseState(enum.StrEnum):
    AWAITING_MERCHANT = "awaiting_merchant"
    AWAITING_BUYER = "awaiting_buyer"
    AWAITING_RETURN = "awaiting_return"
    RETURN_IN_TRANSIT = "return_in_transit"
    UNDER_REVIEW = "under_review"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Party(enum.StrEnum):
    BUYER = "buyer"
    MERCHANT = "merchant"
    PLATFORM = "platform"
    COURIER = "courier"
    SYSTEM = "system"


class Outcome(enum.StrEnum):
    FULL_REFUND = "full_refund"
    PARTIAL_REFUND = "partial_refund"
    RETURN_THEN_REFUND = "return_then_refund"
    EXCHANGE = "exchange"
    REPAIR = "repair"
    REJECT = "reject"
    ESCALATE = "escalate"


class LiableParty(enum.StrEnum):
    BUYER = "buyer"
    MERCHANT = "merchant"
    COURIER = "courier"
    PLATFORM = "platform"
    NONE = "none"


class DecidedBy(enum.StrEnum):
    AGREEMENT = "agreement"
    DEADLINE = "deadline"
    PLATFORM = "platform"
    RULES = "rules"
