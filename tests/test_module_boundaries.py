"""Modules meet only through each other's ``service``, never each other's tables.

import-linter sees imports of another module's ``models``; it cannot see a table reached by
name. This scan of the source closes that gap: it fails when a module builds
``sqlalchemy.table("orders", ...)`` / ``Table("orders", ...)`` for a table another module
owns, or writes raw SQL naming one (``FROM|JOIN|INTO|UPDATE|TABLE <name>`` in a string).
A table's owner is the module whose ``models.py`` maps it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Table

from tradeshield import tables

SOURCE = Path(tables.__file__).parent
# Raw-SQL exemptions, each with its reason. Nothing is exempt from the table() check.
RAW_SQL_ALLOWED = {
    # The demo generator is the synthetic data source for every module: it bulk-writes a
    # fresh tenant's rows into every table through the driver (demo/bulk.py; the ORM would
    # take minutes for a million orders) and deletes them again if a run fails.
    "demo": "bulk writer of every table",
}
# Migrations shape the whole schema; they belong to no module.
NOT_MODULES = {"migrations"}
SQL_NAMING_TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+[\"`]?(\w+)")
TABLE_FACTORIES = {"table", "Table"}
SQLALCHEMY_PACKAGES = ("sqlalchemy", "sqlalchemy.sql", "sqlalchemy.schema")


@dataclass(frozen=True, slots=True)
class Violation:
    where: str
    table: str
    owner: str
    how: str

    def __str__(self) -> str:
        return f"{self.where}: {self.how} names {self.table!r}, a table of {self.owner}"


def table_owners() -> dict[str, str]:
    """Table name -> the module whose models.py maps it."""
    owners: dict[str, str] = {}
    for mapper in tables.Base.registry.mappers:
        table = mapper.local_table
        assert isinstance(table, Table)
        owners[table.name] = mapper.class_.__module__.split(".")[1]
    return owners


def _table_factories(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Local names of sqlalchemy's table()/Table(), and local names of sqlalchemy itself."""
    functions: set[str] = set()
    packages: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in SQLALCHEMY_PACKAGES:
            functions |= {a.asname or a.name for a in node.names if a.name in TABLE_FACTORIES}
        elif isinstance(node, ast.Import):
            packages |= {a.asname or a.name for a in node.names if a.name in SQLALCHEMY_PACKAGES}
    return functions, packages


def _is_table_factory(call: ast.Call, functions: set[str], packages: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in functions
    if isinstance(func, ast.Attribute) and func.attr in TABLE_FACTORIES:
        return ast.unparse(func.value) in packages
    return False


def violations_in(
    source: str, module: str, where: str, owners: dict[str, str]
) -> Iterator[Violation]:
    """Every reach of ``module``'s code into a table another module owns."""
    tree = ast.parse(source)
    functions, packages = _table_factories(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_table_factory(node, functions, packages):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                owner = owners.get(first.value)
                if owner is not None and owner != module:
                    yield Violation(f"{where}:{node.lineno}", first.value, owner, "table()")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and module not in RAW_SQL_ALLOWED
        ):
            for name in SQL_NAMING_TABLE.findall(node.value):
                owner = owners.get(name)
                if owner is not None and owner != module:
                    yield Violation(f"{where}:{node.lineno}", name, owner, "raw SQL")


def _source_files() -> Iterator[tuple[Path, str]]:
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE).parts
        # A top-level file (db.py, tables.py) is a module of its own that owns no table.
        module = parts[0] if len(parts) > 1 else path.stem
        if module not in NOT_MODULES:
            yield path, module


def test_every_table_has_an_owning_module() -> None:
    owners = table_owners()
    assert set(owners) == set(tables.Base.metadata.tables)
    assert owners["orders"] == "orders"
    assert owners["buyer_identifiers"] == "buyers"
    assert owners["integrity_scores"] == "integrity"


def test_no_module_reaches_another_modules_tables_by_name() -> None:
    owners = table_owners()
    found = [
        str(v)
        for path, module in _source_files()
        for v in violations_in(path.read_text(encoding="utf-8"), module, str(path), owners)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        'from sqlalchemy import table, column\nORDERS = table("orders", column("id"))',
        'import sqlalchemy as sa\nORDERS = sa.Table("orders", sa.MetaData())',
        'from sqlalchemy import table as t\nLINES = t("order_lines")',
        'from sqlalchemy import text\nQUERY = text("SELECT id FROM cases WHERE 1 = 1")',
        'session.execute(text("UPDATE buyer_accounts SET external_ref = :ref"))',
        'QUERY = f"SELECT kind FROM orders o JOIN rulings r ON r.id = {key}"',
    ],
)
def test_the_scan_catches_a_reach_into_another_modules_table(source: str) -> None:
    assert list(violations_in(source, "integrity", "example.py", table_owners()))


@pytest.mark.parametrize(
    "source",
    [
        'from sqlalchemy import table\nSCORES = table("integrity_scores")',
        'from rich.table import Table\nVIEW = Table("orders", "cases")',
        '"""Reads orders from the orders service, then joins cases from theirs."""',
        'QUERY = f"DELETE FROM {name} WHERE tenant_id = :tenant"',
    ],
)
def test_the_scan_lets_a_module_use_its_own_tables_and_plain_words(source: str) -> None:
    assert not list(violations_in(source, "integrity", "example.py", table_owners()))
