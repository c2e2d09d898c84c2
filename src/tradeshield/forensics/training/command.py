"""What ``tradeshield forensics train`` runs once torch is known to be importable."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from tradeshield.forensics.training import generated, localiser
from tradeshield.forensics.training.fitting import Progress

MODELS = ("localiser", "generated")


def run(
    model: str,
    out: Path,
    seed: int,
    epochs: int | None,
    tiny: bool,
    data: Sequence[Path],
    progress: Progress | None = None,
) -> Path:
    """Train ``model`` into ``out``; returns the exported ONNX file. ``data``: synth
    manifests for the localiser (none: it generates its own)."""
    if model == "localiser":
        plan = localiser.TINY if tiny else localiser.LocaliserPlan()
        if epochs is not None:
            plan = dataclasses.replace(plan, epochs=epochs)
        return localiser.train_localiser(out, seed, plan, data, progress)
    if data:
        raise ValueError("--data applies to the localiser only")
    gen_plan = generated.TINY if tiny else generated.GeneratedPlan()
    if epochs is not None:
        gen_plan = dataclasses.replace(gen_plan, epochs=epochs)
    return generated.train_generated(out, seed, gen_plan, progress=progress)
