"""The versioned tables the provenance detector reads (``signals.toml``, ``software.toml``),
validated once at first use, and the one way a provenance finding is built from them."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tradeshield.forensics.findings import Finding, Region, Strength
from tradeshield.i18n.catalog import reason

DETECTOR = "provenance"
_HERE = Path(__file__).parent
_SOFTWARE_KINDS = ("ai_generator", "ai_editor", "editor", "converter")


@dataclass(frozen=True, slots=True)
class SoftwareEntry:
    name: str
    kind: str  # one of _SOFTWARE_KINDS
    patterns: tuple[re.Pattern[str], ...]
    group: bool  # several products under one entry: show the matched text, not `name`


@dataclass(frozen=True, slots=True)
class ThumbnailSettings:
    search_side: int
    compare_side: int
    aligned_median: float
    cell_changed: float
    different_correlation: float


@dataclass(frozen=True, slots=True)
class SignalTables:
    version: str
    weights: dict[str, tuple[Strength, float]]
    source_types: dict[str, str]
    content_actions: frozenset[str]
    benign_actions: frozenset[str]
    c2pa_failures: dict[str, str]
    generator_keys: frozenset[str]
    checked_keys: frozenset[str]
    markers: tuple[str, ...]
    strong_markers: tuple[str, ...]
    thumbnail: ThumbnailSettings
    software: tuple[SoftwareEntry, ...]
    software_version: str


@lru_cache(maxsize=1)
def tables() -> SignalTables:
    """Both tables, checked: an unknown strength, kind or finding code fails at load."""
    signals = tomllib.loads((_HERE / "signals.toml").read_text(encoding="utf-8"))
    software = tomllib.loads((_HERE / "software.toml").read_text(encoding="utf-8"))
    weights = {
        code: (Strength(entry["strength"]), _unit(float(entry["score"]), code))
        for code, entry in signals["findings"].items()
    }
    failures = {str(k): str(v) for k, v in signals["c2pa_failures"].items()}
    _require_codes(weights, failures.values())
    generator = signals["generator_text"]
    thumbnail = signals["thumbnail"]
    return SignalTables(
        version=str(signals["version"]),
        weights=weights,
        source_types={str(k): str(v) for k, v in signals["source_types"].items()},
        content_actions=frozenset(signals["c2pa_actions"]["content"]),
        benign_actions=frozenset(signals["c2pa_actions"]["benign"]),
        c2pa_failures=failures,
        generator_keys=frozenset(key.lower() for key in generator["keys"]),
        checked_keys=frozenset(key.lower() for key in generator["checked_keys"]),
        markers=tuple(generator["markers"]),
        strong_markers=tuple(generator["strong_markers"]),
        thumbnail=ThumbnailSettings(
            search_side=int(thumbnail["search_side"]),
            compare_side=int(thumbnail["compare_side"]),
            aligned_median=float(thumbnail["aligned_median"]),
            cell_changed=float(thumbnail["cell_changed"]),
            different_correlation=float(thumbnail["different_correlation"]),
        ),
        software=tuple(_software_entry(entry) for entry in software["software"]),
        software_version=str(software["version"]),
    )


def make_finding(
    code: str,
    *,
    details: dict[str, Any] | None = None,
    region: Region | None = None,
    **params: Any,
) -> Finding:
    """A provenance finding with the strength and score the table gives ``code``."""
    strength, score = tables().weights[code]
    return Finding(
        detector=DETECTOR,
        code=code,
        strength=strength,
        score=score,
        reason=reason(code, domain="forensics", **params),
        region=region,
        details=details or {},
    )


def _software_entry(entry: dict[str, Any]) -> SoftwareEntry:
    kind = str(entry["kind"])
    if kind not in _SOFTWARE_KINDS:
        raise ValueError(f"software.toml: {entry['name']!r} has unknown kind {kind!r}")
    patterns = tuple(re.compile(str(p), re.IGNORECASE) for p in entry["patterns"])
    return SoftwareEntry(str(entry["name"]), kind, patterns, bool(entry.get("group", False)))


def _unit(score: float, code: str) -> float:
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"signals.toml: score of {code!r} must lie in 0..1")
    return score


def _require_codes(weights: dict[str, Any], codes: Any) -> None:
    missing = sorted(set(codes) - set(weights))
    if missing:
        raise ValueError(f"signals.toml: no weight for {', '.join(missing)}")
