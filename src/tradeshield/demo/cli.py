"""``tradeshield demo``: fill the database with a synthetic marketplace."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tradeshield import migrate
from tradeshield.db import get_engine
from tradeshield.demo.service import MAX_ORDERS, DemoSummary, generate


@click.command("demo")
@click.option(
    "--orders",
    type=click.IntRange(1, MAX_ORDERS),
    default=20_000,
    show_default=True,
    help="How many orders to generate.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=7,
    show_default=True,
    help="Same seed and order count, same marketplace.",
)
@click.option(
    "--tenant", "tenant_slug", default="demo", show_default=True, help="Slug of the new tenant."
)
def demo_command(orders: int, seed: int, tenant_slug: str) -> None:
    """Generate a synthetic marketplace with labelled abuse in a new tenant."""
    engine = get_engine()
    migrate.upgrade(engine)
    console = Console(stderr=True)
    columns = (
        TextColumn("generating"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("orders"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("orders", total=orders)
        summary = generate(
            engine,
            orders=orders,
            seed=seed,
            tenant_slug=tenant_slug,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    _print_summary(Console(), summary)


def _print_summary(console: Console, summary: DemoSummary) -> None:
    console.print(
        f"Demo marketplace [bold]{summary.tenant_slug}[/] (tenant {summary.tenant_id}) made "
        f"from seed {summary.seed} in {summary.seconds:.1f} s."
    )
    rows = Table("table", "rows", title="Rows written")
    for table, count in summary.rows.items():
        rows.add_row(table, f"{count:,}")
    console.print(rows)
    labels = Table("pattern / entity", "labels", title="Ground-truth labels (demo_labels)")
    for label, count in summary.labels.items():
        labels.add_row(label, f"{count:,}")
    console.print(labels)
    console.print("Operator API key (shown once, keep it):")
    console.print(summary.operator_key, markup=False, highlight=False, soft_wrap=True)
