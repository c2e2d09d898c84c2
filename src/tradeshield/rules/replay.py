"""What-if: how many rulings, and how much money, a pack version would change. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tradeshield.rules.adjudication import RulingValue


@dataclass
class IndustryDelta:
    cases: int = 0
    changed: int = 0
    money_delta_minor: int = 0


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
        }


def compare(
    report: ReplayReport, before: Sequence[RulingValue], after: Sequence[RulingValue]
) -> ReplayReport:
    """Adds one batch of (baseline, candidate) rulings of the same cases to ``report``."""
    for old, new in zip(before, after, strict=True):
        industry = str(old.inputs.get("industry", "unknown"))
        delta = report.by_industry.setdefault(industry, IndustryDelta())
        delta.cases += 1
        report.cases += 1
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
            delta.changed += 1
            delta.money_delta_minor += new.amount_minor - old.amount_minor
    return report
