"""The command line: exit codes, one-line errors, the admin commands against a real file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRADESHIELD_DATA_DIR": str(tmp_path / "data"),
        "TRADESHIELD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
    }
    return subprocess.run(
        [sys.executable, "-m", "tradeshield", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_version_prints_and_exits_zero(tmp_path: Path) -> None:
    result = _run("--version", tmp_path=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("tradeshield, version ")


@pytest.mark.parametrize(
    "args",
    [("no-such-command",), ("serve", "--port", "0"), ("cases", "sweep", "--limit", "-3")],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _run(*args, tmp_path=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("tradeshield")
    assert "error:" in lines[0]


def test_tenant_create_then_duplicate_is_refused_in_one_line(tmp_path: Path) -> None:
    created = _run("tenant", "create", "acme", tmp_path=tmp_path)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["operator_key"].startswith("ts_")
    again = _run("tenant", "create", "acme", tmp_path=tmp_path)
    assert again.returncode == 2
    assert again.stderr.strip() == "tradeshield: error: tenant 'acme' already exists"


def test_db_upgrade_is_idempotent_and_sweep_runs(tmp_path: Path) -> None:
    assert _run("db", "upgrade", tmp_path=tmp_path).returncode == 0
    assert _run("db", "upgrade", tmp_path=tmp_path).returncode == 0
    sweep = _run("cases", "sweep", tmp_path=tmp_path)
    assert sweep.returncode == 0
    assert sweep.stdout.strip() == "moved 0 case(s)"
