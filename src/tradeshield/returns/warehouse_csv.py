"""Warehouse CSV of unit evidence: one row per unit, parsed into ``UnitEvidenceIn``.

Columns: order_id, stage, and any of shipment_id, unit_index, serial, serial_format,
anti_counterfeit_code, seal_id, seal_intact, weight (with its unit: "1.2 kg"), weight_unit,
dimensions_mm ("300x200x80"), photos ("front:<sha256>;back:<sha256>"),
packing_video_sha256, accessories ("charger;cable"), damage_noted. Pure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tradeshield.errors import Invalid
from tradeshield.returns.schemas import UnitEvidenceIn

REQUIRED = ("order_id", "stage")
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n"}


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int
    unit: UnitEvidenceIn | None
    error: str | None


def _flag(text: str) -> bool | None:
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    if not low:
        return None
    raise ValueError(f"{text!r} is not yes/no")


def _fields(raw: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v.strip() for k, v in raw.items() if k and v and v.strip()}
    for name in ("order_id", "shipment_id", "unit_index"):
        if name in data:
            if not data[name].isdigit():
                raise ValueError(f"{name}: {data[name]!r} is not a whole number")
            data[name] = int(data[name])
    for name in ("seal_intact", "damage_noted"):
        if name in data:
            data[name] = _flag(data[name])
    if "dimensions_mm" in data:
        data["dimensions_mm"] = [int(p) for p in data["dimensions_mm"].lower().split("x")]
    if "photos" in data:
        pairs = [item.split(":", 1) for item in data["photos"].split(";") if item]
        data["photos"] = [{"angle": a.strip(), "sha256": s.strip()} for a, s in pairs]
    if "accessories" in data:
        data["accessories"] = [a for a in data["accessories"].split(";") if a.strip()]
    return data


def _first_error(exc: ValidationError) -> str:
    return Invalid.first_of(exc).detail


def read_rows(text: str) -> Iterator[CsvRow]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        yield CsvRow(1, None, f"header lacks column(s): {', '.join(missing)}")
        return
    for raw in reader:
        line = reader.line_num
        try:
            yield CsvRow(line, UnitEvidenceIn.model_validate(_fields(raw)), None)
        except ValidationError as exc:
            yield CsvRow(line, None, _first_error(exc))
        except ValueError as exc:
            yield CsvRow(line, None, str(exc))
