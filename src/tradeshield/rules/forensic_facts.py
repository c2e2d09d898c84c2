"""What the forensic reports on a case's evidence mean for a ruling. Pure.

Only proof counts as a confirmed forgery: a report whose verdict is ``forged`` because of a
``proof`` finding (signed provenance saying AI made it, or a match against the merchant's
own photo with a changed region). A blind detector's score, however high, makes the
evidence ``suspicious``, which asks for more evidence or a person and never denies a claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from tradeshield.rules.kinds import Forgery

_PROOF = "proof"


class ReportLike(Protocol):
    @property
    def verdict(self) -> str: ...

    @property
    def score(self) -> float: ...

    @property
    def findings(self) -> list[dict[str, Any]]: ...


def _proven(report: ReportLike) -> bool:
    return report.verdict == "forged" and any(
        finding.get("strength") == _PROOF for finding in report.findings
    )


def forgery_facts(reports: Sequence[ReportLike]) -> dict[str, Any]:
    if not reports:
        return {"forgery": Forgery.NONE.value, "forgery_score": None}
    score = max(min(max(float(r.score), 0.0), 1.0) for r in reports)
    if any(_proven(r) for r in reports):
        level = Forgery.CONFIRMED
    elif any(r.verdict in ("forged", "suspicious") for r in reports):
        level = Forgery.SUSPICIOUS
    else:
        level = Forgery.CLEAN
    return {"forgery": level.value, "forgery_score": score}
