"""Closed sets of the rules module: pack kinds, precedence, fact values, next steps."""

from __future__ import annotations

import enum


class PackKind(enum.StrEnum):
    INDUSTRY = "industry"
    SCENARIO = "scenario"


class Precedence(enum.IntEnum):
    """Which pack's answer wins when several answer; lower wins.

    A settlement (the parties agreed, or a party let its deadline pass) is not a dispute and
    stands first. A confirmed forgery voids the claim whatever the goods; a return check
    decides what came back before any industry rule reads the claim; an industry pack knows
    its goods better than a generic scenario pack.
    """

    SETTLEMENT = 0
    EVIDENCE = 1
    RETURN_CHECK = 2
    INDUSTRY = 3
    GENERIC = 4


class Forgery(enum.StrEnum):
    """What the forensic reports on the case's evidence say, taken together."""

    NONE = "none"  # no report yet
    CLEAN = "clean"  # reports found nothing
    SUSPICIOUS = "suspicious"  # a blind score or weak findings; never grounds to deny alone
    CONFIRMED = "confirmed"  # provenance proof or a reference match with a changed region


class ReturnCheck(enum.StrEnum):
    """The return check's result (the ``returns`` module's verification), when there is one.

    A ``damaged`` return whose liability the check puts on the courier is passed as
    ``courier_damage``; an undetermined one as ``inconclusive``.
    """

    MATCH = "match"
    MISMATCH = "mismatch"  # swapped or fake item
    PARTIAL = "partial"  # the unit, with parts missing
    DAMAGED = "damaged"  # damaged by use or by the buyer
    COURIER_DAMAGE = "courier_damage"
    INCONCLUSIVE = "inconclusive"


class BuyerTier(enum.StrEnum):
    """The buyer's integrity tier (the ``integrity`` module's), when there is one."""

    NORMAL = "normal"
    MORE_EVIDENCE = "more_evidence"
    MANUAL_REVIEW = "manual_review"
    PURCHASE_LIMIT = "purchase_limit"
    NO_REFUND_ONLY = "no_refund_only"


class Settlement(enum.StrEnum):
    """How a case ended without a contested decision."""

    MERCHANT_ACCEPTED = "merchant_accepted"
    MERCHANT_NO_ANSWER = "merchant_no_answer"
    BUYER_ACCEPTED_OFFER = "buyer_accepted_offer"
    MERCHANT_CONFIRMED_RETURN = "merchant_confirmed_return"
    MERCHANT_NO_INSPECTION = "merchant_no_inspection"


class NextStep(enum.StrEnum):
    REFUND_NOW = "refund_now"
    BUYER_RETURNS_GOODS = "buyer_returns_goods"
    MERCHANT_SHIPS_REPLACEMENT = "merchant_ships_replacement"
    MERCHANT_ARRANGES_REPAIR = "merchant_arranges_repair"
    MERCHANT_RESCHEDULES_INSTALLATION = "merchant_reschedules_installation"
    BUYER_UPLOADS_EVIDENCE = "buyer_uploads_evidence"
    MERCHANT_UPLOADS_EVIDENCE = "merchant_uploads_evidence"
    AWAIT_FORENSIC_ANALYSIS = "await_forensic_analysis"
    COURIER_CLAIM = "courier_claim"
    PLATFORM_REVIEW = "platform_review"
    CLOSE_CASE = "close_case"
