"""``tradeshield import``: a thin shell over :func:`tradeshield.imports.service.import_file`.

Exit codes: 0 when every row was imported or already present, 2 when rows were rejected (in
strict mode the file was then refused and nothing written), and 2 with one line for a file,
format or tenant that cannot be used.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tradeshield import migrate
from tradeshield.db import get_engine, session_factory
from tradeshield.errors import DomainError, NotFound
from tradeshield.imports.kinds import FileFormat, ImportKind, format_for_path
from tradeshield.imports.report import ImportReport
from tradeshield.imports.service import Progress as ProgressCallback
from tradeshield.imports.service import import_file
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope

SHOWN_PROBLEMS = 10


class ImportFailed(click.ClickException):
    """Rows were rejected or the file could not be read; exit 2 like every user-fixable error."""

    exit_code = 2


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice([k.value for k in ImportKind]), required=True)
@click.option("--tenant", "tenant_slug", required=True, help="slug of the tenant to import into")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in FileFormat]),
    default=None,
    help="default: from the file extension (.jsonl, .ndjson, .csv)",
)
@click.option("--strict", is_flag=True, help="refuse the whole file if any row is bad")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="also write the full report as JSON to this file",
)
def import_command(
    file: Path,
    kind: str,
    tenant_slug: str,
    fmt: str | None,
    strict: bool,
    report_path: Path | None,
) -> None:
    """Import orders, shipments or cases from a JSONL or CSV FILE; safe to run again."""
    file_format = _file_format(file, fmt)
    engine = get_engine()
    migrate.upgrade(engine)
    with session_factory(engine)() as session:
        try:
            tenant = tenancy.find_tenant(session, tenant_slug)
        except NotFound as exc:
            raise click.BadParameter(exc.detail, param_hint="'--tenant'") from exc
        scope = Scope(tenant_id=tenant.id, role=Role.OPERATOR, actor=f"import:{file.name}")
        try:
            with _progress_bar(file) as advance:
                report = import_file(
                    session, scope, file, ImportKind(kind), file_format, strict, advance
                )
        except DomainError as exc:
            raise ImportFailed(exc.detail) from exc
        session.commit()
    if report_path is not None:
        report_path.write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n")
    _print_summary(report, report_path)
    if report.refused:
        raise ImportFailed(f"{report.rejected} row(s) rejected; strict mode wrote nothing")
    if not report.clean:
        # An exception, not ctx.exit(2): the main CLI runs click with standalone_mode=False,
        # which turns ctx.exit into a return value and would end the process with 0.
        raise ImportFailed(f"{report.rejected} row(s) rejected; the other rows were imported")


def _file_format(file: Path, fmt: str | None) -> FileFormat:
    if fmt is not None:
        return FileFormat(fmt)
    try:
        return format_for_path(file)
    except DomainError as exc:
        raise click.BadParameter(exc.detail, param_hint="'--format'") from exc


@contextmanager
def _progress_bar(file: Path) -> Iterator[ProgressCallback]:
    console = Console(stderr=True)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task(f"importing {file.name}", total=_count_lines(file))
        yield lambda lines_done: bar.update(task, completed=lines_done)


def _count_lines(file: Path) -> int:
    """Lines in the file, read in blocks: a second pass, but it keeps the bar honest."""
    count = 0
    last = b"\n"
    with file.open("rb") as handle:
        while block := handle.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def _print_summary(report: ImportReport, report_path: Path | None) -> None:
    click.echo(
        f"{report.kind} from {Path(report.source).name}: imported {report.imported},"
        f" already present {report.already_present}, rejected {report.rejected}"
    )
    for problem in report.problems[:SHOWN_PROBLEMS]:
        click.echo(f"  {problem}")
    hidden = report.rejected - min(len(report.problems), SHOWN_PROBLEMS)
    if hidden > 0:
        where = f"see {report_path}" if report_path else "--report FILE lists them all"
        click.echo(f"  ... and {hidden} more ({where})")
