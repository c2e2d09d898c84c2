"""Business time of the demo marketplace: a fixed "now", seconds as int64, seasonality.

All business timestamps are derived from ``REFERENCE_NOW`` rather than the wall clock, so
that the same seed gives the same rows on any day. Times are whole seconds since the Unix
epoch (UTC); ``NEVER`` marks an event that does not happen.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from tradeshield.demo.profiles import DATA_DIR
from tradeshield.demo.sampling import Floats, Ints, cumulative, draw

REFERENCE_NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
WINDOW_DAYS = 180
HOUR = 3600
DAY = 24 * HOUR
CHINA_OFFSET = 8 * HOUR
NEVER = np.iinfo(np.int64).max


class Calendar(BaseModel, frozen=True):
    hour_weights: list[float] = Field(min_length=24, max_length=24)
    weekday_factors: list[float] = Field(min_length=7, max_length=7)
    baseline_promo_share: float = Field(ge=0, le=1)
    daily_noise: float = Field(ge=0)
    promos: list[tuple[int, int, int, float, float]]


@lru_cache(maxsize=1)
def calendar() -> Calendar:
    with (DATA_DIR / "calendar.toml").open("rb") as handle:
        return Calendar.model_validate(tomllib.load(handle))


def seconds(moment: dt.datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; demo times are UTC-aware")
    return int(moment.timestamp())


def later(moments: Ints, offsets: Ints | int) -> Ints:
    """``moments`` moved on by ``offsets``; an event that never happens still never does."""
    moved: Ints = np.where(moments == NEVER, NEVER, moments + offsets)
    return moved


def iso(value: int) -> str:
    return dt.datetime.fromtimestamp(value, dt.UTC).isoformat()


def stamps(values: Ints) -> npt.NDArray[np.datetime64]:
    """Seconds as datetime64, with NaT where the event does not happen."""
    moments = values.astype("datetime64[s]")
    moments[values == NEVER] = np.datetime64("NaT")
    return moments


def _local_days(values: Ints) -> npt.NDArray[np.datetime64]:
    return ((values + CHINA_OFFSET) // DAY).astype("datetime64[D]")


@lru_cache(maxsize=1)
def _promo_table() -> tuple[Floats, Floats]:
    """Demand factor and promotion share, indexed by month * 100 + day."""
    cal = calendar()
    factor = np.ones(1300, dtype=np.float64)
    share = np.full(1300, cal.baseline_promo_share, dtype=np.float64)
    for month, first, last, demand, promo_share in cal.promos:
        days = np.arange(month * 100 + first, month * 100 + last + 1)
        factor[days] = demand
        share[days] = promo_share
    return factor, share


def _month_day(days: npt.NDArray[np.datetime64]) -> Ints:
    months = days.astype("datetime64[M]")
    day_of_month = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    month_day: Ints = (months.astype(np.int64) % 12 + 1) * 100 + day_of_month
    return month_day


def promo_share(values: Ints) -> Floats:
    """The share of orders bought on promotion at these moments."""
    return _promo_table()[1][_month_day(_local_days(values))]


def order_times(rng: np.random.Generator, count: int, now: int) -> Ints:
    """``count`` order moments over the local days before ``now``, sorted.

    Demand follows the weekday, the hour of day and the sales calendar, with daily noise.
    """
    cal = calendar()
    last_day = _local_days(np.array([now], dtype=np.int64))[0]
    days = last_day - np.arange(WINDOW_DAYS, 0, -1)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    weights = np.asarray(cal.weekday_factors)[weekday] * _promo_table()[0][_month_day(days)]
    weights *= rng.lognormal(0.0, cal.daily_noise, WINDOW_DAYS)
    per_day = rng.multinomial(count, weights / weights.sum())
    day_of_order = np.repeat(days.astype(np.int64), per_day)
    hour = draw(rng, cumulative(cal.hour_weights), count)
    local = day_of_order * DAY + hour * HOUR + rng.integers(0, HOUR, count)
    return np.sort(local - CHINA_OFFSET)
