"""The integrity model: L2-regularised logistic regression, small enough to read.

It estimates the chance that an account gets a confirmed bad outcome (a ruling that holds
the buyer liable) in the coming weeks, from its features as of today. Every score can be
taken apart: a feature's contribution is its weight times its standardised value, and the
contributions plus the intercept are the log-odds. Trained by Newton's method in NumPy,
stored as JSON, so scoring needs nothing beyond NumPy.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

MODEL_PATH = Path(__file__).parent / "model" / "integrity_model.json"

# Counts and money are spread over orders of magnitude: the model sees log(1 + x).
LOG_FEATURES = (
    "orders_30d", "orders_365d", "refund_only_30d", "refund_only_90d", "refund_only_365d",
    "claims_90d", "claims_365d", "returns_365d", "against_buyer_365d",
    "returns_ruled_against_365d", "mismatches_found_365d", "confirmed_mismatches_365d",
    "confirmed_forgeries_365d", "forgery_suspected_365d", "category_spread_365d",
    "burst_orders", "decayed_against", "decayed_orders",
    "claimed_minor_90d", "ring_size", "account_age_days",
)  # fmt: skip
LINEAR_FEATURES = (
    "refund_only_rate_90d", "refund_only_rate_365d", "ruled_against_share_365d",
    "claim_to_order_value_365d", "quick_claim_share_365d", "night_share_365d",
    "ring_abuse_share",
)  # fmt: skip
MODEL_FEATURES = LOG_FEATURES + LINEAR_FEATURES


@dataclass(frozen=True, slots=True)
class IntegrityModel:
    version: str
    features: list[str]
    log_features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    intercept: float
    l2: float
    trained_on: dict[str, Any]
    metrics: dict[str, Any]

    def transform(self, columns: dict[str, Floats]) -> Floats:
        """The standardised model inputs, one row per account."""
        logged = set(self.log_features)
        raw = np.column_stack(
            [
                np.log1p(np.maximum(columns[n], 0.0)) if n in logged else columns[n]
                for n in self.features
            ]
        )
        standardised: Floats = (raw - np.asarray(self.mean)) / np.asarray(self.scale)
        return standardised

    def contributions(self, columns: dict[str, Floats]) -> Floats:
        weighted: Floats = self.transform(columns) * np.asarray(self.weights)
        return weighted

    def log_odds(self, columns: dict[str, Floats]) -> Floats:
        total: Floats = self.contributions(columns).sum(axis=1) + self.intercept
        return total

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"


def load_model(path: Path = MODEL_PATH) -> IntegrityModel:
    return IntegrityModel(**json.loads(path.read_text(encoding="utf-8")))


def _fit_newton(x: Floats, y: Floats, l2: float, rounds: int = 50) -> tuple[Floats, float]:
    design = np.column_stack([x, np.ones(len(x))])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(rounds):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty) + 1e-9
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def fit(
    columns: dict[str, Floats],
    outcome: npt.NDArray[np.bool_],
    version: str,
    l2: float,
    trained_on: dict[str, Any],
) -> IntegrityModel:
    """Fit on ``columns`` (MODEL_FEATURES) against confirmed outcomes (True = bad)."""
    names = list(MODEL_FEATURES)
    shell = IntegrityModel(
        version, names, list(LOG_FEATURES), [0.0] * len(names), [1.0] * len(names),
        [0.0] * len(names), 0.0, l2, trained_on, {},
    )  # fmt: skip
    raw = shell.transform(columns)
    mean, scale = raw.mean(axis=0), raw.std(axis=0)
    scale[scale == 0] = 1.0
    weights, intercept = _fit_newton((raw - mean) / scale, outcome.astype(np.float64), l2)
    return IntegrityModel(
        version, names, list(LOG_FEATURES), mean.tolist(), scale.tolist(), weights.tolist(),
        intercept, l2, trained_on, {},
    )  # fmt: skip
