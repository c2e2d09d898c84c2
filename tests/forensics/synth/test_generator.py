"""The defect-edit generator: exact masks, repeatable output, the manifest's schema."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from tests.forensics.synth.photos import textured, write_sources

from tradeshield.forensics.synth import generate, split_of
from tradeshield.forensics.synth.compose import make_edit
from tradeshield.forensics.synth.defects import KINDS, METHODS
from tradeshield.forensics.synth.laundering import crop, resize

ROW_KEYS = {"path", "mask_path", "label", "edit", "method", "laundering", "source", "seed"}


@pytest.mark.parametrize(
    ("kind", "method"), [(kind, method) for kind in sorted(KINDS) for method in METHODS[kind]]
)
def test_mask_is_exactly_the_changed_pixels(kind: str, method: str) -> None:
    photo = textured(160, 200, 1)
    donor = textured(120, 140, 7)
    edit = make_edit(photo, kind, np.random.default_rng(11), method=method, donor=donor)
    changed = np.any(edit.image != photo, axis=2)
    assert edit.mask.any()
    assert np.array_equal(changed, edit.mask)
    assert (edit.kind, edit.method) == (kind, method)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def test_same_seed_gives_byte_identical_output(tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "src")
    first = generate([sources], tmp_path / "a", count=6, seed=3, max_side=128)
    generate([sources], tmp_path / "b", count=6, seed=3, max_side=128)
    generate([sources], tmp_path / "c", count=6, seed=4, max_side=128)
    assert first == tmp_path / "a" / "manifest.jsonl"
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_manifest_rows_describe_every_image(tmp_path: Path) -> None:
    sources = write_sources(tmp_path / "src")
    calls: list[tuple[int, int]] = []
    manifest = generate(
        [sources],
        tmp_path / "out",
        count=5,
        seed=9,
        max_side=128,
        progress=lambda *a: calls.append(a),
    )
    rows = [json.loads(line) for line in manifest.read_text().splitlines()]
    assert calls[-1] == (5, 5)
    assert [row["label"] for row in rows] == ["edited", "real", "edited", "real", "edited"]
    for row in rows:
        assert set(row) >= ROW_KEYS
        assert all(isinstance(step, str) for step in row["laundering"])
        with Image.open(tmp_path / "out" / row["path"]) as image:
            size = image.size
        if row["label"] == "real":
            assert row["mask_path"] is None
            assert row["edit"] is None
            assert row["method"] is None
            continue
        assert row["edit"] in KINDS
        assert row["method"] in METHODS[row["edit"]]
        with Image.open(tmp_path / "out" / row["mask_path"]) as mask:
            assert mask.size == size
            assert mask.mode == "L"
            assert set(np.unique(np.asarray(mask))) <= {0, 255}


def test_laundering_moves_the_mask_with_the_photo() -> None:
    photo = textured(96, 120, 2)
    mask = np.zeros((96, 120), bool)
    mask[10:30, 40:60] = True
    small, small_mask = resize(photo, mask, 0.5)
    cut, cut_mask = crop(small, small_mask, 3, 5)
    assert small_mask is not None
    assert cut_mask is not None
    assert small.shape[:2] == small_mask.shape == (48, 60)
    assert cut.shape[:2] == cut_mask.shape == (45, 55)
    assert cut_mask[2:12, 15:25].all()
    assert cut_mask.sum() == 100


def test_sources_split_into_two_stable_halves() -> None:
    names = [Path(f"real/camera/photo_{i}.jpg") for i in range(40)]
    halves = {split_of(name) for name in names}
    assert halves == {"calibration", "evaluation"}
    assert split_of(Path("x/photo_3.jpg")) == split_of(Path("y/photo_3.jpg"))


def test_an_edit_the_photo_cannot_show_is_redrawn_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradeshield.forensics.synth import generator

    real_edit = generator.make_edit
    refused: list[str] = []

    def refuse_first(photo: np.ndarray, kind: str, *args: object, **kwargs: object) -> object:
        if not refused:
            refused.append(kind)
            raise ValueError(f"could not place a visible {kind}")
        return real_edit(photo, kind, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generator, "make_edit", refuse_first)
    manifest = generate([write_sources(tmp_path / "src")], tmp_path / "out", count=2, seed=5)
    rows = [json.loads(line) for line in manifest.read_text().splitlines()]
    assert len(refused) == 1
    assert len(rows) == 2
    assert rows[0]["label"] == "edited"
    assert rows[0]["mask_path"]
