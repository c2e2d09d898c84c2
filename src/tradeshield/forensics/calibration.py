"""Turning the fused evidence into a calibrated probability, when a fusion has been fitted.

The noisy-OR of the findings orders photos by how much evidence they carry, but its values
are not probabilities, and it cannot see what a detector measured below its own threshold. A
fitted fusion, written by the forensic lab (``tradeshield forensics calibrate``) into
``policy/calibration.json``, maps it to one. Two kinds:

- ``platt``: ``1 / (1 + exp(-(a * findings + b)))`` on the noisy-OR alone;
- ``logistic``: a logistic model over named *fusion features* — the noisy-OR (``findings``)
  and the detectors' continuous signals (``pixel_model.score``, ...; see `fusion_features`),
  each standardised, with weights that are never negative, so more evidence never lowers the
  probability:

    {"version": "...", "method": "logistic", "features": ["findings", "pixel_model.score"],
     "mean": [...], "scale": [...], "weights": [...], "bias": -0.4,
     "fitted_on": "...", "metrics": {...}, "engine_versions": {...}}

A feature a photo lacks (a PNG has no JPEG history) counts as 0, the value of no evidence.
The file is optional: without it the raw score is reported and the report's versions say
``calibration: none``. A file that is present but malformed is an error at load, never
silently ignored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, model_validator

CALIBRATION_FILE = Path(__file__).parent / "policy" / "calibration.json"
NO_CALIBRATION = "none"
FINDINGS_FEATURE = "findings"  # the noisy-OR of the findings, the raw fused score

Finite = Annotated[float, Field(allow_inf_nan=False)]


def logistic(logit: float) -> float:
    """The logistic written for both signs so exp never overflows, rounded like the raw score."""
    if logit >= 0:
        probability = 1.0 / (1.0 + math.exp(-logit))
    else:
        odds = math.exp(logit)
        probability = odds / (1.0 + odds)
    return round(probability, 4)


class _Fitted(BaseModel, frozen=True):
    version: str = Field(min_length=1)
    fitted_on: str
    metrics: dict[str, Any] = Field(default_factory=dict)
    engine_versions: dict[str, str] = Field(default_factory=dict)


class PlattCalibration(_Fitted, frozen=True):
    method: Literal["platt"]
    a: Finite
    b: Finite

    def apply(self, features: Mapping[str, float]) -> float:
        return logistic(self.a * features.get(FINDINGS_FEATURE, 0.0) + self.b)

    def contributions(self, features: Mapping[str, float]) -> dict[str, float]:
        return {FINDINGS_FEATURE: round(self.a * features.get(FINDINGS_FEATURE, 0.0), 4)}


class LogisticCalibration(_Fitted, frozen=True):
    method: Literal["logistic"]
    features: list[str] = Field(min_length=1)
    mean: list[Finite]
    scale: list[Annotated[float, Field(gt=0, allow_inf_nan=False)]]
    weights: list[Annotated[float, Field(ge=0, allow_inf_nan=False)]]
    bias: Finite

    @model_validator(mode="after")
    def _same_lengths(self) -> LogisticCalibration:
        sizes = {len(self.features), len(self.mean), len(self.scale), len(self.weights)}
        if len(sizes) != 1 or len(set(self.features)) != len(self.features):
            raise ValueError("features, mean, scale and weights must match one to one")
        return self

    def contributions(self, features: Mapping[str, float]) -> dict[str, float]:
        """Each feature's share of the logit (0 at the fitting data's mean), for the report."""
        return {
            name: round(weight * (features.get(name, 0.0) - mean) / scale, 4)
            for name, mean, scale, weight in zip(
                self.features, self.mean, self.scale, self.weights, strict=True
            )
        }

    def apply(self, features: Mapping[str, float]) -> float:
        return logistic(self.bias + sum(self.contributions(features).values()))


Calibration = Annotated[PlattCalibration | LogisticCalibration, Field(discriminator="method")]
FittedFusion = PlattCalibration | LogisticCalibration
_ADAPTER: TypeAdapter[FittedFusion] = TypeAdapter(Calibration)


def load_calibration(path: Path = CALIBRATION_FILE) -> FittedFusion | None:
    """The fitted fusion, or None when the file does not exist. Re-read when the file changes
    (the lab may write it while a server runs)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return _read(path, (status.st_mtime_ns, status.st_size))


@lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple[int, int]) -> FittedFusion:
    del stamp  # part of the cache key only
    try:
        return _ADAPTER.validate_python(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as error:
        raise ValueError(f"{path}: not a valid calibration: {error}") from error


def calibrated(features: Mapping[str, float], calibration: FittedFusion | None) -> float:
    """The probability for a photo's fusion features; the raw score without a calibration."""
    if calibration is None:
        return features.get(FINDINGS_FEATURE, 0.0)
    return calibration.apply(features)


def calibration_version(calibration: FittedFusion | None) -> str:
    return NO_CALIBRATION if calibration is None else calibration.version
