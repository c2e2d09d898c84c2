"""How well return verification finds the demo marketplace's swapped and fake returns.

Every delivered demo return with unit evidence is verified in memory (nothing is stored),
and ``mismatch`` is compared with the demo's hidden case labels (return_swapper,
fake_return_sender), read through the demo service's evaluation function: the only place
in this module that sees labels. The policy is not tuned on these labels.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradeshield.demo import service as demo
from tradeshield.returns.checking import facts_of
from tradeshield.returns.facts import ReturnTrip
from tradeshield.returns.judging import judge_return
from tradeshield.returns.kinds import UnitStage, VerificationResult
from tradeshield.returns.models import UnitEvidence
from tradeshield.returns.policy import ReturnsPolicy, load_policy
from tradeshield.shipments import service as shipments
from tradeshield.shipments.kinds import ScanKind
from tradeshield.tenancy.scope import Scope

ABUSE = frozenset({"return_swapper", "fake_return_sender"})


@dataclass(slots=True)
class Evaluation:
    returns: int = 0
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    results: Counter[str] = field(default_factory=Counter)
    by_label: Counter[str] = field(default_factory=Counter)  # "label -> result"
    liable: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 0.0


def _units(session: Session, tenant_id: int, stage: UnitStage) -> dict[int, UnitEvidence]:
    query = select(UnitEvidence).where(
        UnitEvidence.tenant_id == tenant_id, UnitEvidence.stage == stage
    )
    return {u.order_id: u for u in session.scalars(query.order_by(UnitEvidence.id))}


def _trip(session: Session, scope: Scope, unit: UnitEvidence) -> tuple[ReturnTrip, int | None]:
    parcel = shipments.get_shipment(session, scope, unit.shipment_id or 0)
    scans = shipments.scans_of(session, scope, parcel.id)
    pickup = next(
        (s.weight_grams for s in scans if s.kind is ScanKind.PICKED_UP and s.weight_grams),
        parcel.measured_weight_grams,
    )
    damage = sum(1 for s in scans if s.kind is ScanKind.DAMAGED)
    return ReturnTrip(pickup, unit.weight_grams, damage, None), parcel.case_id


def evaluate(session: Session, tenant_id: int, policy: ReturnsPolicy | None = None) -> Evaluation:
    policy = policy or load_policy()
    scope = Scope.system(tenant_id)
    labels = demo.labelled_patterns(session, tenant_id, "case")
    shipped = _units(session, tenant_id, UnitStage.SHIPPED)
    found = Evaluation()
    for order_id, returned in _units(session, tenant_id, UnitStage.RETURNED).items():
        sent = shipped.get(order_id)
        if sent is None or returned.shipment_id is None:
            continue
        trip, case_id = _trip(session, scope, returned)
        judged = judge_return(facts_of(sent), facts_of(returned), [], trip, policy)
        verdict, liability = judged.verdict, judged.liability
        label = labels.get(case_id or 0, "honest")
        is_abuse = label in ABUSE
        flagged = verdict.result is VerificationResult.MISMATCH
        found.returns += 1
        found.results[verdict.result.value] += 1
        found.by_label[f"{label if is_abuse else 'other'} -> {verdict.result.value}"] += 1
        found.liable[liability.party.value] += 1
        found.true_positive += flagged and is_abuse
        found.false_positive += flagged and not is_abuse
        found.false_negative += is_abuse and not flagged
    return found
