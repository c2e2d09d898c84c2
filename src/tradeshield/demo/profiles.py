"""The demo marketplace's vocabulary and distributions, read from ``data/*.toml``.

Validated when loaded: every industry of ``Industry`` has a profile, claims name real case
kinds and reasons, carriers exist and title templates only use the fields a listing has.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from tradeshield.cases.kinds import CaseKind, ReasonCode
from tradeshield.catalog.industries import Industry

DATA_DIR = Path(__file__).parent / "data"

Pair = tuple[str, str]


class AttributeSpec(BaseModel, frozen=True):
    """One listing attribute: a bilingual choice, an integer range, a flag or a part code."""

    name: str
    kind: Literal["choice", "int", "bool", "code"]
    values: list[Pair] = []
    low: int = 0
    high: int = 0
    p: float = Field(default=0.5, ge=0, le=1)
    prefix: str = ""
    digits: int = 0


class Category(BaseModel, frozen=True):
    zh: str
    en: str
    items: list[Pair] = Field(min_length=1)
    title_zh: str
    title_en: str
    price_factor: float = 1.0
    weight_factor: float = 1.0


class IndustryProfile(BaseModel, frozen=True):
    zh: str
    en: str
    demand_share: float = Field(gt=0)
    shop_words: list[str] = Field(min_length=1)
    case_rate: float = Field(gt=0, lt=0.5)
    price_median_yuan: float = Field(gt=0)
    price_sigma: float = Field(ge=0)
    weight_median_grams: float = Field(ge=0)
    weight_sigma: float = Field(ge=0)
    packaging_grams: int = Field(ge=0)
    promise_hours: int = Field(gt=0)
    ships: bool = True
    carriers: list[str]
    claims: list[tuple[CaseKind, ReasonCode, float]] = Field(min_length=1)
    aspects_zh: list[str] = Field(min_length=1)
    aspects_en: list[str] = Field(min_length=1)
    attributes: list[AttributeSpec]
    categories: list[Category] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> IndustryProfile:
        if self.ships != bool(self.carriers):
            raise ValueError("an industry that ships needs carriers, and only such one")
        if not any(kind is CaseKind.REFUND_ONLY for kind, _, _ in self.claims):
            raise ValueError("every industry needs at least one refund-only claim")
        fields = {"item_zh": "", "item_en": ""}
        for spec in self.attributes:
            fields[spec.name] = fields[f"{spec.name}_zh"] = ""
        for category in self.categories:
            category.title_zh.format(**fields)
            category.title_en.format(**fields)
        return self


class CarrierProfile(BaseModel, frozen=True):
    name: str
    transit_hours: float = Field(gt=0)
    delay_rate: float = Field(ge=0, lt=1)
    stall_rate: float = Field(ge=0, lt=1)
    tracking_prefix: str
    tracking_digits: int = Field(ge=9, le=15)


class Logistics(BaseModel, frozen=True):
    carriers: list[CarrierProfile] = Field(min_length=1)
    cities: list[tuple[str, str, float]] = Field(min_length=2)
    districts: list[str] = Field(min_length=1)
    roads: list[str] = Field(min_length=1)
    delay_notes: list[str] = Field(min_length=1)
    delivered_notes: list[str] = Field(min_length=1)
    lost_note: str
    damaged_note: str

    def carrier_index(self, name: str) -> int:
        return [carrier.name for carrier in self.carriers].index(name)


class ReviewTexts(BaseModel, frozen=True):
    good_open: list[str] = Field(min_length=1)
    good_close: list[str] = Field(min_length=1)
    mixed_open: list[str] = Field(min_length=1)
    mixed_close: list[str] = Field(min_length=1)
    bad_open: list[str] = Field(min_length=1)
    bad_close: list[str] = Field(min_length=1)
    bad_aspects: list[str] = Field(min_length=1)


class Texts(BaseModel, frozen=True):
    shop_prefixes: list[str] = Field(min_length=1)
    shop_suffixes: list[str] = Field(min_length=1)
    claims: dict[Literal["zh", "en"], dict[ReasonCode, list[str]]]
    reviews: dict[Literal["zh", "en"], ReviewTexts]
    platform_notes: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_reason_described(self) -> Texts:
        for language, by_reason in self.claims.items():
            missing = set(ReasonCode) - set(by_reason)
            if missing:
                raise ValueError(f"claims.{language} lacks {sorted(missing)}")
        return self


def _read(name: str) -> dict[str, object]:
    with (DATA_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def industries() -> dict[Industry, IndustryProfile]:
    """Every industry's profile, in the order of the ``Industry`` enum."""
    raw = _read("industries.toml")
    profiles = {
        industry: IndustryProfile.model_validate(raw[industry.value]) for industry in Industry
    }
    carriers = {carrier.name for carrier in logistics().carriers}
    for industry, profile in profiles.items():
        unknown = set(profile.carriers) - carriers
        if unknown:
            raise ValueError(f"{industry.value} names unknown carriers {sorted(unknown)}")
    return profiles


@lru_cache(maxsize=1)
def logistics() -> Logistics:
    return Logistics.model_validate(_read("logistics.toml"))


@lru_cache(maxsize=1)
def texts() -> Texts:
    return Texts.model_validate(_read("texts.toml"))
