"""Training data from confirmed outcomes only, by time: features as of a cut-off, outcome
after it.

The outcome of an account is whether a ruling made in the ``horizon_days`` after the cut-off
holds the buyer liable - something the platform itself decided and stored. The demo's
hidden labels are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from tradeshield.integrity.features import DAY
from tradeshield.integrity.frames import MarketFrames
from tradeshield.integrity.model import Floats, IntegrityModel, fit
from tradeshield.integrity.pipeline import featurise
from tradeshield.integrity.policy import IntegrityPolicy


@dataclass(frozen=True, slots=True)
class TrainingSet:
    cutoff: int
    horizon_days: int
    buyer_ids: npt.NDArray[np.int64]
    columns: dict[str, Floats]
    outcome: npt.NDArray[np.bool_]


def confirmed_after(frames: MarketFrames, start: int, end: int) -> pl.DataFrame:
    """Accounts with a ruling against them made in (start, end]."""
    ruled = pl.col("ruled_s")
    return (
        frames.claims.filter(pl.col("against_buyer") & (ruled > start) & (ruled <= end))
        .select("buyer_id")
        .unique()
        .with_columns(pl.lit(True).alias("bad"))
    )


def training_set(
    frames: MarketFrames, policy: IntegrityPolicy, horizon_days: int, features: list[str]
) -> TrainingSet:
    end = frames.latest_event_s()
    cutoff = end - horizon_days * DAY
    table, _ = featurise(frames, cutoff, policy)
    labelled = table.join(confirmed_after(frames, cutoff, end), on="buyer_id", how="left")
    outcome = labelled["bad"].fill_null(False).to_numpy().astype(bool)
    columns = {n: labelled[n].to_numpy().astype(np.float64) for n in features}
    ids = labelled["buyer_id"].to_numpy()
    return TrainingSet(cutoff, horizon_days, ids, columns, outcome)


def train(data: TrainingSet, version: str, l2: float, source: dict[str, object]) -> IntegrityModel:
    trained_on = {
        **source,
        "cutoff": data.cutoff,
        "horizon_days": data.horizon_days,
        "accounts": len(data.outcome),
        "positives": int(data.outcome.sum()),
    }
    return fit(data.columns, data.outcome, version, l2, trained_on)
