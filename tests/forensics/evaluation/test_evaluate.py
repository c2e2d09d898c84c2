"""`tradeshield forensics evaluate` and `calibrate` end to end on a tiny generated set, and
reading the public sets' manifest and plain folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.forensics.synth.photos import write_sources

from tradeshield.cli import main
from tradeshield.forensics.calibration import load_calibration
from tradeshield.forensics.evaluation.datasets import load_items, spread
from tradeshield.forensics.synth import generate


def _exit(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(argv)
    return int(done.value.code or 0)


@pytest.fixture(scope="module")
def tiny_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny")
    sources = write_sources(root / "real" / "camera", count=3)
    return generate([sources], root / "set", count=8, seed=5, max_side=128)


def test_evaluate_writes_json_markdown_and_roc(tiny_set: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert _exit(["forensics", "evaluate", str(tiny_set), "--out", str(out)]) == 0
    document = json.loads((out / "results.json").read_text())
    summary = document["summary"]
    assert set(summary["overall"]) == {"engine", "ela", "bag", "adq", "noise_mad"}
    engine = summary["overall"]["engine"]
    assert (engine["n_positive"], engine["n_negative"]) == (4, 4)
    assert engine["auc"] is None or 0.0 <= engine["auc"] <= 1.0
    assert engine["n_masks"] >= 1
    assert 0.0 <= engine["f1_oracle"] <= 1.0
    assert summary["by_source"]
    assert summary["by_laundering"]
    assert summary["by_kind"]
    assert len(document["photos"]) == 8
    assert "| engine |" in (out / "results.md").read_text()
    assert (out / "roc.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_calibrate_fits_a_logistic_fusion(tiny_set: Path, tmp_path: Path) -> None:
    out = tmp_path / "calibration.json"
    argv = ["forensics", "calibrate", str(tiny_set), "--out", str(out), "--fitted-on", "tiny"]
    # the set is seeded: its localiser signal rises with forgery
    assert _exit([*argv, "--method", "logistic"]) == 0
    document = json.loads(out.read_text())
    assert document["method"] == "logistic"
    assert document["metrics"]["n"] == 8
    assert len(document["features"]) == len(document["weights"]) >= 1
    assert all(w >= 0 for w in document["weights"])
    assert "pixel_model" in document["engine_versions"]
    assert load_calibration(out) is not None


def test_calibrate_by_default_picks_the_kind_that_cross_validates_better(
    tiny_set: Path, tmp_path: Path
) -> None:
    out = tmp_path / "calibration.json"
    assert _exit(["forensics", "calibrate", str(tiny_set), "--out", str(out)]) == 0
    document = json.loads(out.read_text())
    scores = document["metrics"]["cross_validation"]
    best = min(scores, key=lambda method: scores[method]["log_loss"])
    assert document["method"] == best


def test_calibrate_writes_a_platt_file(tiny_set: Path, tmp_path: Path) -> None:
    out = tmp_path / "calibration.json"
    argv = ["forensics", "calibrate", str(tiny_set), "--out", str(out), "--fitted-on", "tiny"]
    assert _exit([*argv, "--method", "platt"]) == 0
    document = json.loads(out.read_text())
    assert document["method"] == "platt"
    assert document["fitted_on"] == "tiny"
    assert document["metrics"]["n"] == 8
    assert isinstance(document["a"], float)
    assert isinstance(document["b"], float)


def test_evaluate_refuses_what_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "list.txt"
    bad.write_text("nothing")
    assert _exit(["forensics", "evaluate", str(bad)]) == 2
    assert _exit(["forensics", "evaluate", str(tmp_path / "missing")]) == 2
    assert _exit(["forensics", "evaluate", str(tmp_path), "--limit", "0"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 3


def test_public_manifest_and_folder_trees_are_labelled(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_text(
        "path,label,generator_or_tool,mask_path\n"
        "real/camera/a.jpg,real,,\n"
        "inpainted/examples/b.png,inpainted,,inpainted/examples/b_mask.png\n"
        "inpainted/examples/b_mask.png,mask,,\n"
        "metadata/c.jpg,metadata_sample,,\n"
    )
    items = load_items(tmp_path / "manifest.csv")
    assert [(i.positive, i.kind, i.group) for i in items] == [
        (False, "real", "real/camera"),
        (True, "inpainted", "inpainted/examples"),
    ]
    assert items[1].mask_path == tmp_path / "inpainted/examples/b_mask.png"
    assert [i.kind for i in load_items(tmp_path / "manifest.csv", exclude=("real/",))] == [
        "inpainted"
    ]
    tree = tmp_path / "tree"
    for name in ("real/x.jpg", "fakes/y.png", "notes.txt"):
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(b"")
    assert [(i.path.name, i.positive) for i in load_items(tree)] == [
        ("y.png", True),
        ("x.jpg", False),
    ]
    assert len(spread(load_items(tree), 1)) == 1
