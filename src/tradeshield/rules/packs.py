"""Loading rule packs from their folders, and rejecting a bad one with the file and rule named.

A pack lives in ``packs/<id>/<version>/`` with four files: ``pack.toml`` (what it is, when it
applies, the published rules it follows), ``decision.json`` (the JDM graph), ``clauses.toml``
(the clauses its rows cite, in Chinese and English) and ``cases.toml`` (facts and the verdict
the pack must give for them). Older and proposed versions stay beside the active one, so a
past ruling replays under the version that made it and a draft can be tried on past cases.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tradeshield.cases.kinds import CaseKind, LiableParty, Outcome, ReasonCode
from tradeshield.catalog.industries import Industry
from tradeshield.rules import graph as jdm
from tradeshield.rules.facts import CaseFacts, context_of
from tradeshield.rules.kinds import NextStep, PackKind, Precedence

PACKS_DIR = Path(__file__).parent / "packs"
M = TypeVar("M", bound=BaseModel)
_ALLOWED = {
    "outcome": {o.value for o in Outcome},
    "liable": {p.value for p in LiableParty},
    "next_step": {s.value for s in NextStep},
}


class PackError(ValueError):
    """An invalid pack: the message names the file and the rule or case at fault."""

    def __init__(self, path: Path, rule: str, problem: str) -> None:
        where = path.relative_to(PACKS_DIR) if path.is_relative_to(PACKS_DIR) else path
        super().__init__(f"{where}: {rule}: {problem}")
        self.path = path
        self.rule = rule


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackMeta(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: PackKind
    version: str = Field(pattern=r"^[0-9][0-9A-Za-z.\-]*$")
    effective: dt.date
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    summary_zh: str = ""
    summary_en: str = ""
    sources: list[str] = Field(min_length=1)
    precedence: Literal["settlement", "evidence", "return_check", "industry", "generic"]
    order: int = 50  # among packs of the same precedence, lower is asked first
    industries: list[Industry] = []
    reasons: list[ReasonCode] = []
    kinds: list[CaseKind] = []
    # Facts (dotted paths) that select the pack when any of them is set and not false.
    when: list[tuple[str, ...]] = []

    @field_validator("when", mode="before")
    @classmethod
    def _paths(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [tuple(str(v).split(".")) if isinstance(v, str) else v for v in value]
        return value

    @property
    def rank(self) -> Precedence:
        return Precedence[self.precedence.upper()]


class Clause(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[0-9a-z]+)+$")
    effective: dt.date
    source: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Expect(_Strict):
    outcome: Outcome | Literal["none"]
    liable: LiableParty | None = None
    clause: str | None = None
    ratio: float | None = None


class PackCase(_Strict):
    name: str = Field(min_length=1)
    facts: dict[str, Any] = {}
    expect: Expect


@dataclass(frozen=True)
class Pack:
    meta: PackMeta
    folder: Path
    graph_text: str
    graph: dict[str, Any]
    clauses: dict[str, Clause]
    cases: list[PackCase]
    tables: list[jdm.TableView] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.meta.id}@{self.meta.version}"


def _toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise PackError(path, "file", f"cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PackError(path, "toml", str(exc)) from exc


def _model(path: Path, rule: str, model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise PackError(path, rule, f"{place}: {first['msg']}") from exc


def _clauses(path: Path) -> dict[str, Clause]:
    rows = _toml(path).get("clause", [])
    clauses = {}
    for index, row in enumerate(rows):
        clause = _model(path, f"clause {row.get('id', index)}", Clause, row)
        if clause.id in clauses:
            raise PackError(path, f"clause {clause.id}", "is defined twice")
        clauses[clause.id] = clause
    return clauses


def _graph(path: Path, clauses: dict[str, Clause]) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
        graph = jdm.parse(text)
        jdm.check_shape(graph)
        cited = jdm.check_cells(graph)
    except OSError as exc:
        raise PackError(path, "file", f"cannot read ({exc.strerror})") from exc
    except jdm.GraphError as exc:
        raise PackError(path, exc.rule, str(exc).split(": ", 1)[1]) from exc
    for rule, output, value in cited:
        if output == "clause" and value not in clauses:
            raise PackError(path, rule, f"cites clause {value!r}, missing from clauses.toml")
        if output in _ALLOWED and value not in _ALLOWED[output]:
            raise PackError(path, rule, f"{output} {value!r} is not one of the known values")
    return text, graph


def _known_fact(context: dict[str, Any], path: tuple[str, ...]) -> bool:
    value: Any = context
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


def load_pack(folder: Path) -> Pack:
    """One pack version from its folder; raises PackError naming the file and the rule.

    The pack's own test cases are run by the library once every pack is compiled.
    """
    meta = _model(folder / "pack.toml", "pack", PackMeta, _toml(folder / "pack.toml"))
    if meta.version != folder.name or meta.id != folder.parent.name:
        raise PackError(folder / "pack.toml", "pack", "id/version differ from the folder")
    known = context_of(CaseFacts())
    for path in meta.when:
        if not _known_fact(known, path):
            raise PackError(folder / "pack.toml", "when", f"no fact {'.'.join(path)!r}")
    clauses = _clauses(folder / "clauses.toml")
    text, graph = _graph(folder / "decision.json", clauses)
    raw_cases = _toml(folder / "cases.toml").get("case", [])
    cases = [
        _model(folder / "cases.toml", f"case {row.get('name', i)!r}", PackCase, row)
        for i, row in enumerate(raw_cases)
    ]
    if not cases:
        raise PackError(folder / "cases.toml", "cases", "a pack needs at least one test case")
    return Pack(meta, folder, text, graph, clauses, cases, jdm.tables(graph))


def pack_folders(root: Path = PACKS_DIR) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/*/pack.toml"))
