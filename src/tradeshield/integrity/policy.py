"""The integrity policy: tiers, actions, hard rules and ring settings, from versioned TOML.

The file is validated when it is loaded; a bad file fails loudly instead of scoring with
half a policy.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tradeshield.errors import Invalid
from tradeshield.integrity.kinds import TIER_ORDER, ActionKind, Tier

POLICY_PATH = Path(__file__).parent / "policy" / "integrity_policy.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimePolicy(_Strict):
    local_utc_offset_hours: int = Field(ge=-12, le=14)
    night_start_hour: int = Field(ge=0, le=23)
    night_end_hour: int = Field(ge=0, le=24)
    half_life_days: float = Field(gt=0)
    new_account_days: int = Field(ge=1)


class LevelPolicy(_Strict):
    midpoint_probability: float = Field(gt=0, lt=1)


class TierFloors(_Strict):
    normal: float = Field(ge=0, le=100)
    more_evidence: float = Field(ge=0, le=100)
    manual_review: float = Field(ge=0, le=100)
    purchase_limit: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _descending(self) -> TierFloors:
        floors = [self.normal, self.more_evidence, self.manual_review, self.purchase_limit]
        if floors != sorted(floors, reverse=True):
            raise ValueError("tier floors must fall from normal to purchase_limit")
        return self


class Guards(_Strict):
    min_confirmed_for_restrictions: int = Field(ge=1)
    upheld_appeal_bonus: float = Field(ge=0, le=100)


class HardRule(_Strict):
    code: str
    feature: str
    at_least: float
    cap: float = Field(ge=0, le=100)


class RingPolicy(_Strict):
    identifier_weights: dict[str, float]
    max_accounts_per_identifier: int = Field(ge=2)
    co_purchase_hours: float = Field(gt=0)
    co_purchase_min_shared: int = Field(ge=1)
    co_purchase_weight: float = Field(ge=0)
    min_ring_size: int = Field(ge=2)
    leiden_resolution: float = Field(gt=0)
    leiden_iterations: int = Field(ge=1, le=50)


class QueuePolicy(_Strict):
    min_tier: Tier


class IntegrityPolicy(_Strict):
    version: str = Field(min_length=1)
    time: TimePolicy
    level: LevelPolicy
    tiers: TierFloors
    actions: dict[Tier, list[ActionKind]]
    guards: Guards
    hard_rules: list[HardRule]
    rings: RingPolicy
    queue: QueuePolicy

    @model_validator(mode="after")
    def _every_tier_has_actions(self) -> IntegrityPolicy:
        missing = [t.value for t in TIER_ORDER if t not in self.actions]
        if missing:
            raise ValueError(f"actions missing for tiers {missing}")
        return self

    def tier_for(self, level: float) -> Tier:
        floors = self.tiers
        pairs = (
            (floors.normal, Tier.NORMAL),
            (floors.more_evidence, Tier.MORE_EVIDENCE),
            (floors.manual_review, Tier.MANUAL_REVIEW),
            (floors.purchase_limit, Tier.PURCHASE_LIMIT),
        )
        for floor, tier in pairs:
            if level >= floor:
                return tier
        return Tier.NO_REFUND_ONLY

    def floor_of(self, tier: Tier) -> float:
        """The lowest level inside ``tier`` (0 for the last one)."""
        return float(getattr(self.tiers, tier.value, 0.0))


def parse_policy(text: str) -> IntegrityPolicy:
    try:
        return IntegrityPolicy.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise Invalid(f"integrity policy is not valid: {exc}") from exc


@lru_cache(maxsize=4)
def load_policy(path: Path = POLICY_PATH) -> IntegrityPolicy:
    return parse_policy(path.read_text(encoding="utf-8"))
