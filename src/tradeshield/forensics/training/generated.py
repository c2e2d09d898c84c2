"""`train_generated`: the whole-image AI-generation detector, trained from scratch on the
commercially usable, source-disjoint training side of the public set (see ``splits``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from tradeshield.forensics.training.fitting import (
    Batch,
    Progress,
    deterministic,
    export,
    fit,
    write_sidecar,
)
from tradeshield.forensics.training.nets import GeneratedClassifier
from tradeshield.forensics.training.samples import RGB, read_rgb, reencoded_crop
from tradeshield.forensics.training.splits import DATASET, generated_split


@dataclass(frozen=True, slots=True)
class GeneratedPlan:
    patch: int = 128
    batch: int = 32
    epochs: int = 20
    crops_per_image: int = 8  # crops of each training picture per epoch
    per_class: int | None = None  # at most this many pictures of each class (tiny runs)


TINY = GeneratedPlan(patch=32, batch=4, epochs=1, crops_per_image=2, per_class=3)


def _batches(pictures: list[tuple[RGB, bool]], plan: GeneratedPlan, seed: int) -> Iterator[Batch]:
    rng = np.random.default_rng(seed)
    by_class = [[p for p, g in pictures if g == wanted] for wanted in (False, True)]
    while True:
        labels = rng.integers(0, 2, plan.batch)  # balanced classes whatever the counts
        crops = [
            reencoded_crop(by_class[y][int(rng.integers(len(by_class[y])))], plan.patch, rng)
            for y in labels
        ]
        inputs = np.stack(crops).transpose(0, 3, 1, 2).astype(np.float32) / 255.0
        yield inputs, labels[:, None].astype(np.float32)


def _loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, targets)


def train_generated(
    out: Path,
    seed: int,
    plan: GeneratedPlan,
    root: Path = DATASET,
    progress: Progress | None = None,
) -> Path:
    """Train, export ``OUT/generated.onnx`` and its sidecar; returns the ONNX path."""
    deterministic(seed, threads=2)  # as the shipped weights were trained
    train, _ = generated_split(root)
    if plan.per_class is not None:
        train = [i for i in train if i.generated][: plan.per_class] + [
            i for i in train if not i.generated
        ][: plan.per_class]
    pictures = [(read_rgb(item.path), item.generated) for item in train]
    model = GeneratedClassifier()
    steps = max(1, plan.epochs * plan.crops_per_image * len(pictures) // plan.batch)
    losses = fit(model, _batches(pictures, plan, seed), steps, _loss, progress, 1e-3)
    example = next(_batches(pictures, plan, seed + 1))[0]
    onnx_path = out / "generated.onnx"
    difference = export(model, onnx_path, example)
    groups = sorted({item.group for item in train if item.generated})
    write_sidecar(
        out / "generated.json",
        {
            "name": "generated",
            "version": f"generated-1.0.0+s{seed}",
            "patch": plan.patch,
            "max_side": 4096,
            "threshold": 0.5,
            "trained_on": {
                "pictures": len(pictures),
                "generators": groups,
                "real_photos": sum(not g for _, g in pictures),
                "seed": seed,
                "steps": steps,
                "final_loss": round(float(np.mean(losses[-20:])), 4),
            },
            "export_max_difference": difference,
        },
    )
    return onnx_path
