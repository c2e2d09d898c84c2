"""`tradeshield forensics train`: a tiny run of each model ends in an ONNX file that the
service's runtime loads and runs, the same seed gives the same weights, and without torch
the command ends with one line and exit 2."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from tradeshield.cli import main
from tradeshield.forensics.learned.generated import detect_generated
from tradeshield.forensics.learned.localiser import localise
from tradeshield.forensics.learned.runtime import load_model

PHOTO = np.random.default_rng(5).integers(0, 256, (150, 210, 3), dtype=np.uint8)


def _exit(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    code = done.value.code
    return code if isinstance(code, int) else 1


def _train(model: str, out: Path, seed: int = 1) -> None:
    assert (
        _exit(["forensics", "train", model, "--out", str(out), "--seed", str(seed), "--tiny"]) == 0
    )


def test_tiny_localiser_run_exports_a_loadable_deterministic_model(tmp_path: Path) -> None:
    _train("localiser", tmp_path / "a")
    _train("localiser", tmp_path / "b")
    first = (tmp_path / "a" / "localiser.onnx").read_bytes()
    assert first == (tmp_path / "b" / "localiser.onnx").read_bytes()
    model = load_model(tmp_path / "a", "localiser")
    result = localise(PHOTO, model)
    assert result.heatmap is not None
    assert result.heatmap.shape == PHOTO.shape[:2]
    assert 0.0 <= float(result.heatmap.min()) <= float(result.heatmap.max()) <= 1.0
    assert result.version == model.info.version == "localiser-2.0.0+s1"


def test_tiny_generated_run_exports_a_loadable_model(tmp_path: Path) -> None:
    _train("generated", tmp_path)
    model = load_model(tmp_path, "generated")
    result = detect_generated(PHOTO, model)
    assert result.version == "generated-1.0.0+s1"
    assert all(0.0 <= f.score <= 1.0 for f in result.findings)


def test_without_torch_the_command_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in [m for m in sys.modules if m.startswith("tradeshield.forensics.training.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "torch", None)
    assert _exit(["forensics", "train", "localiser", "--out", str(tmp_path), "--tiny"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "install the train extra: pip install -e '.[train]' torch==2.13.0"


def test_data_is_for_the_localiser_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("")
    argv = ["forensics", "train", "generated", "--out", str(tmp_path), "--data", str(manifest)]
    assert _exit(argv) == 2
    assert (
        capsys.readouterr().err.strip()
        == "tradeshield: error: --data applies to the localiser only"
    )
