"""API shapes for evidence items."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from tradeshield.cases.kinds import Party
from tradeshield.evidence.kinds import EvidenceKind
from tradeshield.schema_types import InModel, OutModel, PositiveId


class TextEvidenceIn(InModel):
    case_id: PositiveId
    kind: Literal[EvidenceKind.TEXT, EvidenceKind.CODE_READING]
    submitted_by: Party
    text: str = Field(min_length=1, max_length=20_000)
    details: dict[str, Any] = Field(
        default_factory=dict, description="e.g. code type, reading confidence, source photo id"
    )


class EvidenceOut(OutModel):
    id: int
    case_id: int | None
    merchant_id: int | None
    kind: EvidenceKind
    submitted_by: Party
    sha256: str | None
    media_type: str | None
    size_bytes: int | None
    original_filename: str | None
    text: str | None
    details: dict[str, Any]
    submitted_at: dt.datetime
