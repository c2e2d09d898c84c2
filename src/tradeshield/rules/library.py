"""Every pack version, compiled, checked against its own test cases, and chosen per case."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tradeshield.catalog.industries import Industry
from tradeshield.rules.engine import PackEngine, Verdict, verdict_of
from tradeshield.rules.facts import CaseFacts, context_of
from tradeshield.rules.kinds import PackKind
from tradeshield.rules.packs import PACKS_DIR, Pack, PackCase, PackError, load_pack, pack_folders


@dataclass(frozen=True, slots=True)
class CaseResult:
    pack: str
    case: str
    passed: bool
    problem: str = ""


class Library:
    """All pack versions under one root; ``active`` holds the version in force per pack."""

    def __init__(self, packs: Iterable[Pack], today: dt.date) -> None:
        self.versions: dict[str, dict[str, Pack]] = {}
        for pack in packs:
            self.versions.setdefault(pack.meta.id, {})[pack.meta.version] = pack
        self.active = {pack_id: _in_force(found, today) for pack_id, found in self.versions.items()}
        every = [p for found in self.versions.values() for p in found.values()]
        self.engine = PackEngine((p.key, p.graph_text) for p in every)
        self.by_industry = _industry_map(self.active.values())
        self._selectors = _selectors(self.active.values())

    def pack(self, pack_id: str, version: str | None = None) -> Pack:
        found = self.versions.get(pack_id)
        if found is None:
            raise KeyError(f"no rule pack {pack_id!r}")
        if version is None:
            return self.active[pack_id]
        if version not in found:
            raise KeyError(f"rule pack {pack_id!r} has no version {version!r}")
        return found[version]

    def evaluate(self, pack: Pack, context: dict[str, Any]) -> Verdict | None:
        return verdict_of(pack.meta.id, pack.meta.version, self.engine.evaluate(pack.key, context))

    def applies(self, pack: Pack, context: dict[str, Any]) -> bool:
        meta = pack.meta
        if meta.kind is PackKind.INDUSTRY:
            return context["industry"] in meta.industries
        if context["reason"] in meta.reasons or context["kind"] in meta.kinds:
            return True
        return any(_fact(context, path) for path in meta.when)

    def applicable_ids(self, context: dict[str, Any]) -> set[str]:
        """Ids of the active packs that apply, found through an index rather than a scan."""
        by_industry, by_reason, by_kind, by_fact = self._selectors
        found = set(by_reason.get(context["reason"], ())) | set(by_kind.get(context["kind"], ()))
        industry = by_industry.get(context["industry"])
        if industry is not None:
            found.add(industry)
        found.update(pid for path, pid in by_fact if _fact(context, path))
        return found

    def run_cases(self, pack: Pack) -> list[CaseResult]:
        return [self._run_case(pack, case) for case in pack.cases]

    def _run_case(self, pack: Pack, case: PackCase) -> CaseResult:
        facts = _nulls(case.facts)
        if pack.meta.kind is PackKind.INDUSTRY and "industry" not in facts:
            facts["industry"] = pack.meta.industries[0].value
        try:
            context = context_of(CaseFacts.model_validate(facts))
        except ValueError as exc:
            return CaseResult(pack.key, case.name, False, f"bad facts: {exc}")
        verdict = self.evaluate(pack, context)
        expect = case.expect
        got = "none" if verdict is None else verdict.outcome.value
        problems = []
        if got != expect.outcome:
            problems.append(f"outcome {got}, expected {expect.outcome}")
        elif verdict is not None:
            if expect.liable is not None and verdict.liable is not expect.liable:
                problems.append(f"liable {verdict.liable.value}, expected {expect.liable.value}")
            if expect.clause is not None and verdict.clause != expect.clause:
                problems.append(f"clause {verdict.clause}, expected {expect.clause}")
            if expect.ratio is not None and (
                verdict.ratio is None or abs(verdict.ratio - expect.ratio) > 1e-6
            ):
                problems.append(f"ratio {verdict.ratio}, expected {expect.ratio}")
        return CaseResult(pack.key, case.name, not problems, "; ".join(problems))


Selectors = tuple[
    dict[str, str], dict[str, list[str]], dict[str, list[str]], list[tuple[tuple[str, ...], str]]
]


def _selectors(active: Iterable[Pack]) -> Selectors:
    by_industry: dict[str, str] = {}
    by_reason: dict[str, list[str]] = {}
    by_kind: dict[str, list[str]] = {}
    by_fact: list[tuple[tuple[str, ...], str]] = []
    for pack in active:
        meta = pack.meta
        for industry in meta.industries if meta.kind is PackKind.INDUSTRY else []:
            by_industry[industry.value] = meta.id
        if meta.kind is PackKind.SCENARIO:
            for reason in meta.reasons:
                by_reason.setdefault(reason.value, []).append(meta.id)
            for kind in meta.kinds:
                by_kind.setdefault(kind.value, []).append(meta.id)
            by_fact += [(path, meta.id) for path in meta.when]
    return by_industry, by_reason, by_kind, by_fact


def _fact(context: dict[str, Any], path: tuple[str, ...]) -> bool:
    value: Any = context
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return bool(value)


def _nulls(facts: dict[str, Any]) -> dict[str, Any]:
    """TOML has no null: a test case writes "null" for a fact that is absent (not delivered)."""
    return {
        key: None if value == "null" else _nulls(value) if isinstance(value, dict) else value
        for key, value in facts.items()
    }


def _in_force(found: dict[str, Pack], today: dt.date) -> Pack:
    """The version with the latest effective date not after today (the earliest if none)."""
    ordered = sorted(found.values(), key=lambda p: (p.meta.effective, p.meta.version))
    current = [p for p in ordered if p.meta.effective <= today]
    return current[-1] if current else ordered[0]


def _industry_map(active: Iterable[Pack]) -> dict[Industry, Pack]:
    mapping: dict[Industry, Pack] = {}
    for pack in active:
        for industry in pack.meta.industries if pack.meta.kind is PackKind.INDUSTRY else []:
            if industry in mapping:
                path = pack.folder / "pack.toml"
                raise PackError(
                    path, "industries", f"{industry} already in {mapping[industry].key}"
                )
            mapping[industry] = pack
    return mapping


def build_library(root: Path = PACKS_DIR, today: dt.date | None = None) -> Library:
    """Load, compile and test every pack under ``root``; the first failure raises PackError."""
    library = Library([load_pack(f) for f in pack_folders(root)], today or dt.date.today())
    for found in library.versions.values():
        for pack in found.values():
            for result in library.run_cases(pack):
                if not result.passed:
                    path = pack.folder / "cases.toml"
                    raise PackError(path, f"case {result.case!r}", result.problem)
    missing = [i.value for i in Industry if i not in library.by_industry]
    if missing and root == PACKS_DIR:
        raise PackError(root, "industries", f"no industry pack covers {', '.join(missing)}")
    return library


_BUILDING = threading.Lock()


@lru_cache(maxsize=1)
def _shipped_library() -> Library:
    return build_library()


def default_library() -> Library:
    """The packs shipped with TradeShield, loaded and tested once per process.

    The lock keeps the first requests of a fresh server from each building their own copy.
    """
    with _BUILDING:
        return _shipped_library()
