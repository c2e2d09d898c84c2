"""Importing a file of orders, parcels or cases: every row applied alone, none half-written.

Each row is validated, then applied through the owning modules' services inside its own
SAVEPOINT: a row that fails (bad value, unknown merchant, duplicate) is rolled back alone and
reported by line. A row whose thing already exists is counted as already present, so running
the same file again changes nothing. In strict mode the whole file sits in one more savepoint
that is rolled back when any row failed, so nothing of it is written. This module never
commits; the caller does, once.

Memory stays flat in the file's size except for one identity per row, kept to catch the same
order (or parcel, or case) written twice in one file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransaction

from tradeshield.errors import DomainError, Invalid
from tradeshield.imports.appliers import HANDLERS, Lookups, Outcome, RowHandler
from tradeshield.imports.csv_layout import check_header, fold_rows
from tradeshield.imports.kinds import FileFormat, ImportKind, format_for_path
from tradeshield.imports.readers import Record, read_csv, read_jsonl
from tradeshield.imports.report import ImportReport
from tradeshield.imports.rows import explain
from tradeshield.imports.savepoints import begin_for_savepoints
from tradeshield.tenancy.scope import Scope

Progress = Callable[[int], None]
"""Called after each row with the number of file lines read so far."""


@dataclass(slots=True)
class _Run:
    session: Session
    scope: Scope
    handler: RowHandler[Any]
    report: ImportReport
    lookups: Lookups = field(default_factory=Lookups)
    first_seen: dict[str, int] = field(default_factory=dict)
    lines_done: int = 0


def import_file(
    session: Session,
    scope: Scope,
    path: Path,
    kind: ImportKind,
    fmt: FileFormat | None = None,
    strict: bool = False,
    on_progress: Progress | None = None,
) -> ImportReport:
    """Import ``path`` as rows of ``kind``; the format defaults to the file's extension.

    Raises Invalid when the file as a whole cannot be read (not UTF-8, unknown CSV columns);
    row problems are reported, not raised.
    """
    scope.require_operator()
    file_format = fmt or format_for_path(path)
    report = ImportReport(source=str(path), kind=kind, file_format=file_format, strict=strict)
    run = _Run(session=session, scope=scope, handler=HANDLERS[kind], report=report)
    begin_for_savepoints(session)
    batch: SessionTransaction | nullcontext[None] = (
        session.begin_nested() if strict else nullcontext()
    )
    with batch, _records(path, kind, file_format) as records:
        for record in records:
            _import_record(run, record)
            run.lines_done = max(run.lines_done, record.last_line)
            if on_progress is not None:
                on_progress(run.lines_done)
        if isinstance(batch, SessionTransaction) and not report.clean:
            batch.rollback()
            report.refuse()
    return report


@contextmanager
def _records(path: Path, kind: ImportKind, file_format: FileFormat) -> Iterator[Iterator[Record]]:
    try:
        # utf-8-sig: spreadsheet programs start their CSV exports with a byte-order mark.
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror}") from exc
    with stream:
        lines = _decoded(stream, path)
        if file_format is FileFormat.JSONL:
            yield read_jsonl(lines)
            return
        table = read_csv(lines)
        check_header(kind, table.header)
        yield fold_rows(kind, table.rows)


def _decoded(lines: Iterable[str], path: Path) -> Iterator[str]:
    """Pass lines through, turning a decoding failure deep in the file into one Invalid."""
    try:
        yield from lines
    except UnicodeDecodeError as exc:
        raise Invalid(f"{path.name} is not UTF-8 text: {exc.reason}") from exc


def _import_record(run: _Run, record: Record) -> None:
    report = run.report
    if record.problem is not None:
        report.reject(record.line, record.problem)
        return
    try:
        row = run.handler.model.model_validate(record.fields)
    except ValidationError as exc:
        report.reject(*explain(exc, record))
        return
    identity = row.identity()
    first_line = run.first_seen.setdefault(identity, record.line)
    if first_line != record.line:
        report.reject(record.line, f"{identity} is already on line {first_line} of this file")
        return
    try:
        with run.session.begin_nested():
            outcome = run.handler.apply(run.session, run.scope, row, run.lookups)
    except DomainError as exc:
        report.reject(record.line, _one_line(exc.detail))
    except ValidationError as exc:
        report.reject(*explain(exc, record))
    except IntegrityError as exc:
        report.reject(record.line, f"refused by the database: {_one_line(str(exc.orig))}")
    else:
        if outcome is Outcome.IMPORTED:
            report.imported += 1
        else:
            report.already_present += 1


def _one_line(text: str) -> str:
    return " ".join(text.split())
