"""Who answers for a return that does not match: buyer, courier or merchant.

Read in this order, each step citing its clause of the return-mismatch rule pack:
1. merchant: its own shipping evidence is missing, or shows a unit whose weight does not fit
   the outbound parcel it declared (it shipped the wrong unit);
2. courier: a damage scan, or the parcel's weight changed between pickup and arrival;
3. buyer: the parcel already weighed wrong at pickup, or it arrived at the weight it was
   picked up with but is not the unit shipped, or the buyer broke the seal.
A matching return makes no one liable; a failure none of these explains is undetermined.
Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradeshield.i18n.catalog import reason
from tradeshield.returns.facts import ReturnTrip, UnitFacts
from tradeshield.returns.kinds import CheckOutcome, LiableParty, VerificationResult
from tradeshield.returns.policy import LiabilityPolicy
from tradeshield.returns.verification import DOMAIN, Verdict, weight_within


@dataclass(frozen=True, slots=True)
class Liability:
    party: LiableParty
    reasons: list[dict[str, str]]
    clause_ids: list[str]


def _decide(party: LiableParty, code: str, policy: LiabilityPolicy, **params: int) -> Liability:
    return Liability(party, [reason(code, DOMAIN, **params)], [policy.clauses[code]])


def _merchant(shipped: UnitFacts, trip: ReturnTrip, policy: LiabilityPolicy) -> Liability | None:
    if shipped.weight_grams is None and shipped.serial is None and shipped.photo_count == 0:
        return _decide(LiableParty.MERCHANT, "merchant_no_shipping_evidence", policy)
    declared, weighed = trip.outbound_declared_grams, shipped.weight_grams
    if declared and weighed:
        ratio = policy.shipped_declared_tolerance_ratio
        if not weight_within(declared, weighed, ratio, 0):
            return _decide(
                LiableParty.MERCHANT,
                "merchant_shipped_wrong_unit",
                policy,
                declared=declared,
                weighed=weighed,
            )
    return None


def _courier(trip: ReturnTrip, policy: LiabilityPolicy) -> Liability | None:
    if trip.damage_scans > 0:
        return _decide(LiableParty.COURIER, "courier_damage_scan", policy, scans=trip.damage_scans)
    pickup, arrival = trip.pickup_weight_grams, trip.arrival_weight_grams
    if pickup is not None and arrival is not None:
        ratio, floor = policy.transit_tolerance_ratio, policy.transit_tolerance_min_grams
        if not weight_within(pickup, arrival, ratio, floor):
            return _decide(
                LiableParty.COURIER,
                "courier_weight_changed_in_transit",
                policy,
                pickup=pickup,
                arrival=arrival,
            )
    return None


def _buyer(
    shipped: UnitFacts, verdict: Verdict, trip: ReturnTrip, policy: LiabilityPolicy
) -> Liability | None:
    pickup, sent = trip.pickup_weight_grams, shipped.weight_grams
    ratio = policy.pickup_tolerance_ratio
    if pickup is not None and sent is not None and not weight_within(sent, pickup, ratio, 0):
        return _decide(
            LiableParty.BUYER,
            "buyer_item_changed_before_pickup",
            policy,
            shipped=sent,
            pickup=pickup,
        )
    if verdict.result is VerificationResult.MISMATCH:
        # the courier delivered what it picked up (step 2 found nothing), so it left as it came
        return _decide(LiableParty.BUYER, "buyer_returned_other_item", policy)
    if verdict.outcome_of("seal") is CheckOutcome.FAIL:
        return _decide(LiableParty.BUYER, "buyer_seal_broken", policy)
    return None


def assign(
    shipped: UnitFacts, verdict: Verdict, trip: ReturnTrip, policy: LiabilityPolicy
) -> Liability:
    if verdict.result is VerificationResult.MATCH:
        return Liability(LiableParty.NONE, [reason("nobody_liable", DOMAIN)], [])
    for found in (
        _merchant(shipped, trip, policy),
        _courier(trip, policy),
        _buyer(shipped, verdict, trip, policy),
    ):
        if found is not None:
            return found
    return Liability(LiableParty.UNDETERMINED, [reason("liability_undetermined", DOMAIN)], [])
