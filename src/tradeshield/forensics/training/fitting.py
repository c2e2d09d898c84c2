"""The training loop, deterministic settings and the ONNX export shared by both models."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime as ort  # type: ignore[import-untyped]
import torch
from torch import nn

Progress = Callable[[int, int], None]
Batch = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]
_EXPORT_TOLERANCE = 1e-3  # largest |ONNX - torch| logit difference accepted


def deterministic(seed: int, threads: int) -> None:
    """Same seed, same weights: seeded torch, deterministic kernels and a fixed number of CPU
    threads (the thread count fixes the order of floating-point sums, so it is part of what
    a model card's command reproduces)."""
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)


def fit(
    model: nn.Module,
    batches: Iterator[Batch],
    steps: int,
    loss_of: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    progress: Progress | None = None,
    learning_rate: float = 2e-3,
) -> list[float]:
    """Adam with cosine decay over ``steps`` batches; returns the loss of every step."""
    optimiser = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=max(1, steps))
    model.train()
    losses = []
    for step in range(steps):
        inputs, targets = next(batches)
        optimiser.zero_grad()
        loss = loss_of(model(torch.from_numpy(inputs)), torch.from_numpy(targets))
        loss.backward()  # type: ignore[no-untyped-call]
        optimiser.step()
        schedule.step()
        losses.append(float(loss.detach()))
        if progress is not None:
            progress(step + 1, steps)
    model.eval()
    return losses


def export(model: nn.Module, onnx_path: Path, example: npt.NDArray[np.float32]) -> float:
    """Write ``model`` as ONNX (batch, height and width free) and check ONNX Runtime gives the
    torch outputs on ``example``; returns the largest difference."""
    model.eval()
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter announces its deprecation
        torch.onnx.export(
            model,
            (torch.from_numpy(example),),
            str(onnx_path),
            dynamo=False,
            input_names=["x"],
            output_names=["y"],
            dynamic_axes={"x": {0: "n", 2: "h", 3: "w"}, "y": {0: "n"}},
            opset_version=17,
        )
    with torch.no_grad():
        expected = model(torch.from_numpy(example)).numpy()
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {"x": example})
    difference = float(np.abs(np.asarray(got) - expected).max())
    if difference > _EXPORT_TOLERANCE:
        raise RuntimeError(f"ONNX output differs from torch by {difference:.2e}")
    return difference


def write_sidecar(path: Path, description: dict[str, Any]) -> None:
    path.write_text(json.dumps(description, indent=2, sort_keys=True) + "\n", encoding="utf-8")
