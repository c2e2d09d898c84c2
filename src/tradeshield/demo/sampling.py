"""Seeded random streams and the few distributions the generator draws from.

Every stage of the generator takes its own stream, keyed by (seed, stage, chunk), so that
one stage drawing more numbers never shifts what another stage draws.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


def stream(seed: int, *keys: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *keys])))


def cumulative(weights: npt.ArrayLike) -> Floats:
    """Normalised running sum, for drawing with ``draw``."""
    running = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.asarray(running / running[-1], dtype=np.float64)


def draw(rng: np.random.Generator, cum: Floats, size: int) -> Ints:
    """Indices drawn with the probabilities behind ``cum``."""
    picked = np.searchsorted(cum, rng.random(size), side="right")
    return np.minimum(picked, len(cum) - 1).astype(np.int64)


def lognormal(rng: np.random.Generator, median: float, sigma: float, size: int) -> Floats:
    return rng.lognormal(np.log(median), sigma, size)


def hours(values: Floats) -> Ints:
    """Hours as whole seconds."""
    return np.rint(values * 3600.0).astype(np.int64)


def retail_fen(yuan: Floats) -> Ints:
    """Shop prices as people set them: 58.9, 159, 2999 (yuan), in fen."""
    small = np.ceil(yuan) - 0.1
    middle = np.round(yuan / 10.0) * 10.0 - 1.0
    large = np.round(yuan / 100.0) * 100.0 - 1.0
    price = np.where(yuan < 100, small, np.where(yuan < 1000, middle, large))
    return np.maximum(np.rint(price * 100.0), 90).astype(np.int64)
