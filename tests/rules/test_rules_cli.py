"""`tradeshield rules`: listing, the pack test run, and one-line errors with exit code 2."""

from __future__ import annotations

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
        [sys.executable, "-m", "tradeshield", "rules", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_rules_test_runs_every_pack_case_and_passes(tmp_path: Path) -> None:
    done = _run("test", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pack test cases pass" in done.stdout


def test_rules_list_json_names_every_pack(tmp_path: Path) -> None:
    done = _run("list", "--json", tmp_path=tmp_path)
    assert done.returncode == 0
    assert '"id": "fresh_food"' in done.stdout
    assert '"id": "forged_evidence"' in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("show", "no_such_pack"),
        ("show", "fresh_food", "--version", "1999.1"),
        ("replay", "--pack", "fresh_food", "--since", "last tuesday"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = _run(*args, tmp_path=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
