"""Static checks of a JDM decision graph, and the readable view of its decision tables.

Pure. zen-engine treats a cell it cannot parse as a row that never matches, so a typo would
silently turn a rule off; every cell is compiled here first and a bad one names its rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import zen

NODE_TYPES = frozenset(
    {"inputNode", "outputNode", "decisionTableNode", "expressionNode", "switchNode"}
)
# Output columns whose cells must be literals from a closed set or a clause id.
LITERAL_OUTPUTS = ("outcome", "liable", "clause", "next_step")


class GraphError(ValueError):
    """A graph problem; ``rule`` names the node and row (or expression) at fault."""

    def __init__(self, rule: str, problem: str) -> None:
        super().__init__(f"{rule}: {problem}")
        self.rule = rule


@dataclass(frozen=True, slots=True)
class TableView:
    """One decision table, as the console and the CLI show it."""

    node: str
    hit_policy: str
    inputs: list[tuple[str, str]]  # (column id, field)
    outputs: list[tuple[str, str]]
    rows: list[dict[str, str]]


def parse(text: str) -> dict[str, Any]:
    try:
        graph = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraphError("graph", f"not JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(graph, dict) or not isinstance(graph.get("nodes"), list):
        raise GraphError("graph", "needs a list of nodes")
    if not isinstance(graph.get("edges"), list):
        raise GraphError("graph", "needs a list of edges")
    return graph


def check_shape(graph: dict[str, Any]) -> None:
    nodes = {node.get("id"): node for node in graph["nodes"]}
    for node_id, node in nodes.items():
        if node.get("type") not in NODE_TYPES:
            raise GraphError(f"node {node_id}", f"unsupported node type {node.get('type')!r}")
    kinds = [node["type"] for node in nodes.values()]
    if kinds.count("inputNode") != 1 or kinds.count("outputNode") != 1:
        raise GraphError("graph", "needs exactly one inputNode and one outputNode")
    for edge in graph["edges"]:
        for end in ("sourceId", "targetId"):
            if edge.get(end) not in nodes:
                raise GraphError(f"edge {edge.get('id')}", f"{end} names no node")


def _compile(rule: str, cell: str, unary: bool) -> None:
    if not cell.strip():
        return
    try:
        (zen.compile_unary_expression if unary else zen.compile_expression)(cell)
    except Exception as exc:  # zen raises a bare RuntimeError carrying a JSON message
        problem = str(exc).splitlines()[0]
        raise GraphError(rule, f"cannot parse {cell!r}: {problem}") from exc


def literal(cell: str) -> str | None:
    """The string a cell holds when it is a plain string literal, else None."""
    text = cell.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"' and '"' not in text[1:-1]:
        return text[1:-1]
    return None


def tables(graph: dict[str, Any]) -> list[TableView]:
    views = []
    for node in graph["nodes"]:
        if node["type"] != "decisionTableNode":
            continue
        content = node.get("content", {})
        views.append(
            TableView(
                node=str(node.get("name", node["id"])),
                hit_policy=str(content.get("hitPolicy", "first")),
                inputs=[(c["id"], c.get("field", "")) for c in content.get("inputs", [])],
                outputs=[(c["id"], c["field"]) for c in content.get("outputs", [])],
                rows=list(content.get("rules", [])),
            )
        )
    return views


def check_cells(graph: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Compile every cell; returns (rule, output field, literal) for the literal outputs."""
    cited = []
    for table in tables(graph):
        for row in table.rows:
            rule = f"table {table.node!r} rule {row.get('_id', '?')}"
            for column, _ in table.inputs:
                _compile(rule, str(row.get(column, "")), unary=True)
            for column, field in table.outputs:
                cell = str(row.get(column, ""))
                _compile(rule, cell, unary=False)
                if field in LITERAL_OUTPUTS and cell.strip():
                    value = literal(cell)
                    if value is None:
                        raise GraphError(rule, f"{field} must be a string literal, not {cell!r}")
                    cited.append((rule, field, value))
    for node in graph["nodes"]:
        if node["type"] == "expressionNode":
            for expression in node.get("content", {}).get("expressions", []):
                rule = f"expression {node.get('name')!r} key {expression.get('key')!r}"
                _compile(rule, str(expression.get("value", "")), unary=False)
    return cited
