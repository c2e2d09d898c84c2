"""The ``tradeshield import`` command: summary, exit codes, report file, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine
from tests.imports.sample_shop import MERCHANT_REF, TENANT_SLUG, OrderRefs, Shop, WriteJsonl

from tradeshield import db
from tradeshield.db import session_factory
from tradeshield.imports.cli import ImportFailed, import_command
from tradeshield.settings import get_settings

ORDER = {
    "external_ref": "O-1",
    "merchant_ref": MERCHANT_REF,
    "buyer_ref": "B-1",
    "placed_at": "2026-11-01T09:00:00Z",
    "currency": "CNY",
    "lines": [{"sku": "ORANGE-5", "quantity": 2, "unit_price_minor": 5990}],
}
BAD_ORDER = {**ORDER, "external_ref": "O-2", "merchant_ref": "M-NOBODY"}


@pytest.fixture
def run(engine: Engine, shop: Shop, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner whose commands use the test database, with the shop already committed."""
    monkeypatch.setenv("TRADESHIELD_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    db.engine_for.cache_clear()
    yield CliRunner()
    db.get_engine().dispose()
    db.engine_for.cache_clear()
    get_settings.cache_clear()


def _import(runner: CliRunner, path: Path, *options: str) -> Result:
    args = [str(path), "--kind", "orders", "--tenant", TENANT_SLUG, *options]
    return runner.invoke(import_command, args)


def test_a_clean_file_exits_0_and_a_rerun_reports_it_already_present(
    run: CliRunner, engine: Engine, write_jsonl: WriteJsonl, order_refs: OrderRefs
) -> None:
    path = write_jsonl("orders.jsonl", [ORDER])
    first = _import(run, path)
    again = _import(run, path)
    assert first.exit_code == 0, first.output
    assert "imported 1, already present 0, rejected 0" in first.output
    assert again.exit_code == 0, again.output
    assert "imported 0, already present 1, rejected 0" in again.output
    with session_factory(engine)() as session:
        assert order_refs(session) == ["O-1"]


def test_rejected_rows_exit_2_with_their_lines_and_a_json_report(
    run: CliRunner, engine: Engine, tmp_path: Path, write_jsonl: WriteJsonl, order_refs: OrderRefs
) -> None:
    path = write_jsonl("orders.jsonl", [ORDER, BAD_ORDER])
    report_path = tmp_path / "report.json"
    result = _import(run, path, "--report", str(report_path))
    assert result.exit_code == 2, result.output
    assert "imported 1, already present 0, rejected 1" in result.output
    assert "line 2: no merchant with external_ref 'M-NOBODY'" in result.output
    written = json.loads(report_path.read_text())
    assert written["problems"] == [
        {"line": 2, "reason": "no merchant with external_ref 'M-NOBODY'"}
    ]
    with session_factory(engine)() as session:
        assert order_refs(session) == ["O-1"]


def test_rejected_rows_still_exit_2_when_click_does_not_own_the_process(
    run: CliRunner, write_jsonl: WriteJsonl
) -> None:
    """The main CLI runs click with standalone_mode=False, which swallows ctx.exit codes."""
    path = write_jsonl("orders.jsonl", [ORDER, BAD_ORDER])
    args = [str(path), "--kind", "orders", "--tenant", TENANT_SLUG]
    with pytest.raises(ImportFailed) as failed:
        import_command.main(args, standalone_mode=False)
    assert failed.value.exit_code == 2


def test_strict_refuses_the_file_exits_2_and_writes_nothing(
    run: CliRunner, engine: Engine, write_jsonl: WriteJsonl, order_refs: OrderRefs
) -> None:
    path = write_jsonl("orders.jsonl", [ORDER, BAD_ORDER])
    result = _import(run, path, "--strict")
    assert result.exit_code == 2, result.output
    assert "1 row(s) rejected; strict mode wrote nothing" in result.output
    with session_factory(engine)() as session:
        assert order_refs(session) == []


def test_csv_is_chosen_by_extension_and_an_unknown_column_is_one_error(
    run: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("external_ref,colour\nO-1,red\n")
    result = _import(run, path)
    assert result.exit_code == 2
    assert "unknown CSV column(s) colour for orders" in result.output


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("missing.jsonl", (), "does not exist"),
        ("orders.txt", (), "cannot tell the format of 'orders.txt'"),
        ("orders.jsonl", ("--format", "xml"), "'xml' is not one of"),
        ("orders.jsonl", ("--tenant", "nobody"), "tenant 'nobody' does not exist"),
    ],
)
def test_unusable_file_format_or_tenant_exits_2_with_one_line(
    run: CliRunner, tmp_path: Path, name: str, options: tuple[str, ...], message: str
) -> None:
    if name != "missing.jsonl":
        (tmp_path / name).write_text(json.dumps(ORDER) + "\n")
    result = _import(run, tmp_path / name, *options)
    assert result.exit_code == 2
    assert message in result.output
