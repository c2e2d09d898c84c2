"""The numbers the reference match decides with, read from ``thresholds.toml`` and checked
once at load. The file's ``version`` is the detector version every result stores."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

THRESHOLDS_FILE = Path(__file__).parent / "thresholds.toml"


class MatchThresholds(BaseModel, frozen=True):
    version: str = Field(min_length=1)
    work_long_side: int = Field(ge=256, le=4096)
    feature_long_side: int = Field(ge=128, le=4096)
    max_features: int = Field(ge=100)
    ratio_test: float = Field(gt=0, lt=1)
    reprojection_px: float = Field(gt=0)
    min_inliers: int = Field(ge=8)
    min_scale: float = Field(gt=0)
    max_scale: float = Field(gt=1)
    max_anisotropy: float = Field(ge=1)
    min_overlap_ratio: float = Field(gt=0, le=1)
    min_inlier_spread: float = Field(gt=0, le=1)
    colour_tolerance: float = Field(gt=0)
    colour_full: float = Field(gt=0)
    texture_tolerance: float = Field(ge=0)
    texture_full: float = Field(gt=0)
    changed_heat: float = Field(gt=0, lt=1)
    min_consistent_ratio: float = Field(gt=0, le=1)
    max_changed_ratio: float = Field(gt=0, le=1)
    min_region_area_ratio: float = Field(gt=0, lt=1)
    proof_region_area_ratio: float = Field(gt=0, lt=1)
    proof_region_extent_ratio: float = Field(gt=0, lt=1)
    proof_region_heat: float = Field(gt=0, le=1)


@lru_cache(maxsize=4)
def load_thresholds(path: Path = THRESHOLDS_FILE) -> MatchThresholds:
    with path.open("rb") as handle:
        thresholds = MatchThresholds.model_validate(tomllib.load(handle))
    if thresholds.colour_full <= thresholds.colour_tolerance:
        raise ValueError(f"{path}: colour_full must exceed colour_tolerance")
    if thresholds.texture_full <= thresholds.texture_tolerance:
        raise ValueError(f"{path}: texture_full must exceed texture_tolerance")
    return thresholds
