"""API shapes of the integrity module."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tradeshield.integrity.kinds import ActionKind, ActionState, AppealState, Tier


class _FromRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ReasonOut(BaseModel):
    code: str
    zh: str
    en: str


class ScoreOut(_FromRow):
    id: int
    buyer_id: int
    level: float
    tier: Tier
    log_odds: float
    ring_key: str | None
    reasons: list[ReasonOut]
    inputs: dict[str, float]
    versions: dict[str, Any]
    as_of: dt.datetime
    computed_at: dt.datetime


class ScoreBriefOut(_FromRow):
    id: int
    buyer_id: int
    level: float
    tier: Tier
    reasons: list[ReasonOut]
    computed_at: dt.datetime


class ActionOut(_FromRow):
    id: int
    buyer_id: int
    kind: ActionKind
    state: ActionState
    score_id: int | None
    created_at: dt.datetime
    lifted_at: dt.datetime | None
    lifted_because: str | None


class AppealIn(BaseModel):
    action_id: int
    statement: str = Field(min_length=1, max_length=4000)


class AppealDecisionIn(BaseModel):
    upheld: bool
    note: str = Field(default="", max_length=4000)


class AppealOut(_FromRow):
    id: int
    buyer_id: int
    action_id: int
    statement: str
    state: AppealState
    decision_note: str
    decided_by: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


class LinkedAccountOut(BaseModel):
    buyer_id: int
    shared: list[str]
    level: float | None
    tier: Tier | None


class AccountOut(BaseModel):
    buyer_id: int
    tier: Tier
    level: float | None
    score: ScoreOut | None
    history: list[ScoreBriefOut]
    actions: list[ActionOut]
    appeals: list[AppealOut]
    linked: list[LinkedAccountOut]


class RingBriefOut(_FromRow):
    id: int
    ring_key: str
    size: int
    component_size: int
    confirmed_members: int
    abuse_share: float
    claimed_minor_365d: int
    computed_at: dt.datetime


class RingOut(RingBriefOut):
    member_ids: list[int]
    edges: list[list[Any]]
    versions: dict[str, Any]


class QueueOut(BaseModel):
    total: int
    items: list[ScoreBriefOut]
