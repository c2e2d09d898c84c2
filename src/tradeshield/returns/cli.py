"""`tradeshield returns ...` and `tradeshield evidence verify|head`: shells over the service."""

from __future__ import annotations

import json
from pathlib import Path

import click
from pydantic import ValidationError
from rich.progress import Progress

from tradeshield.db import get_engine, session_factory, unit_of_work
from tradeshield.errors import DomainError, Invalid
from tradeshield.returns import service
from tradeshield.returns.schemas import ChainAnchorIn, ChainHeadOut, VerifyIn
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope

_TENANT = click.option("--tenant", "tenant_slug", default="demo", show_default=True,
                       help="slug of the tenant")  # fmt: skip


def _scope(tenant_slug: str, actor: str) -> Scope:
    with session_factory(get_engine())() as session:
        try:
            tenant = tenancy.find_tenant(session, tenant_slug)
        except DomainError as exc:
            raise click.BadParameter(exc.detail, param_hint="'--tenant'") from exc
        return Scope(tenant_id=tenant.id, role=Role.OPERATOR, actor=actor)


@click.group("returns")
def returns_group() -> None:
    """Return-mismatch trust: unit evidence, return checks, the evidence chain."""


@returns_group.command("import-evidence")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_TENANT
@click.option("--all-or-nothing", is_flag=True, help="store nothing if any row is bad")
def import_evidence(file: Path, tenant_slug: str, all_or_nothing: bool) -> None:
    """Record unit evidence from a warehouse CSV (one row per unit)."""
    scope = _scope(tenant_slug, f"import:{file.name}")
    text = file.read_text(encoding="utf-8-sig")
    with session_factory(get_engine())() as session, session.begin():
        report = service.import_csv(session, scope, text, service.default_store(), all_or_nothing)
        for line, error in report.errors:
            click.echo(f"{file.name}:{line}: {error}", err=True)
        if all_or_nothing and report.errors:
            session.rollback()
            raise click.ClickException(f"{len(report.errors)} bad row(s); nothing stored")
    click.echo(f"stored {report.stored} unit record(s), {len(report.errors)} row(s) refused")
    if report.errors:
        raise click.exceptions.Exit(2)


def _read_anchors(path: Path) -> list[service.Anchor]:
    """Heads kept earlier, one JSON object per line (what ``evidence head`` appends; only
    ``seq`` and ``entry_hash`` are read)."""
    anchors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            kept = json.loads(line)
            if not isinstance(kept, dict):
                raise ValueError("not a JSON object")
            anchor = ChainAnchorIn.model_validate(
                {"seq": kept.get("seq"), "entry_hash": kept.get("entry_hash")}
            )
        except ValidationError as exc:
            raise click.BadParameter(
                f"{path.name}:{number}: {Invalid.first_of(exc).detail}", param_hint="'--anchors'"
            ) from exc
        except ValueError as exc:
            raise click.BadParameter(
                f"{path.name}:{number}: {exc}", param_hint="'--anchors'"
            ) from exc
        anchors.append(service.Anchor(anchor.seq, anchor.entry_hash))
    return anchors


def _verify_chain(tenant_slug: str, anchors_file: Path | None = None) -> None:
    scope = _scope(tenant_slug, "cli")
    anchors = _read_anchors(anchors_file) if anchors_file is not None else []
    with session_factory(get_engine())() as session:
        report = service.verify_chain(session, scope.tenant_id, service.default_store(), anchors)
    pinned = f", {len(anchors)} published head(s) match" if anchors else ""
    if report.broken is None:
        click.echo(
            f"chain of {tenant_slug}: intact, {report.links} links, head {report.head}{pinned}"
        )
        return
    click.echo(
        f"chain of {tenant_slug}: BROKEN at link {report.broken.seq}: {report.broken.problem}"
        f" ({report.links} links before it hold)",
        err=True,
    )
    raise click.exceptions.Exit(1)


_ANCHORS = click.option(
    "--anchors", "anchors_file", default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="heads published earlier (JSON lines from 'evidence head'); each must still match",
)  # fmt: skip


@returns_group.command("verify-chain")
@_TENANT
@_ANCHORS
def verify_chain_command(tenant_slug: str, anchors_file: Path | None) -> None:
    """Prove the tenant's evidence chain is intact, or name its first broken link."""
    _verify_chain(tenant_slug, anchors_file)


@click.group("evidence")
def evidence_group() -> None:
    """The tamper-evident evidence chain."""


@evidence_group.command("verify")
@_TENANT
@_ANCHORS
def evidence_verify(tenant_slug: str, anchors_file: Path | None) -> None:
    """Prove the tenant's evidence chain is intact, or name its first broken link."""
    _verify_chain(tenant_slug, anchors_file)


@evidence_group.command("head")
@_TENANT
@click.option(
    "--append", "append_to", default=None,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="also append the head as one JSON line to this file (keep it elsewhere)",
)  # fmt: skip
def evidence_head(tenant_slug: str, append_to: Path | None) -> None:
    """Print the chain's head as JSON to keep outside the database; noted in the audit log."""
    scope = _scope(tenant_slug, "cli")
    with unit_of_work() as session:
        published = service.publish_head(session, scope)
    line = ChainHeadOut.model_validate(published).model_dump_json()
    if append_to is not None:
        with append_to.open("a", encoding="utf-8") as kept:
            kept.write(line + "\n")
    click.echo(line)


@returns_group.command("verify")
@click.argument("order_id", type=click.IntRange(min=1))
@_TENANT
@click.option("--return-shipment-id", type=click.IntRange(min=1), default=None)
def verify_command(order_id: int, tenant_slug: str, return_shipment_id: int | None) -> None:
    """Check the returned unit of ORDER_ID against the unit shipped."""
    scope = _scope(tenant_slug, "cli")
    with unit_of_work() as session:
        found = service.verify_return(
            session, scope, VerifyIn(order_id=order_id, return_shipment_id=return_shipment_id),
            service.default_store(),
        )  # fmt: skip
        click.echo(f"verification {found.id}: {found.result.value}, liable: "
                   f"{found.liable_party.value}")  # fmt: skip
        for line in [*found.reasons, *found.liability_reasons]:
            click.echo(f"  {line['en']}")


@returns_group.command("export-package")
@click.argument("verification_id", type=click.IntRange(min=1))
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@_TENANT
def export_package(verification_id: int, out: Path, tenant_slug: str) -> None:
    """Write the evidence package (zip) of a verification to OUT."""
    scope = _scope(tenant_slug, "cli")
    with session_factory(get_engine())() as session:
        data = service.package_bytes(session, scope, verification_id, service.default_store())
    out.write_bytes(data)
    click.echo(f"wrote {out} ({len(data)} bytes)")


@returns_group.command("evaluate")
@_TENANT
def evaluate_command(tenant_slug: str) -> None:
    """Precision and recall of return verification against the demo's labelled swaps and
    fake returns."""
    scope = _scope(tenant_slug, "cli")
    with session_factory(get_engine())() as session, Progress(transient=True) as progress:
        progress.add_task("verifying demo returns", total=None)
        found = service.evaluate(session, scope.tenant_id)
    click.echo(f"returns verified: {found.returns}")
    click.echo(f"precision: {found.precision:.3f}  recall: {found.recall:.3f}  "
               f"(tp {found.true_positive}, fp {found.false_positive}, "
               f"fn {found.false_negative})")  # fmt: skip
    for key, count in sorted(found.by_label.items()):
        click.echo(f"  {key}: {count}")
    click.echo("liable: " + ", ".join(f"{k} {v}" for k, v in sorted(found.liable.items())))
