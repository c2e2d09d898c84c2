"""Source-disjoint splits of the public forensic set for the AI-generation detector (no torch).

Each generator, camera model and benchmark sits wholly on one side. Training uses only sets
whose licences allow commercial use of the weights (``declan_*`` MIT; ``kolors_*``, ``sdxl_*``,
``midjourney_*`` Apache-2.0; ``stablediffusion_*`` MIT; ``mei_*`` free; ``photoholmes_*``
Apache-2.0). The research-only sets (GAN images and their sources, CocoGlide, TruFor) are for
evaluation only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

DATASET = Path("../shared/datasets/forensics")
# generators held out of training: the model is scored on these (and on the GAN families)
HELD_OUT_GENERATORS = ("sdxl_", "midjourney_", "stablediffusion_")
TRAIN_GENERATORS = ("declan_", "kolors_")
_COMMERCIAL_REAL = ("declan_", "mei_", "photoholmes_")


@dataclass(frozen=True, slots=True)
class Labelled:
    path: Path
    generated: bool
    group: str  # the generator, camera model or benchmark the file comes from


def camera_group(name: str) -> str:
    """``mei_Canon_PowerShot_G2_3.jpg`` -> ``mei_Canon_PowerShot_G2``: one camera model."""
    stem = Path(name).stem
    return re.sub(r"(_\d+)+$", "", stem) if stem.startswith("mei_") else stem.split("_")[0]


def held_out_camera(group: str) -> bool:
    """A third of the camera models, by a hash of the model, never seen in training."""
    return group.startswith("mei_") and hashlib.sha256(group.encode()).digest()[0] % 3 == 0


def generated_split(root: Path = DATASET) -> tuple[list[Labelled], list[Labelled]]:
    """(train, held-out) for the generated-image detector; both commercially usable only."""
    train: list[Labelled] = []
    held: list[Labelled] = []
    for path in sorted((root / "ai_generated" / "diffusion").iterdir()):
        item = Labelled(path, True, path.name.split("_")[0])
        if path.name.startswith(TRAIN_GENERATORS):
            train.append(item)
        elif path.name.startswith(HELD_OUT_GENERATORS):
            held.append(item)
    for path in sorted((root / "real" / "camera").iterdir()):
        if not path.name.startswith(_COMMERCIAL_REAL):
            continue
        group = camera_group(path.name)
        (held if held_out_camera(group) else train).append(Labelled(path, False, group))
    return train, held


def research_gan_split(root: Path = DATASET) -> list[Labelled]:
    """GAN images and real photos of the same sources: evaluation only (CC BY-NC-SA 4.0)."""
    fakes = sorted((root / "ai_generated" / "gan").iterdir())
    reals = sorted((root / "real" / "gan_sources").iterdir())
    return [Labelled(p, True, "gan") for p in fakes] + [Labelled(p, False, "gan") for p in reals]
