"""`train_localiser`: the local-edit localiser, trained on the defect-edit generator's output
made from the calibration half of the source photos (the evaluation half is never seen)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from tradeshield.forensics.evaluation.metrics import roc_auc
from tradeshield.forensics.learned.localiser import cell_probabilities, top_mean
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
_POSITIVE_WEIGHT = 2.0  # edited cells are rarer than untouched ones
_DICE_WEIGHT = 0.5  # the overlap term: rewards maps the shape of the edit, not just its pixels
_PATCH_WEIGHT = 1.0  # the patch-score term (see `_loss`)
_PATCH_TOP_SHARE = 0.01  # hottest cells of a patch averaged into its score
_PATCH_POSITIVE = 0.3  # a patch is edited when some cell is at least this edited
# image score candidates: the share of hottest map cells averaged (the tune split picks one)
_TOP_SHARES = (0.0025, 0.005, 0.01, 0.02, 0.04)
VERSION = "localiser-2.0.0"


@dataclass(frozen=True, slots=True)
class LocaliserPlan:
    patch: int = 160
    batch: int = 12
    epochs: int = 15
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
        pairs = [localiser_patch(photos[int(i)], plan.patch, rng, Localiser.stride) for i in picks]
        inputs = np.stack([p[0] for p in pairs]).transpose(0, 3, 1, 2).astype(np.float32) / 255.0
        targets = np.stack([p[1] for p in pairs])[:, None].astype(np.float32)
        yield inputs, targets


def _loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Weighted BCE per cell, a soft Dice over the batch (a batch of controls only has no
    edited cells; over the batch the Dice term still sees every false alarm), and a BCE on
    each patch's image score (mean of its hottest cells, as ``localise`` scores a photo): the
    few hot cells that make a false alarm cost as much as a missed edit."""
    weight = 1.0 + (_POSITIVE_WEIGHT - 1.0) * (targets > 0).float()
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, targets, weight=weight)
    probabilities = torch.sigmoid(logits)
    overlap = (probabilities * targets).sum()
    dice = 1.0 - (2.0 * overlap + 1.0) / (probabilities.sum() + targets.sum() + 1.0)
    flat = logits.flatten(1)
    top = max(1, int(flat.shape[1] * _PATCH_TOP_SHARE))
    patch_score = flat.topk(top, dim=1).values.mean(dim=1)
    patch_label = (targets.flatten(1).amax(dim=1) >= _PATCH_POSITIVE).float()
    patch = torch.nn.functional.binary_cross_entropy_with_logits(patch_score, patch_label)
    return bce + _DICE_WEIGHT * dice + _PATCH_WEIGHT * patch


def train_localiser(
    out: Path,
    seed: int,
    plan: LocaliserPlan,
    manifests: Sequence[Path] = (),
    progress: Progress | None = None,
) -> Path:
    """Train, export ``OUT/localiser.onnx`` and its sidecar; returns the ONNX path.
    ``manifests``: synth manifests (several chunks may be given), else one is generated."""
    deterministic(seed, threads=1)  # one core of a shared machine
    manifests = list(manifests) or [make_data(out / "data", plan, progress)]
    rows = [row for manifest in manifests for row in read_manifest(manifest)]
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
        "version": f"{VERSION}+s{seed}",
        "patch": plan.patch,
        "stride": Localiser.stride,
        "max_side": 1024,
        "threshold": 0.5,
        "trained_on": {
            "manifests": [str(m) for m in manifests],
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
    """On held-back generator output: the image score (share of hottest cells) with the best
    AUC, then the threshold that 5 % of its untouched controls pass."""
    model = load_model(out, "localiser")
    maps = [cell_probabilities(photo.rgb, model) for _, photo in tune]
    edited = [photo.mask is not None for _, photo in tune]
    if all(edited) or not any(edited):
        return {"tune_images": len(tune), "tune_auc": None}
    by_share = {share: [top_mean(cells, share) for cells in maps] for share in _TOP_SHARES}
    aucs = {share: roc_auc(scores, edited) for share, scores in by_share.items()}
    share = max(_TOP_SHARES, key=lambda s: (aucs[s], s))
    controls = [s for s, e in zip(by_share[share], edited, strict=True) if not e]
    return {
        "threshold": round(float(np.quantile(controls, _CONTROL_QUANTILE)), 4),
        "top_share": share,
        "tune_images": len(tune),
        "tune_auc": round(aucs[share], 4),
        "tune_auc_by_top_share": {str(k): round(v, 4) for k, v in aucs.items()},
    }
