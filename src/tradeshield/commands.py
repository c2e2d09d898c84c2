"""Operating commands: serve, db upgrade, tenants and keys, the deadline sweep, workers."""

from __future__ import annotations

import json
import threading
import time

import click
from sqlalchemy import Engine

from tradeshield import migrate
from tradeshield.cases import service as cases
from tradeshield.cases.cli import CASE_COMMANDS
from tradeshield.db import get_engine, unit_of_work, utcnow
from tradeshield.settings import get_settings
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.kinds import Role, TenantKind


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (idempotent)."""
    engine = get_engine()
    migrate.upgrade(engine, revision)
    click.echo(f"database at {revision}: {engine.url.render_as_string(hide_password=True)}")


@click.group("tenant")
def tenant_group() -> None:
    """Tenants and their API keys."""


@tenant_group.command("create")
@click.argument("slug")
@click.option("--name", default=None, help="display name (defaults to SLUG)")
@click.option(
    "--kind", type=click.Choice([k.value for k in TenantKind]), default=TenantKind.MARKETPLACE.value
)
def tenant_create(slug: str, name: str | None, kind: str) -> None:
    """Create a tenant and print its first operator API key."""
    migrate.upgrade(get_engine())
    with unit_of_work() as session:
        tenant = tenancy.create_tenant(session, slug, name or slug, TenantKind(kind))
        _, secret = tenancy.issue_api_key(session, tenant.id, Role.OPERATOR, name="first key")
    click.echo(json.dumps({"tenant_id": tenant.id, "slug": slug, "operator_key": secret}))


@tenant_group.command("issue-key")
@click.argument("slug")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--merchant-id", type=click.IntRange(min=1), default=None)
@click.option("--name", default="")
def tenant_issue_key(slug: str, role: str, merchant_id: int | None, name: str) -> None:
    """Issue another API key for tenant SLUG."""
    with unit_of_work() as session:
        tenant = tenancy.find_tenant(session, slug)
        _, secret = tenancy.issue_api_key(session, tenant.id, Role(role), merchant_id, name)
    click.echo(secret)


@click.group("cases")
def cases_group() -> None:
    """After-sales cases."""


for _command in CASE_COMMANDS:
    cases_group.add_command(_command)


@cases_group.command("sweep")
@click.option("--limit", type=click.IntRange(min=1), default=500, show_default=True)
def cases_sweep(limit: int) -> None:
    """Move every case whose deadline has passed (merchant silent, return not sent, ...)."""
    with unit_of_work() as session:
        moved = cases.sweep_deadlines(session, limit=limit)
    click.echo(f"moved {moved} case(s)")


def _sweep_forever(engine: Engine, interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            with unit_of_work(engine) as session:
                cases.sweep_deadlines(session)
        except Exception as exc:  # a failed sweep is retried next round, never fatal
            click.echo(f"deadline sweep failed: {exc!r}", err=True)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--demo", is_flag=True, help="fill a demo marketplace first (if not there yet)")
@click.option("--demo-orders", type=click.IntRange(min=1), default=20_000, show_default=True)
def serve(host: str, port: int, demo: bool, demo_orders: int) -> None:
    """Run the API and console; sweeps case deadlines in-process unless a broker is set."""
    import uvicorn

    from tradeshield.app import create_app

    engine = get_engine()
    migrate.upgrade(engine)
    if demo:
        _ensure_demo(engine, demo_orders)
    stop = threading.Event()
    settings = get_settings()
    if not settings.broker_url:
        sweeper = threading.Thread(
            target=_sweep_forever,
            args=(engine, settings.sweep_interval_seconds, stop),
            daemon=True,
        )
        sweeper.start()
    click.echo(f"TradeShield on http://{host}:{port}  (console /console, API docs /docs)")
    try:
        uvicorn.run(create_app(engine), host=host, port=port, log_level="info")
    finally:
        stop.set()


def _ensure_demo(engine: Engine, orders: int) -> None:
    from tradeshield.demo.service import demo_exists, generate

    key_file = get_settings().data_dir / "demo-operator-key.txt"
    if demo_exists(engine, "demo") and key_file.exists():
        click.echo(f"demo marketplace present; operator key: {key_file.read_text().strip()}")
        return
    started = time.perf_counter()
    # The served demo lives in the present, so its open cases have live deadlines.
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    summary = generate(engine, orders=orders, seed=7, tenant_slug="demo", now=today)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(summary.operator_key + "\n")
    key_file.chmod(0o600)
    seconds = time.perf_counter() - started
    click.echo(f"demo marketplace: {orders} orders in {seconds:.1f} s")
    click.echo(f"operator key (also in {key_file}): {summary.operator_key}")


@click.command("worker")
@click.option("--beat", is_flag=True, help="also run the periodic deadline sweep")
@click.option("--concurrency", type=click.IntRange(min=1), default=2, show_default=True)
def worker(beat: bool, concurrency: int) -> None:
    """Run a Celery worker (needs TRADESHIELD_BROKER_URL)."""
    if not get_settings().broker_url:
        raise click.UsageError("TRADESHIELD_BROKER_URL is not set; jobs run in-process")
    from tradeshield.jobs.celery_app import app

    argv = ["worker", "--loglevel=INFO", f"--concurrency={concurrency}"]
    if beat:
        argv.append("--beat")
    app.worker_main(argv)


def admin_commands() -> list[click.Command]:
    return [serve, db_group, tenant_group, cases_group, worker]
