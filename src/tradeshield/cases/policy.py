"""The versioned deadline policy for cases, validated when it is loaded."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, PositiveInt

from tradeshield.cases.kinds import CaseState

POLICY_FILE = Path(__file__).parent / "policy" / "deadlines.toml"


class DeadlinePolicy(BaseModel, frozen=True):
    version: str = Field(min_length=1)
    max_appeals: int = Field(ge=0)
    hours: dict[CaseState, PositiveInt]

    def deadline_after(self, state: CaseState, start: dt.datetime) -> dt.datetime | None:
        hours = self.hours.get(state)
        return None if hours is None else start + dt.timedelta(hours=hours)


@lru_cache(maxsize=4)
def load_policy(path: Path = POLICY_FILE) -> DeadlinePolicy:
    with path.open("rb") as handle:
        return DeadlinePolicy.model_validate(tomllib.load(handle))
