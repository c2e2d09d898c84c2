"""From features to an integrity level, a tier and the reasons behind them (vectorised).

level = 100 / (1 + odds / odds_at_midpoint): 50 where the model's chance of a confirmed
bad outcome equals the policy's midpoint probability. Then the policy's hard rules cap the
level, the guard keeps an account with fewer than ``min_confirmed_for_restrictions``
confirmed bad outcomes out of the restrictive tiers (one bad event does not ruin an
account), and upheld appeals add points back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from tradeshield.integrity.kinds import Tier
from tradeshield.integrity.model import Floats, IntegrityModel
from tradeshield.integrity.policy import IntegrityPolicy

TOP_REASONS = 3
# A contribution smaller than this (in log-odds) is not worth telling anyone about.
MIN_REASON_LOG_ODDS = 0.25
GUARD_CODE = "guard_few_confirmed"
APPEAL_CODE = "upheld_appeal"


@dataclass(frozen=True, slots=True)
class ScoredMarket:
    """Parallel columns, one entry per account."""

    buyer_ids: npt.NDArray[np.int64]
    levels: Floats
    tiers: list[Tier]
    log_odds: Floats
    reason_codes: list[list[str]]  # risk factors first, then rule/guard/appeal codes
    contributions: Floats  # accounts x model features


# A Polars frame (the batch) or plain arrays by name (one account): both index by column.
Columns = pl.DataFrame | Mapping[str, npt.ArrayLike]


def _column(frame: Columns, name: str) -> npt.NDArray[Any]:
    return np.asarray(frame[name])


def _columns(frame: Columns, names: list[str]) -> dict[str, Floats]:
    return {n: _column(frame, n).astype(np.float64) for n in names}


def _levels(log_odds: Floats, policy: IntegrityPolicy) -> Floats:
    midpoint = policy.level.midpoint_probability
    shifted = np.clip(log_odds - math.log(midpoint / (1 - midpoint)), -50, 50)
    return 100.0 / (1.0 + np.exp(shifted))


def score_accounts(
    frame: Columns,
    model: IntegrityModel,
    policy: IntegrityPolicy,
    appeal_bonus_points: dict[int, float] | None = None,
) -> ScoredMarket:
    """Score every row of ``frame`` (features and ring columns, one row per account)."""
    contributions = model.contributions(_columns(frame, model.features))
    log_odds = contributions.sum(axis=1) + model.intercept
    levels = _levels(log_odds, policy)
    codes = _risk_codes(contributions, model.features)
    for rule in policy.hard_rules:
        hit = _column(frame, rule.feature) >= rule.at_least
        levels = np.where(hit, np.minimum(levels, rule.cap), levels)
        for index in np.flatnonzero(hit).tolist():
            codes[index].append(rule.code)
    # A merchant-confirmed mismatch is a confirmed bad outcome too; most also end in a
    # ruling against the buyer on the same return, so the larger count is taken, not the sum.
    confirmed = np.maximum(
        _column(frame, "against_buyer_365d"), _column(frame, "confirmed_mismatches_365d")
    )
    guard_floor = policy.floor_of(Tier.MANUAL_REVIEW)
    guarded = (confirmed < policy.guards.min_confirmed_for_restrictions) & (levels < guard_floor)
    levels = np.where(guarded, guard_floor, levels)
    for index in np.flatnonzero(guarded).tolist():
        codes[index].append(GUARD_CODE)
    buyer_ids = _column(frame, "buyer_id")
    if appeal_bonus_points:
        bonus = np.array([appeal_bonus_points.get(int(b), 0.0) for b in buyer_ids])
        levels = np.minimum(levels + bonus, 100.0)
        for index in np.flatnonzero(bonus > 0).tolist():
            codes[index].append(APPEAL_CODE)
    levels = np.round(levels, 1)
    tiers = [policy.tier_for(float(level)) for level in levels]
    # A normal account is told it is in good standing, not which small signals it has.
    codes = [
        [c for c in found if c == APPEAL_CODE] if tier is Tier.NORMAL else found
        for found, tier in zip(codes, tiers, strict=True)
    ]
    return ScoredMarket(buyer_ids, levels, tiers, log_odds, codes, contributions)


def _risk_codes(contributions: Floats, names: list[str]) -> list[list[str]]:
    """The features that pushed each account's risk up most, strongest first."""
    order = np.argsort(-contributions, axis=1)[:, :TOP_REASONS]
    strongest = np.take_along_axis(contributions, order, axis=1)
    return [
        [names[i] for i, c in zip(row, values, strict=True) if c >= MIN_REASON_LOG_ODDS]
        for row, values in zip(order.tolist(), strongest.tolist(), strict=True)
    ]
