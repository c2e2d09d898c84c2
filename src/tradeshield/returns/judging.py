"""`judge_return`: the pure check of a returned unit against the shipped one and who answers
for a difference, with the columns a stored return check keeps. One place for the service,
the demo's warehouse and the evaluation, so the three cannot drift apart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tradeshield.returns.facts import PhotoComparison, ReturnTrip, UnitFacts
from tradeshield.returns.liability import Liability, assign
from tradeshield.returns.policy import ReturnsPolicy
from tradeshield.returns.verification import Verdict, verify_unit


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    liability: Liability
    versions: dict[str, str]

    def columns(self) -> dict[str, Any]:
        """The verdict and liability as ``ReturnVerification`` stores them."""
        return {
            "result": self.verdict.result,
            "checks": [check.as_dict() for check in self.verdict.checks],
            "reasons": self.verdict.reasons,
            "liable_party": self.liability.party,
            "liability_reasons": self.liability.reasons,
            "clause_ids": self.liability.clause_ids,
            "versions": self.versions,
        }


def judge_return(
    shipped: UnitFacts,
    returned: UnitFacts,
    photos: Sequence[PhotoComparison],
    trip: ReturnTrip,
    policy: ReturnsPolicy,
) -> Judgement:
    verdict = verify_unit(shipped, returned, photos, policy.verification)
    liability = assign(shipped, verdict, trip, policy.liability)
    versions = {"policy": policy.version, "rule_pack": policy.liability.rule_pack}
    return Judgement(verdict, liability, versions)
