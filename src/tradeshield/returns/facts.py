"""Plain values the pure decisions work on, built by the service from stored rows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class UnitFacts:
    serial: str | None = None
    anti_counterfeit_code: str | None = None
    seal_id: str | None = None
    seal_intact: bool | None = None
    weight_grams: int | None = None
    accessories: frozenset[str] = field(default_factory=frozenset)
    damage_noted: bool = False
    photo_count: int = 0


@dataclass(frozen=True, slots=True)
class PhotoComparison:
    angle: str
    inliers: int
    inlier_share: float
    same_unit: bool


@dataclass(frozen=True, slots=True)
class ReturnTrip:
    """What the courier saw of the return parcel."""

    pickup_weight_grams: int | None
    arrival_weight_grams: int | None
    damage_scans: int
    outbound_declared_grams: int | None
