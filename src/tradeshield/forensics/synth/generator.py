"""`generate`: edited copies of real photos with exact masks, plus laundered real controls.

Item ``i`` is made from its own generator seeded with ``(seed, i)``, so a run is repeatable
byte for byte and an item does not depend on the ones before it. Even items are edited, odd
items are untouched controls; both pass the same random app filter, editor save and
laundering chains, so only the edit separates the classes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from tradeshield.forensics.loading import load_image
from tradeshield.forensics.synth import laundering
from tradeshield.forensics.synth.compose import RGB, Edit, make_edit
from tradeshield.forensics.synth.defects import KINDS, METHODS

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"}
MANIFEST = "manifest.jsonl"
MIN_SIDE = 64
FILTER_PROBABILITY = 0.25
_EDIT_DRAWS = 4
Progress = Callable[[int, int], None]


def list_sources(paths: Sequence[Path]) -> list[Path]:
    """Image files named directly or found under folders, sorted (so runs are repeatable)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return sorted(set(found))


SPLITS = ("calibration", "evaluation")


def split_of(path: Path) -> str:
    """Which half a source photo belongs to, by a hash of its file name: photos used to fit
    calibration (or train) never appear in a reported evaluation, and the other way round."""
    digest = hashlib.sha256(path.name.encode("utf-8")).digest()
    return SPLITS[digest[0] % 2]


@lru_cache(maxsize=4)
def _decoded(path: Path) -> RGB | None:
    try:
        rgb = load_image(path.read_bytes()).rgb
    except Exception:  # an unreadable source is skipped, not fatal
        return None
    return rgb if min(rgb.shape[:2]) >= MIN_SIDE else None


def _aligned_crop(photo: RGB, max_side: int, rng: np.random.Generator) -> RGB:
    """A window at most ``max_side`` square whose corner sits on the 8x8 grid, so the
    source's JPEG history survives the cut."""
    h, w = photo.shape[:2]
    top = 8 * int(rng.integers(0, max(0, h - max_side) // 8 + 1)) if h > max_side else 0
    left = 8 * int(rng.integers(0, max(0, w - max_side) // 8 + 1)) if w > max_side else 0
    return np.ascontiguousarray(photo[top : top + max_side, left : left + max_side])


def _pick(sources: list[Path], rng: np.random.Generator) -> tuple[Path, RGB]:
    for _ in range(len(sources) * 2):
        path = sources[int(rng.integers(len(sources)))]
        photo = _decoded(path)
        if photo is not None:
            return path, photo
    raise ValueError("none of the source photos could be read (or all are under 64 px)")


def _edit(photo: RGB, sources: list[Path], rng: np.random.Generator) -> Edit:
    """A random defect by a random method; when this photo cannot show the drawn defect (a
    crack on a blown-out crop), another is drawn rather than failing the whole run."""
    for attempt in range(_EDIT_DRAWS):
        kind = str(rng.choice(sorted(KINDS)))
        method = str(rng.choice(METHODS[kind]))
        donor = _pick(sources, rng)[1] if method == "splice" else None
        try:
            return make_edit(photo, kind, rng, method=method, donor=donor)
        except ValueError:
            if attempt == _EDIT_DRAWS - 1:
                raise
    raise AssertionError("unreachable")


def _item(
    index: int, sources: list[Path], out_dir: Path, seed: int, max_side: int
) -> dict[str, Any]:
    rng = np.random.default_rng([seed, index])
    source, full = _pick(sources, rng)
    photo = _aligned_crop(full, max_side, rng)
    row: dict[str, Any] = {"label": "real", "edit": None, "method": None, "mask_path": None}
    params: dict[str, Any] = {"crop_window": list(photo.shape[:2])}
    mask = None
    if index % 2 == 0:
        edit = _edit(photo, sources, rng)
        photo, mask = edit.image, edit.mask
        row.update(label="edited", edit=edit.kind, method=edit.method)
        params.update(edit.params, changed_pixels=int(mask.sum()))
    steps: list[str] = []
    if rng.random() < FILTER_PROBABILITY:
        photo, step = laundering.global_filter(photo, rng)
        steps.append(step)
    params["editor_quality"] = quality = int(rng.integers(88, 99))
    data, ext, mask, chain = laundering.launder(laundering.encode_jpeg(photo, quality), mask, rng)
    name = f"{index:05d}"
    (out_dir / "images" / f"{name}.{ext}").write_bytes(data)
    if mask is not None:
        row["mask_path"] = f"masks/{name}.png"
        (out_dir / row["mask_path"]).write_bytes(laundering.encode_png_mask(mask))
    row.update(
        path=f"images/{name}.{ext}",
        laundering=steps + chain,
        source=str(source),
        seed=seed,
        index=index,
        params=params,
    )
    return row


def generate(
    sources: Sequence[Path],
    out_dir: Path,
    *,
    count: int,
    seed: int,
    progress: Progress | None = None,
    max_side: int = 1024,
) -> Path:
    """Write ``count`` images (half edited, half controls) and their masks under ``out_dir``;
    return the path of its ``manifest.jsonl`` (one JSON object per image)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    if max_side < MIN_SIDE:
        raise ValueError(f"max_side must be at least {MIN_SIDE}")
    files = list_sources(sources)
    if not files:
        raise ValueError("no source photos found")
    (out_dir / "images").mkdir(parents=True, exist_ok=True)
    (out_dir / "masks").mkdir(parents=True, exist_ok=True)
    manifest = out_dir / MANIFEST
    with manifest.open("w", encoding="utf-8") as out:
        for index in range(count):
            row = _item(index, files, out_dir, seed, max_side)
            out.write(json.dumps(row, sort_keys=True) + "\n")
            if progress is not None:
                progress(index + 1, count)
    return manifest
