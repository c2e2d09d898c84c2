"""`tradeshield integrity`: score the market, list rings, evaluate on the demo, train."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from tradeshield.db import get_engine, session_factory, unit_of_work
from tradeshield.integrity import service
from tradeshield.integrity.kinds import RecomputeStage
from tradeshield.integrity.model import load_model
from tradeshield.integrity.pipeline import assess_market
from tradeshield.integrity.policy import load_policy
from tradeshield.integrity.sources import load_market
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope
from tradeshield.tenancy.service import find_tenant


def _scope(tenant: str) -> Scope:
    with session_factory(get_engine())() as session:
        return Scope(tenant_id=find_tenant(session, tenant).id, role=Role.OPERATOR, actor="cli")


@click.group("integrity")
def integrity_command() -> None:
    """Account integrity: scores, rings, evaluation and training."""


@integrity_command.command("score")
@click.option("--tenant", default="demo", show_default=True, help="tenant slug")
def score_command(tenant: str) -> None:
    """Recompute every account's integrity level, rings and actions."""
    scope = _scope(tenant)
    with Progress() as bar, unit_of_work(get_engine()) as session:
        task = bar.add_task("scoring", total=1.0)

        def report(stage: RecomputeStage, share: float) -> None:
            bar.update(task, completed=share, description=stage.value)

        summary = service.recompute(session, scope, report)
    click.echo(json.dumps({
        "accounts": summary.accounts, "rings": summary.rings, "tiers": summary.tiers,
        "actions_opened": summary.actions_opened, "actions_lifted": summary.actions_lifted,
        "as_of": summary.as_of.isoformat(), "versions": summary.versions,
    }, indent=1))  # fmt: skip


@integrity_command.command("rings")
@click.option("--tenant", default="demo", show_default=True, help="tenant slug")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
def rings_command(tenant: str, limit: int) -> None:
    """The rings found by the last recompute, most abusive first."""
    scope = _scope(tenant)
    table = Table("id", "ring", "size", "confirmed", "abuse share", "claimed (365 d)")
    with session_factory(get_engine())() as session:
        for ring in service.list_rings(session, scope, limit):
            table.add_row(
                str(ring.id), ring.ring_key, str(ring.size), str(ring.confirmed_members),
                f"{ring.abuse_share:.0%}", f"{ring.claimed_minor_365d / 100:,.2f}",
            )  # fmt: skip
    Console().print(table)


@integrity_command.command("evaluate")
@click.option("--tenant", default="demo", show_default=True, help="a demo tenant's slug")
def evaluate_command(tenant: str) -> None:
    """Score a demo marketplace and compare with its hidden abuse labels."""
    from tradeshield.integrity.evaluation import evaluate, hidden_buyer_labels, report_lines

    scope = _scope(tenant)
    policy, model = load_policy(), load_model()
    with session_factory(get_engine())() as session:
        frames = load_market(session, scope.tenant_id)
        labels = hidden_buyer_labels(session, scope.tenant_id)
    if not labels:
        raise click.UsageError(f"tenant {tenant!r} has no demo labels to compare with")
    assessment = assess_market(frames, frames.latest_event_s(), model, policy)
    result = evaluate(assessment, labels, policy)
    click.echo(f"model {model.version}, policy {policy.version}")
    for line in report_lines(result, len(assessment.rings)):
        click.echo(line)


@integrity_command.command("train")
def train_command() -> None:
    """Retrain the committed model on demo markets (confirmed outcomes only)."""
    from tradeshield.integrity.model_training import train_committed_model

    click.echo(json.dumps(train_committed_model(), indent=1))
