"""`tradeshield rules`: list and show packs, run their test cases, replay a version."""

from __future__ import annotations

import datetime as dt
import json

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from tradeshield.db import get_engine, session_factory
from tradeshield.errors import Invalid
from tradeshield.rules import service
from tradeshield.rules.replay import ReplayReport
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope
from tradeshield.tenancy.service import find_tenant


@click.group("rules")
def rules_group() -> None:
    """Dispute rule packs: browse, test, and replay past cases under another version."""


@rules_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def list_command(as_json: bool) -> None:
    """Every pack in force, with its version and what selects it."""
    packs = service.list_packs()
    if as_json:
        rows = [
            {"id": p.meta.id, "kind": p.meta.kind.value, "version": p.meta.version} for p in packs
        ]
        click.echo(json.dumps(rows, indent=1))
        return
    table = Table("pack", "kind", "version", "effective", "rows", "clauses", "cases", "title")
    for pack in packs:
        row_count = sum(len(t.rows) for t in pack.tables)
        meta = pack.meta
        table.add_row(meta.id, meta.kind.value, meta.version, str(meta.effective), str(row_count),
                      str(len(pack.clauses)), str(len(pack.cases)), meta.title_en)  # fmt: skip
    Console().print(table)


@rules_group.command("show")
@click.argument("pack_id")
@click.option("--version", default=None, help="a version other than the one in force")
def show_command(pack_id: str, version: str | None) -> None:
    """A pack's decision tables and clauses."""
    pack = service.get_pack(pack_id, version)
    console = Console()
    meta = pack.meta
    console.print(
        f"[bold]{meta.id}[/] {meta.version} ({meta.effective}) {meta.title_en} / {meta.title_zh}"
    )
    for source in meta.sources:
        console.print(f"  source: {source}")
    for view in pack.tables:
        table = Table(*[f for _, f in view.inputs], *[f for _, f in view.outputs], title=view.node)
        for row in view.rows:
            cells = [str(row.get(c, "")) or "-" for c, _ in view.inputs + view.outputs]
            table.add_row(*cells)
        console.print(table)
    for clause in pack.clauses.values():
        console.print(f"[bold]{clause.id}[/] {clause.en}\n    {clause.zh}\n    ({clause.source})")


@rules_group.command("test")
def test_command() -> None:
    """Run every pack version's own test cases; exit 1 when one fails."""
    results = service.run_pack_tests()
    failed = [r for r in results if not r.passed]
    for result in failed:
        click.echo(f"FAIL {result.pack}: {result.case}: {result.problem}")
    click.echo(f"{len(results) - len(failed)} of {len(results)} pack test cases pass")
    if failed:
        raise SystemExit(1)


def _print_report(report: ReplayReport) -> None:
    console = Console()
    console.print(
        f"{report.pack} {report.baseline_version} -> {report.version}: {report.cases} cases, "
        f"{report.changed_outcomes} outcomes and {report.changed_amounts} amounts change, "
        f"money {report.money_before_minor / 100:.2f} -> {report.money_after_minor / 100:.2f} "
        f"(delta {report.money_delta_minor / 100:+.2f})"
    )
    by_outcome = Table("outcome change", "cases", title="by outcome")
    for change, count in sorted(report.by_outcome.items()):
        by_outcome.add_row(change, str(count))
    console.print(by_outcome)
    by_industry = Table("industry", "cases", "changed", "money delta", title="by industry")
    for name, delta in sorted(report.by_industry.items()):
        by_industry.add_row(name, str(delta.cases), str(delta.changed),
                            f"{delta.money_delta_minor / 100:+.2f}")  # fmt: skip
    console.print(by_industry)


@rules_group.command("replay")
@click.option("--pack", "pack_id", required=True, help="the pack whose version changes")
@click.option("--version", default=None, help="the candidate version (default: in force)")
@click.option("--since", required=True, help="cases opened on or after this date (YYYY-MM-DD)")
@click.option("--tenant", default="demo", show_default=True, help="tenant slug")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def replay_command(
    pack_id: str, version: str | None, since: str, tenant: str, as_json: bool
) -> None:
    """Re-rule past cases under another version and report what would change."""
    try:
        start = dt.datetime.fromisoformat(since)
    except ValueError as exc:
        raise Invalid(f"--since {since!r} is not a date like 2026-11-01") from exc
    start = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
    with session_factory(get_engine())() as session:
        scope = Scope(tenant_id=find_tenant(session, tenant).id, role=Role.OPERATOR, actor="cli")
        with Progress(disable=as_json) as bar:
            task = bar.add_task("re-ruling cases", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = service.replay(session, scope, pack_id, version, start, progress)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=1))
    else:
        _print_report(report)
