"""``tradeshield demo`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tradeshield.demo.cli import demo_command
from tradeshield.settings import get_settings


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TRADESHIELD_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TRADESHIELD_IDENTIFIER_SECRET", "demo-cli-secret")
    get_settings.cache_clear()
    return CliRunner()


@pytest.mark.parametrize("args", [["--orders", "0"], ["--orders", "-3"], ["--seed", "-1"]])
def test_bad_numbers_are_usage_errors(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(demo_command, args)
    assert result.exit_code == 2
    assert "Invalid value" in result.output


def test_demo_makes_the_schema_then_prints_counts_and_the_operator_key(runner: CliRunner) -> None:
    result = runner.invoke(demo_command, ["--orders", "300", "--seed", "11", "--tenant", "shop"])
    assert result.exit_code == 0, result.output
    assert "Demo marketplace shop" in result.output
    assert "orders" in result.output
    assert "300" in result.output
    assert "refund_only_abuser/buyer" in result.output
    key_line = result.output.strip().splitlines()[-1]
    assert key_line.startswith("ts_")
    again = runner.invoke(demo_command, ["--orders", "300", "--tenant", "shop"])
    assert again.exit_code != 0
    assert "already exists" in str(again.exception)
