"""Turning the fused score into a calibrated probability, when a calibration has been fitted.

The fusion's noisy-OR score orders photos by how much evidence they carry, but its values are
not probabilities. A Platt calibration (a logistic curve ``1 / (1 + exp(-(a*s + b)))`` fitted
on labelled photos that the weights were not tuned on) maps it to one. The fitted curve lives
in ``policy/calibration.json``, written by the forensic lab, not by hand:

    {"version": "...", "method": "platt", "a": 7.1, "b": -3.2,
     "fitted_on": "...", "metrics": {...}}

The file is optional: without it the raw score is reported and the report's versions say
``calibration: none``. A file that is present but malformed is an error at load, never
silently ignored.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

CALIBRATION_FILE = Path(__file__).parent / "policy" / "calibration.json"
NO_CALIBRATION = "none"


class PlattCalibration(BaseModel, frozen=True):
    version: str = Field(min_length=1)
    method: Literal["platt"]
    a: float = Field(allow_inf_nan=False)
    b: float = Field(allow_inf_nan=False)
    fitted_on: str
    metrics: dict[str, Any] = Field(default_factory=dict)

    def apply(self, raw_score: float) -> float:
        """The calibrated probability for a raw fused score, rounded like the raw one."""
        logit = self.a * raw_score + self.b
        # the logistic written for both signs so exp never overflows
        if logit >= 0:
            probability = 1.0 / (1.0 + math.exp(-logit))
        else:
            odds = math.exp(logit)
            probability = odds / (1.0 + odds)
        return round(probability, 4)


def load_calibration(path: Path = CALIBRATION_FILE) -> PlattCalibration | None:
    """The fitted calibration, or None when the file does not exist. Re-read when the file
    changes (the lab may write it while a server runs)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return _read(path, (status.st_mtime_ns, status.st_size))


@lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple[int, int]) -> PlattCalibration:
    del stamp  # part of the cache key only
    try:
        return PlattCalibration.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as error:
        raise ValueError(f"{path}: not a valid calibration: {error}") from error


def calibrated(raw_score: float, calibration: PlattCalibration | None) -> float:
    return raw_score if calibration is None else calibration.apply(raw_score)


def calibration_version(calibration: PlattCalibration | None) -> str:
    return NO_CALIBRATION if calibration is None else calibration.version
