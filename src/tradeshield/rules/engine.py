"""zen-engine behind one small interface: each pack version compiled once, evaluated one
case at a time (the online path) or a whole batch per call (replay, benchmarks).

A single ``ZenDecision.evaluate`` call costs tens of microseconds however small the graph,
so batches go through a wrapper graph whose decision node loops the pack over a list of
facts inside the engine: one call per pack per batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import zen

from tradeshield.cases.kinds import LiableParty, Outcome
from tradeshield.rules.kinds import NextStep

_LOOP_IN = "facts"
_LOOP_OUT = "verdicts"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one pack answered for one case."""

    pack: str
    version: str
    outcome: Outcome
    liable: LiableParty
    clause: str
    ratio: float | None = None
    next_step: NextStep | None = None
    deadline_hours: int | None = None
    record_against_account: bool = False


def verdict_of(pack: str, version: str, result: dict[str, Any]) -> Verdict | None:
    """The pack's verdict, or None when no row matched (the pack has nothing to say)."""
    if not result.get("outcome"):
        return None
    ratio = result.get("ratio")
    deadline = result.get("deadline_hours")
    step = result.get("next_step")
    return Verdict(
        pack=pack,
        version=version,
        outcome=Outcome(result["outcome"]),
        liable=LiableParty(result.get("liable") or LiableParty.NONE),
        clause=str(result.get("clause", "")),
        ratio=None if ratio is None else min(max(float(ratio), 0.0), 1.0),
        next_step=NextStep(step) if step else None,
        deadline_hours=None if deadline is None else int(deadline),
        record_against_account=bool(result.get("record_against_account", False)),
    )


def _loop_graph(key: str) -> str:
    position = {"x": 0, "y": 0}
    nodes = [
        {"id": "in", "type": "inputNode", "name": "facts", "position": position},
        {
            "id": "pack",
            "type": "decisionNode",
            "name": key,
            "position": position,
            "content": {
                "key": key,
                "executionMode": "loop",
                "inputField": _LOOP_IN,
                "outputPath": _LOOP_OUT,
                "passThrough": False,
            },
        },
        {"id": "out", "type": "outputNode", "name": "verdicts", "position": position},
    ]
    edges = [
        {"id": "e1", "sourceId": "in", "targetId": "pack", "type": "edge"},
        {"id": "e2", "sourceId": "pack", "targetId": "out", "type": "edge"},
    ]
    return json.dumps({"nodes": nodes, "edges": edges})


class PackEngine:
    """Compiled decisions for a set of pack versions, keyed ``id@version``."""

    def __init__(self, graphs: Iterable[tuple[str, str]]) -> None:
        self._contents = {key: zen.ZenDecisionContent(text) for key, text in graphs}
        self._zen = zen.ZenEngine({"loader": self._load})
        self._single = {k: self._zen.create_decision(c) for k, c in self._contents.items()}
        self._loop = {k: self._zen.create_decision(_loop_graph(k)) for k in self._contents}

    def _load(self, key: str) -> zen.ZenDecisionContent:
        return self._contents[key]

    def evaluate(self, key: str, context: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._single[key].evaluate(context)["result"]
        return result

    def evaluate_many(self, key: str, contexts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        if not contexts:
            return []
        response = self._loop[key].evaluate({_LOOP_IN: list(contexts)})
        results: list[dict[str, Any]] = response["result"][_LOOP_OUT]
        return results
