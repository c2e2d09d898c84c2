"""`train_localiser`: the local-edit localiser, trained on the defect-edit generator's output
made from the calibration half of the source photos (the evaluation half is never seen)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from tradeshield.forensics.evaluation.metrics import roc_auc
from tradeshield.forensics.learned.localiser import heat_and_score
from tradeshield.forensics.learned.runtime import load_model
from tradeshield.forensics.training.fitting import (
    Batch,
    Progress,
    deterministic,
    export,
    fit,
    write_sidecar,
)
from tradeshield.forensics.training.nets import Localiser
from tradeshield.forensics.training.samples import EditedPhoto, localiser_patch, read_manifest

SOURCES = Path("../shared/datasets/forensics/real/camera")
_TUNE_EVERY = 7  # every 7th generated item is kept out of training to fit the threshold
_CONTROL_QUANTILE = 0.95  # threshold: 5 % of held-back untouched controls pass it
_POSITIVE_WEIGHT = 3.0  # edited cells are rarer than untouched ones


@dataclass(frozen=True, slots=True)
class LocaliserPlan:
    patch: int = 192
    batch: int = 16
    epochs: int = 30
    count: int = 600  # generated items when no manifest is given
    max_side: int = 512
    data_seed: int = 11


TINY = LocaliserPlan(patch=64, batch=4, epochs=2, count=8, max_side=128)


def make_data(out: Path, plan: LocaliserPlan, progress: Progress | None) -> Path:
    from tradeshield.forensics.synth import generate, list_sources, split_of

    chosen = [p for p in list_sources([SOURCES]) if split_of(p) == "calibration"]
    chosen = [p for p in chosen if not p.name.startswith("trufor_")]  # research-only licence
    return generate(
        chosen,
        out,
        count=plan.count,
        seed=plan.data_seed,
        progress=progress,
        max_side=plan.max_side,
    )


def _batches(photos: list[EditedPhoto], plan: LocaliserPlan, seed: int) -> Iterator[Batch]:
    rng = np.random.default_rng(seed)
    while True:
        picks = rng.integers(0, len(photos), plan.batch)
        pairs = [localiser_patch(photos[int(i)], plan.patch, rng) for i in picks]
        inputs = np.stack([p[0] for p in pairs]).transpose(0, 3, 1, 2).astype(np.float32) / 255.0
        targets = np.stack([p[1] for p in pairs])[:, None].astype(np.float32)
        yield inputs, targets


def _loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    weight = 1.0 + (_POSITIVE_WEIGHT - 1.0) * (targets > 0).float()
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, targets, weight=weight)


def train_localiser(
    out: Path,
    seed: int,
    plan: LocaliserPlan,
    manifest: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Train, export ``OUT/localiser.onnx`` and its sidecar; returns the ONNX path."""
    deterministic(seed)
    manifest = manifest or make_data(out / "data", plan, progress)
    rows = read_manifest(manifest)
    train = [photo for row, photo in rows if int(str(row["index"])) % _TUNE_EVERY]
    tune = [(row, photo) for row, photo in rows if not int(str(row["index"])) % _TUNE_EVERY]
    model = Localiser()
    steps = max(1, plan.epochs * len(train) // plan.batch)
    losses = fit(model, _batches(train, plan, seed), steps, _loss, progress)
    example = next(_batches(train, plan, seed + 1))[0]
    onnx_path = out / "localiser.onnx"
    difference = export(model, onnx_path, example)
    description = {
        "name": "localiser",
        "version": f"localiser-1.0.0+s{seed}",
        "patch": plan.patch,
        "max_side": 1024,
        "threshold": 0.5,
        "trained_on": {
            "manifest": str(manifest),
            "images": len(train),
            "seed": seed,
            "steps": steps,
            "final_loss": round(float(np.mean(losses[-20:])), 4),
        },
        "export_max_difference": difference,
    }
    sidecar = out / "localiser.json"
    write_sidecar(sidecar, description)
    description.update(_fit_threshold(out, tune))
    write_sidecar(sidecar, description)
    return onnx_path


def _fit_threshold(
    out: Path, tune: list[tuple[dict[str, object], EditedPhoto]]
) -> dict[str, object]:
    """Threshold from held-back generator output: the 95th percentile of its controls."""
    model = load_model(out, "localiser")
    scores = [heat_and_score(photo.rgb, model)[1] for _, photo in tune]
    edited = [photo.mask is not None for _, photo in tune]
    controls = [s for s, e in zip(scores, edited, strict=True) if not e]
    threshold = float(np.quantile(controls, _CONTROL_QUANTILE)) if controls else 0.5
    return {
        "threshold": round(threshold, 4),
        "tune_images": len(tune),
        "tune_auc": round(roc_auc(scores, edited), 4) if controls and any(edited) else None,
    }
