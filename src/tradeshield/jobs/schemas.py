"""API shapes for jobs."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from tradeshield.jobs.kinds import JobState
from tradeshield.schema_types import InModel, OutModel


class JobIn(InModel):
    name: Literal["cases.sweep_deadlines"]
    payload: dict[str, Any] = Field(default_factory=dict)


class JobOut(OutModel):
    id: int
    name: str
    state: JobState
    progress: float
    result: dict[str, Any]
    error: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
