"""What-if: how many rulings, and how much money, a pack version would change. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tradeshield.rules.adjudication import RulingValue

SAMPLE_SIZE = 20


@dataclass
class IndustryDelta:
    cases: int = 0
    changed: int = 0
    money_delta_minor: int = 0


@dataclass
class ChangeDelta:
    cases: int = 0
    money_delta_minor: int = 0


@dataclass(frozen=True)
class ChangedCase:
    """One case whose ruling would change, for people to open and read."""

    case_id: int
    industry: str
    outcome_before: str
    outcome_after: str
    amount_before_minor: int
    amount_after_minor: int
    currency: str


@dataclass
class ReplayReport:
    pack: str
    version: str
    baseline_version: str
    cases: int = 0
    changed_outcomes: int = 0
    changed_amounts: int = 0
    money_before_minor: int = 0
    money_after_minor: int = 0
    by_outcome: Counter[str] = field(default_factory=Counter)  # "before -> after"
    by_industry: dict[str, IndustryDelta] = field(default_factory=dict)
    # Every change, of outcome or of amount only, keyed "before -> after", with its money.
    by_change: dict[str, ChangeDelta] = field(default_factory=dict)
    changed_sample: list[ChangedCase] = field(default_factory=list)
    currencies: set[str] = field(default_factory=set)  # money sums mean most with just one

    @property
    def money_delta_minor(self) -> int:
        return self.money_after_minor - self.money_before_minor

    def as_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "version": self.version,
            "baseline_version": self.baseline_version,
            "cases": self.cases,
            "changed_outcomes": self.changed_outcomes,
            "changed_amounts": self.changed_amounts,
            "money_before_minor": self.money_before_minor,
            "money_after_minor": self.money_after_minor,
            "money_delta_minor": self.money_delta_minor,
            "by_outcome": dict(sorted(self.by_outcome.items())),
            "by_industry": {name: vars(delta) for name, delta in sorted(self.by_industry.items())},
            "by_change": {key: vars(delta) for key, delta in sorted(self.by_change.items())},
            "changed_sample": [vars(changed) for changed in self.changed_sample],
            "currencies": sorted(self.currencies),
        }


def compare(
    report: ReplayReport,
    before: Sequence[RulingValue],
    after: Sequence[RulingValue],
    case_ids: Sequence[int] | None = None,
) -> ReplayReport:
    """Adds one batch of (baseline, candidate) rulings of the same cases to ``report``; the
    first ``SAMPLE_SIZE`` changed cases are kept by id when ``case_ids`` are given."""
    ids: Sequence[int | None] = case_ids if case_ids is not None else [None] * len(before)
    for old, new, case_id in zip(before, after, ids, strict=True):
        industry = str(old.inputs.get("industry", "unknown"))
        delta = report.by_industry.setdefault(industry, IndustryDelta())
        delta.cases += 1
        report.cases += 1
        report.currencies.add(old.currency)
        report.money_before_minor += old.amount_minor
        report.money_after_minor += new.amount_minor
        outcome_changed = old.outcome is not new.outcome
        amount_changed = old.amount_minor != new.amount_minor
        if outcome_changed:
            report.changed_outcomes += 1
            report.by_outcome[f"{old.outcome.value} -> {new.outcome.value}"] += 1
        if amount_changed:
            report.changed_amounts += 1
        if outcome_changed or amount_changed:
            _count_change(report, delta, old, new)
            if case_id is not None and len(report.changed_sample) < SAMPLE_SIZE:
                report.changed_sample.append(_changed(case_id, industry, old, new))
    return report


def _count_change(
    report: ReplayReport, industry: IndustryDelta, old: RulingValue, new: RulingValue
) -> None:
    money = new.amount_minor - old.amount_minor
    industry.changed += 1
    industry.money_delta_minor += money
    key = f"{old.outcome.value} -> {new.outcome.value}"
    change = report.by_change.setdefault(key, ChangeDelta())
    change.cases += 1
    change.money_delta_minor += money


def _changed(case_id: int, industry: str, old: RulingValue, new: RulingValue) -> ChangedCase:
    return ChangedCase(
        case_id=case_id,
        industry=industry,
        outcome_before=old.outcome.value,
        outcome_after=new.outcome.value,
        amount_before_minor=old.amount_minor,
        amount_after_minor=new.amount_minor,
        currency=old.currency,
    )
