"""Closed sets of the integrity module: tiers, actions, appeal states."""

from __future__ import annotations

import enum


class Tier(enum.StrEnum):
    """From most to least trusted; each tier maps to actions in the policy file."""

    NORMAL = "normal"
    MORE_EVIDENCE = "more_evidence"
    MANUAL_REVIEW = "manual_review"
    PURCHASE_LIMIT = "purchase_limit"
    NO_REFUND_ONLY = "no_refund_only"


TIER_ORDER: tuple[Tier, ...] = tuple(Tier)


class ActionKind(enum.StrEnum):
    REQUIRE_UNBOXING_VIDEO = "require_unboxing_video"
    MANUAL_REVIEW = "manual_review"
    PURCHASE_LIMIT = "purchase_limit"
    NO_REFUND_ONLY = "no_refund_only"


class ActionState(enum.StrEnum):
    ACTIVE = "active"
    LIFTED = "lifted"


class AppealState(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    REJECTED = "rejected"


class RecomputeStage(enum.StrEnum):
    LOAD = "load"
    FEATURES = "features"
    RINGS = "rings"
    SCORES = "scores"
    STORE = "store"
