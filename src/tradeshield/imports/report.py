"""What an import did: counts, and the rows it refused with their line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tradeshield.imports.kinds import FileFormat, ImportKind

MAX_KEPT_PROBLEMS = 1000


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(slots=True)
class ImportReport:
    """Counts of one import. ``refused`` means strict mode threw the whole file away.

    Only the first :data:`MAX_KEPT_PROBLEMS` problems are kept, so a file that is wrong on
    every line still reports in bounded memory; ``rejected`` counts them all.
    """

    source: str
    kind: ImportKind
    file_format: FileFormat
    strict: bool
    imported: int = 0
    already_present: int = 0
    rejected: int = 0
    refused: bool = False
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.rejected == 0

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(RowProblem(line=line, reason=reason))

    def refuse(self) -> None:
        """Strict mode found bad rows: nothing of this file stays written."""
        self.refused = True
        self.imported = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind.value,
            "format": self.file_format.value,
            "strict": self.strict,
            "imported": self.imported,
            "already_present": self.already_present,
            "rejected": self.rejected,
            "refused": self.refused,
            "problems": [{"line": p.line, "reason": p.reason} for p in self.problems],
            "problems_truncated": self.rejected > len(self.problems),
        }
