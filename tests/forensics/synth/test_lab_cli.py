"""`tradeshield forensics synth`: it writes a set, and bad arguments end with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.forensics.synth.photos import write_sources

from tradeshield.cli import main


def _exit(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    code = done.value.code
    return code if isinstance(code, int) else 1


def test_synth_writes_images_masks_and_a_manifest(tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "src", count=2)
    out = tmp_path / "set"
    argv = ["forensics", "synth", str(sources), "--out", str(out), "--count", "4"]
    assert _exit([*argv, "--seed", "2", "--max-side", "128"]) == 0
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(rows) == 4
    assert all((out / row["path"]).is_file() for row in rows)


@pytest.mark.parametrize(
    "argv",
    [
        ["forensics", "synth", "/no/such/folder", "--out", "OUT"],
        ["forensics", "synth", "SRC", "--out", "OUT", "--count", "0"],
        ["forensics", "synth", "SRC", "--count", "3"],
        ["forensics", "synth", "SRC", "--out", "OUT", "--seed", "abc"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = write_sources(tmp_path / "src", count=1)
    filled = [a.replace("SRC", str(sources)).replace("OUT", str(tmp_path / "o")) for a in argv]
    assert _exit(filled) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "error" in err


def test_unreadable_sources_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "broken.jpg").write_bytes(b"not a jpeg")
    assert _exit(["forensics", "synth", str(folder), "--out", str(tmp_path / "o")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
