"""Loading a shipped ONNX model once, with its sidecar description, and running it.

Each model ``weights/<name>.onnx`` has ``weights/<name>.json``: its version, what it expects
and the operating threshold fitted on data held out from training. Sessions use one intra-op
thread: the service runs several photos side by side, not one photo on every core.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort  # type: ignore[import-untyped]

from tradeshield.forensics.findings import Finding, Region, Strength, catalogue_finding

WEIGHTS_DIR = Path(__file__).parent / "weights"
MODEL_NAMES = ("localiser", "generated")
Floats = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    version: str
    threshold: float  # image score at or above which a finding is reported
    patch: int  # side of the square crops the model was trained on
    max_side: int  # the longest side the model is run at
    stride: int = 8  # input pixels per output cell, for a model that returns a map
    top_share: float = 0.01  # share of hottest map cells averaged into the image score


def read_info(path: Path) -> ModelInfo:
    """The sidecar of a model, validated: a wrong or partial file fails at load, not later."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    try:
        info = ModelInfo(
            name=str(raw["name"]),
            version=str(raw["version"]),
            threshold=float(raw["threshold"]),
            patch=int(raw["patch"]),
            max_side=int(raw["max_side"]),
            stride=int(raw.get("stride", 8)),
            top_share=float(raw.get("top_share", 0.01)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: invalid model description ({exc})") from exc
    if not 0.0 <= info.threshold <= 1.0 or info.patch < 16 or info.max_side < info.patch:
        raise ValueError(f"{path}: threshold, patch or max_side out of range")
    if info.stride not in (1, 2, 4, 8) or not 0.0 < info.top_share <= 1.0:
        raise ValueError(f"{path}: stride or top_share out of range")
    return info


class Model:
    """An ONNX session with one input ``x`` (N x 3 x H x W) and one output."""

    def __init__(self, onnx_path: Path, info: ModelInfo) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.info = info
        self._session = ort.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )

    def run(self, batch: Floats) -> Floats:
        (output,) = self._session.run(None, {"x": np.ascontiguousarray(batch, np.float32)})
        return np.asarray(output, dtype=np.float32)


def load_model(directory: Path, name: str) -> Model:
    return Model(directory / f"{name}.onnx", read_info(directory / f"{name}.json"))


@lru_cache(maxsize=len(MODEL_NAMES))
def shipped(name: str) -> Model:
    """The shipped model ``name``, loaded on first use and kept."""
    if name not in MODEL_NAMES:
        raise KeyError(name)
    return load_model(WEIGHTS_DIR, name)


def model_versions() -> dict[str, str]:
    """Versions of the shipped models, for reports (reads only the small sidecars)."""
    return {name: read_info(WEIGHTS_DIR / f"{name}.json").version for name in MODEL_NAMES}


def to_batch(rgb: npt.NDArray[np.uint8]) -> Floats:
    """H x W x 3 bytes -> 1 x 3 x H x W floats in 0..1, the input both models take."""
    chw = np.transpose(rgb[..., :3], (2, 0, 1)).astype(np.float32) / 255.0
    return chw[None]


MODERATE_MARGIN = 0.25  # a score this far above the threshold makes the finding MODERATE


def threshold_findings(
    detector: str, code: str, score: float, info: ModelInfo, region: Region | None = None
) -> list[Finding]:
    """No finding under the model's threshold; WEAK at it, MODERATE well above it. A blind
    model never reports more than MODERATE."""
    if score < info.threshold:
        return []
    strong = score >= min(1.0, info.threshold + MODERATE_MARGIN)
    return [
        catalogue_finding(
            detector,
            code,
            Strength.MODERATE if strong else Strength.WEAK,
            round(score, 4),
            region=region,
            details={"model_version": info.version},
            domain="forensics_models",
        )
    ]
