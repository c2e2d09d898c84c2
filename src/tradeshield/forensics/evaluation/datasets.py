"""Reading labelled photos for evaluation from a generator manifest (``manifest.jsonl``), the
shared public sets' ``manifest.csv`` or a plain folder tree."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tradeshield.forensics.synth.generator import IMAGE_SUFFIXES, split_of
from tradeshield.forensics.synth.laundering import laundering_key

POSITIVE_LABELS = {"ai_generated", "inpainted", "edited"}
NEGATIVE_FOLDERS = {"real", "authentic", "pristine", "original", "originals"}


@dataclass(frozen=True, slots=True)
class Item:
    path: Path
    positive: bool  # edited or generated
    kind: str  # edit kind, the public set's label, or "real"
    laundering: str  # e.g. "none", "resize+jpeg", "as published"
    group: str  # source folder
    mask_path: Path | None = None


def _from_jsonl(manifest: Path) -> list[Item]:
    root = manifest.parent
    items = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        mask = row.get("mask_path")
        source = Path(row["source"])
        items.append(
            Item(
                path=root / row["path"],
                positive=row["label"] == "edited",
                kind=row.get("edit") or "real",
                laundering=laundering_key(list(row.get("laundering") or [])),
                group=f"synth:{source.parent.parent.name}/{source.parent.name}",
                mask_path=root / mask if mask else None,
            )
        )
    return items


def _from_csv(manifest: Path) -> list[Item]:
    root = manifest.parent
    items = []
    with manifest.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = row["label"]
            if label != "real" and label not in POSITIVE_LABELS:
                continue  # masks, metadata and provenance samples are not scored here
            path = Path(row["path"])
            items.append(
                Item(
                    path=root / path,
                    positive=label != "real",
                    kind=label,
                    laundering="as published",
                    group="/".join(path.parts[:2]),
                    mask_path=root / row["mask_path"] if row.get("mask_path") else None,
                )
            )
    return items


def _from_folder(folder: Path) -> list[Item]:
    items = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
            continue
        relative = path.relative_to(folder)
        negative = any(part.lower() in NEGATIVE_FOLDERS for part in relative.parts[:-1])
        items.append(
            Item(
                path=path,
                positive=not negative,
                kind="real" if negative else "unlabelled edit",
                laundering="as found",
                group=str(relative.parent),
            )
        )
    return items


def load_items(
    target: Path,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    split: str | None = None,
) -> list[Item]:
    """The labelled photos ``target`` names; ``include`` / ``exclude`` keep or drop items
    whose source folder (``group``, ``synth:real/camera`` for generator output) starts with
    one of the prefixes; ``split`` keeps only the photos of ``real/`` folders that belong to
    that half (see `split_of`), so a public real photo is on one side only."""
    if target.is_dir():
        csv_manifest, jsonl_manifest = target / "manifest.csv", target / "manifest.jsonl"
        if jsonl_manifest.is_file():
            items = _from_jsonl(jsonl_manifest)
        elif csv_manifest.is_file():
            items = _from_csv(csv_manifest)
        else:
            items = _from_folder(target)
    elif target.suffix == ".jsonl":
        items = _from_jsonl(target)
    elif target.suffix == ".csv":
        items = _from_csv(target)
    else:
        raise ValueError(f"{target} is not a folder, a manifest.jsonl or a manifest.csv")
    if include:
        items = [item for item in items if item.group.startswith(include)]
    if exclude:
        items = [item for item in items if not item.group.startswith(exclude)]
    if split is not None:
        items = [i for i in items if not i.group.startswith("real/") or split_of(i.path) == split]
    return items


def spread(items: list[Item], limit: int | None) -> list[Item]:
    """At most ``limit`` items taken evenly across the list (so every folder and both classes
    stay represented), in their original order."""
    if limit is None or limit >= len(items):
        return items
    picks = np.unique(np.linspace(0, len(items) - 1, num=limit).round().astype(int))
    return [items[int(i)] for i in picks]
