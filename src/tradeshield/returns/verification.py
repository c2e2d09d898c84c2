"""Does the returned unit match the shipped one? Serial, code, seal, weight, photos,
accessories and damage, each a check with its evidence; then one result.

``mismatch``: a different or fake item (an identity check failed, or the weight is off with
nothing that explains it). ``partial``: the unit, with accessories missing. ``damaged``: the
unit, damaged or with its seal broken or replaced. ``match``: nothing failed. A check whose
evidence is missing is ``unknown`` and never decides on its own. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tradeshield.i18n.catalog import reason
from tradeshield.returns.facts import PhotoComparison, UnitFacts
from tradeshield.returns.kinds import CheckOutcome, VerificationResult
from tradeshield.returns.policy import VerificationPolicy

DOMAIN = "returns"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    outcome: CheckOutcome
    shipped: Any
    returned: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "outcome": self.outcome.value,
            "shipped": self.shipped,
            "returned": self.returned,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    result: VerificationResult
    checks: list[Check]
    reasons: list[dict[str, str]]

    def outcome_of(self, name: str) -> CheckOutcome:
        return next(c.outcome for c in self.checks if c.name == name)


def _equal(name: str, shipped: str | None, returned: str | None) -> Check:
    if shipped is None or returned is None:
        return Check(name, CheckOutcome.UNKNOWN, shipped, returned)
    same = CheckOutcome.PASS if shipped == returned else CheckOutcome.FAIL
    return Check(name, same, shipped, returned)


def _seal(shipped: UnitFacts, returned: UnitFacts) -> Check:
    if returned.seal_intact is False:
        return Check("seal", CheckOutcome.FAIL, shipped.seal_id, "broken")
    return _equal("seal", shipped.seal_id, returned.seal_id)


def weight_within(shipped: int, returned: int, ratio: float, min_grams: int) -> bool:
    return abs(returned - shipped) <= max(shipped * ratio, min_grams)


def _weight(shipped: UnitFacts, returned: UnitFacts, policy: VerificationPolicy) -> Check:
    if shipped.weight_grams is None or returned.weight_grams is None:
        return Check("weight", CheckOutcome.UNKNOWN, shipped.weight_grams, returned.weight_grams)
    ok = weight_within(
        shipped.weight_grams,
        returned.weight_grams,
        policy.weight_tolerance_ratio,
        policy.weight_tolerance_min_grams,
    )
    outcome = CheckOutcome.PASS if ok else CheckOutcome.FAIL
    return Check("weight", outcome, shipped.weight_grams, returned.weight_grams)


def _photos(comparisons: Sequence[PhotoComparison]) -> Check:
    if not comparisons:
        return Check("photos", CheckOutcome.UNKNOWN, None, None)
    compared = [
        {"angle": c.angle, "inliers": c.inliers, "inlier_share": round(c.inlier_share, 4)}
        for c in comparisons
    ]
    # A unit is the same when most angles agree; one bad shot does not make a swap.
    agreeing = sum(1 for c in comparisons if c.same_unit)
    outcome = CheckOutcome.PASS if agreeing * 2 >= len(comparisons) else CheckOutcome.FAIL
    return Check("photos", outcome, len(comparisons), compared)


def _accessories(shipped: UnitFacts, returned: UnitFacts) -> Check:
    if not shipped.accessories:
        return Check("accessories", CheckOutcome.UNKNOWN, [], sorted(returned.accessories))
    missing = sorted(shipped.accessories - returned.accessories)
    outcome = CheckOutcome.FAIL if missing else CheckOutcome.PASS
    return Check("accessories", outcome, sorted(shipped.accessories), missing)


def _damage(returned: UnitFacts) -> Check:
    outcome = CheckOutcome.FAIL if returned.damage_noted else CheckOutcome.PASS
    return Check("damage", outcome, False, returned.damage_noted)


def run_checks(
    shipped: UnitFacts,
    returned: UnitFacts,
    photos: Sequence[PhotoComparison],
    policy: VerificationPolicy,
) -> list[Check]:
    return [
        _equal("serial", shipped.serial, returned.serial),
        _equal(
            "anti_counterfeit_code", shipped.anti_counterfeit_code, returned.anti_counterfeit_code
        ),
        _seal(shipped, returned),
        _weight(shipped, returned, policy),
        _photos(photos),
        _accessories(shipped, returned),
        _damage(returned),
    ]


def _weight_unexplained(weight: Check, missing_parts: bool, policy: VerificationPolicy) -> bool:
    """An off weight that missing accessories cannot explain: heavier, or far lighter."""
    if weight.outcome is not CheckOutcome.FAIL:
        return False
    shipped, returned = int(weight.shipped), int(weight.returned)
    if not missing_parts or returned > shipped:
        return True
    return returned < shipped * policy.partial_min_weight_ratio


def _result(
    checks: list[Check], policy: VerificationPolicy
) -> tuple[VerificationResult, list[str]]:
    by_name = {c.name: c.outcome for c in checks}
    identity = ("serial", "anti_counterfeit_code", "photos")
    failed_identity = [name for name in identity if by_name[name] is CheckOutcome.FAIL]
    if failed_identity:
        return VerificationResult.MISMATCH, [f"{name}_differs" for name in failed_identity]
    identity_proven = any(by_name[name] is CheckOutcome.PASS for name in identity)
    weight = next(c for c in checks if c.name == "weight")
    weight_off = weight.outcome is CheckOutcome.FAIL
    missing_parts = by_name["accessories"] is CheckOutcome.FAIL
    if not identity_proven and _weight_unexplained(weight, missing_parts, policy):
        return VerificationResult.MISMATCH, ["weight_differs_unexplained"]
    if missing_parts:
        codes = ["accessories_missing"] + (["weight_differs"] if weight_off else [])
        return VerificationResult.PARTIAL, codes
    if by_name["damage"] is CheckOutcome.FAIL or by_name["seal"] is CheckOutcome.FAIL:
        codes = [c for c in ("damage", "seal") if by_name[c] is CheckOutcome.FAIL]
        return VerificationResult.DAMAGED, [f"{c}_failed" for c in codes]
    if weight_off:
        return VerificationResult.PARTIAL, ["weight_differs"]
    return VerificationResult.MATCH, ["all_checks_passed"]


def verify_unit(
    shipped: UnitFacts,
    returned: UnitFacts,
    photos: Sequence[PhotoComparison],
    policy: VerificationPolicy,
) -> Verdict:
    checks = run_checks(shipped, returned, photos, policy)
    result, codes = _result(checks, policy)
    return Verdict(result, checks, [reason(code, DOMAIN) for code in codes])
