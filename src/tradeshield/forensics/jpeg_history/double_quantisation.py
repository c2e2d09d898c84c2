"""Aligned double quantisation: which 8x8 blocks of a twice-saved JPEG were saved only once.

A photo that was saved as JPEG, edited and saved again carries the first compression in its
DCT coefficients: with the 8x8 grid unchanged, each coefficient histogram shows the periodic
gaps and peaks of double quantisation (Lin et al. 2009; Bianchi & Piva 2012). Implemented from
those published ideas:

1. the DCT of every grid-aligned block of the luma in the stored frame;
2. for each of the first AC frequencies, the histogram of quantised coefficients fitted as a
   mix of single compression and double compression with first step q1, q1 chosen by
   likelihood. The single-compression histogram is the observed one smoothed in the log
   domain by a local straight line on each side of zero: it keeps the Laplacian trend and
   drops the periodic gaps that double quantisation adds (a shifted-grid "calibration", the
   usual estimate, misfit the trend and made genuine camera photos look double-compressed);
3. when most of the photo is clearly double-compressed, each block scored by the
   log-likelihood ratio double/single of its non-zero coefficients, summed over 64x64
   windows: how strongly each window says "compressed once" (0..1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import fft, ndimage, special

Floats = npt.NDArray[np.float32]

# zig-zag order of the AC frequencies analysed (the low ones carry most non-zero values)
_ZIGZAG = ((0, 1), (1, 0), (2, 0), (1, 1), (0, 2), (0, 3), (1, 2), (2, 1), (3, 0), (4, 0),
           (3, 1), (2, 2), (1, 3), (0, 4), (0, 5))  # fmt: skip
_KMAX = 60  # quantised values are clipped to +-_KMAX for the histograms
_MAX_Q1 = 40
_ROUNDING_SIGMA = 1.0  # DCT-domain error of decoding, colour conversion and rounding
# A frequency counts as double-quantised above this log-likelihood gain (nats per non-zero
# coefficient) with at least this share; the photo when at least _MIN_FREQUENCIES do. On the
# dataset's camera originals the best spurious gain was 0.07 (one high frequency of one
# camera), re-saving at quality 90 after quality 70-75 gave 0.1 .. 2.5 on most frequencies.
_MIN_GAIN = 0.05
_MIN_SHARE = 0.3
_MIN_FREQUENCIES = 3
_MIN_COEFFICIENTS = 500
_SMOOTHING_BINS = 7
_EM_ROUNDS = 25
# Regions are judged only against a clearly double-compressed photo: mean double share of the
# fitted frequencies at least this (splices tested here: 0.9-1.0; the dataset's C2PA photo
# whose contrast was changed between saves: 0.4-0.6, its saturated areas lose the pattern).
_CLEAR_SHARE = 0.7
_WINDOW_BLOCKS = 8  # 64x64 pixels
_LLR_SCALE = 100.0  # window log-likelihood (nats) that maps to full heat


@dataclass(frozen=True, slots=True)
class FrequencyFit:
    frequency: tuple[int, int]
    q2: int
    q1: int
    double_share: float  # mixture weight of double compression
    gain: float  # log-likelihood gain per coefficient over single compression
    log_ratio: npt.NDArray[np.float64]  # log p_double / p_single per quantised value


@dataclass(frozen=True, slots=True)
class HistoryMaps:
    """Block-resolution maps (H/8 x W/8) in the stored frame."""

    double_heat: Floats
    fits: list[FrequencyFit]
    dominant_double: bool


def history_maps(luma: Floats, luma_table: npt.NDArray[np.int64]) -> HistoryMaps:
    coefficients = _block_dct(luma)
    steps = [int(luma_table[frequency]) for frequency in _ZIGZAG]
    # quantised values, offset to index histograms: int16 keeps 12-megapixel photos light
    quantised = [_quantise(coefficients[index], max(step, 1)) for index, step in enumerate(steps)]
    fits = [
        fit
        for index, frequency in enumerate(_ZIGZAG)
        if (fit := _fit_frequency(quantised[index], frequency, steps[index]))
    ]
    if len(fits) < _MIN_FREQUENCIES:
        fits = []
    blocks = coefficients.shape[1:]
    llr = np.zeros(blocks, dtype=np.float32)
    for fit in fits:
        table = fit.log_ratio.astype(np.float32)
        llr += table[quantised[_ZIGZAG.index(fit.frequency)]]
    if not fits:
        return HistoryMaps(np.zeros(blocks, dtype=np.float32), fits, False)
    weights = np.array([fit.gain for fit in fits])
    shares = np.array([fit.double_share for fit in fits])
    share = float(np.average(shares, weights=weights))
    if share < _CLEAR_SHARE:
        # a weak or patchy double pattern (e.g. a global contrast edit between the saves
        # keeps it only in mid-tones) is no background to measure a region against
        return HistoryMaps(np.zeros(blocks, dtype=np.float32), fits, share >= 0.5)
    window = ndimage.uniform_filter(llr, _WINDOW_BLOCKS, mode="nearest") * _WINDOW_BLOCKS**2
    double_heat = np.clip(-window / _LLR_SCALE, 0, 1).astype(np.float32)
    return HistoryMaps(double_heat, fits, True)


def _block_dct(luma: Floats) -> Floats:
    """The `_ZIGZAG` coefficients of every grid-aligned 8x8 block: len(_ZIGZAG) x rows x cols.

    Orthonormal DCT-II, as JPEG's; only the rows and columns the analysed frequencies need.
    """
    rows, cols = luma.shape[0] // 8, luma.shape[1] // 8
    blocks = luma[: rows * 8, : cols * 8].reshape(rows, 8, cols, 8)
    size = max(max(u, v) for u, v in _ZIGZAG) + 1
    across = fft.dct(blocks, axis=3, norm="ortho")[..., :size]
    both = fft.dct(across, axis=1, norm="ortho")
    out = np.empty((len(_ZIGZAG), rows, cols), dtype=np.float32)
    for index, (u, v) in enumerate(_ZIGZAG):
        out[index] = both[:, u, :, v]
    return out


def _quantise(values: Floats, step: int) -> npt.NDArray[np.int16]:
    """Quantised values clipped to +-_KMAX and offset by _KMAX (histogram indices)."""
    scaled = np.rint(values / np.float32(step))
    np.clip(scaled, -_KMAX, _KMAX, out=scaled)
    scaled += _KMAX
    indices: npt.NDArray[np.int16] = scaled.astype(np.int16)
    return indices


def _histogram(indices: npt.NDArray[np.int16]) -> npt.NDArray[np.float64]:
    counts = np.bincount(indices.ravel(), minlength=2 * _KMAX + 1).astype(np.float64)
    counts[_KMAX] = 0.0  # zeros come from flat blocks and carry no history
    counts[[0, -1]] = 0.0  # the clipped tails pile up at the ends
    return counts


def _fit_frequency(
    indices: npt.NDArray[np.int16], frequency: tuple[int, int], q2: int
) -> FrequencyFit | None:
    observed = _histogram(indices)
    total = observed.sum()
    if total < _MIN_COEFFICIENTS or q2 < 1:
        return None
    single = _smooth_single(observed)
    candidates = [q1 for q1 in range(1, _MAX_Q1 + 1) if q1 != q2]
    double = _double_quantised(single, candidates, q2)
    shares, gains = _mixture(observed, single, double)
    best = int(np.argmax(gains))
    gain = float(gains[best]) / total
    if gain < _MIN_GAIN or shares[best] < _MIN_SHARE:
        return None
    with np.errstate(divide="ignore"):
        log_ratio = np.log(np.maximum(double[best], 1e-4) / np.maximum(single, 1e-4))
    log_ratio[_KMAX] = 0.0
    return FrequencyFit(frequency, q2, candidates[best], float(shares[best]), gain, log_ratio)


def _smooth_single(observed: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Single-compression histogram: log counts smoothed by a local line on each side of 0."""
    single = np.zeros_like(observed)
    positive = observed[_KMAX + 1 : -1]
    negative = observed[1:_KMAX][::-1]
    for side, counts in ((1, positive), (-1, negative)):
        trend = np.exp(_local_line(np.log(counts + 0.5), _SMOOTHING_BINS))
        if side == 1:
            single[_KMAX + 1 : -1] = trend
        else:
            single[1:_KMAX] = trend[::-1]
    normalised: npt.NDArray[np.float64] = single / single.sum()
    return normalised


def _local_line(values: npt.NDArray[np.float64], width: int) -> npt.NDArray[np.float64]:
    """Least-squares line through each ``width``-wide window, read at its centre; at the ends
    the first and last windows' lines (a first-order Savitzky-Golay filter, "interp" ends)."""
    half = width // 2
    smoothed = np.convolve(values, np.ones(width) / width, mode="same")
    offsets = np.arange(width) - half
    for window, positions in ((values[:width], offsets[:half]), (values[-width:], offsets[-half:])):
        slope = float(np.dot(offsets, window) / np.dot(offsets, offsets))
        line = window.mean() + slope * positions
        if positions[0] < 0:
            smoothed[:half] = line
        else:
            smoothed[-half:] = line
    return smoothed


def _double_quantised(
    single: npt.NDArray[np.float64], candidates: list[int], q2: int
) -> npt.NDArray[np.float64]:
    """Expected histograms after quantising with each q1, then q2 (Bianchi & Piva's model):
    every multiple of q1 carries the single-compression density there and lands, blurred by
    the rounding error, in the q2 bins around it. One row per candidate q1."""
    bins_count = 2 * _KMAX + 1
    rows, centres = [], []
    for row, q1 in enumerate(candidates):
        reach = int(np.ceil((_KMAX + 1) * q2 / q1))
        centres.append(np.arange(-reach, reach + 1, dtype=np.float64) * q1)
        rows.append(np.full(2 * reach + 1, row))
    centre = np.concatenate(centres)
    row_of = np.concatenate(rows)
    nearest = np.rint(centre / q2).astype(np.int64)
    density = single[np.clip(nearest, -_KMAX, _KMAX) + _KMAX]
    result = np.zeros(len(candidates) * bins_count)
    scale = _ROUNDING_SIGMA * np.sqrt(2)
    for offset in (-1, 0, 1):
        bins = nearest + offset
        upper = ((bins + 0.5) * q2 - centre) / scale
        lower = ((bins - 0.5) * q2 - centre) / scale
        mass = 0.5 * (special.erf(upper) - special.erf(lower)) * density
        keep = np.abs(bins) < _KMAX
        index = row_of[keep] * bins_count + bins[keep] + _KMAX
        result += np.bincount(index, weights=mass[keep], minlength=result.size)
    table = result.reshape(len(candidates), bins_count)
    table[:, _KMAX] = 0.0
    normalised: npt.NDArray[np.float64] = table / np.maximum(
        table.sum(axis=1, keepdims=True), 1e-12
    )
    return normalised


def _mixture(
    observed: npt.NDArray[np.float64],
    single: npt.NDArray[np.float64],
    double: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """EM for the double-compression share, for all candidate q1 at once; returns the shares
    and the log-likelihood gains over single compression alone."""
    total = observed.sum()
    share = np.full(double.shape[0], 0.5)
    for _ in range(_EM_ROUNDS):
        mix = share[:, None] * double + (1 - share[:, None]) * single[None]
        responsibility = share[:, None] * double / np.maximum(mix, 1e-12)
        updated = np.clip((observed[None] * responsibility).sum(axis=1) / total, 0.0, 1.0)
        converged = float(np.abs(updated - share).max()) < 1e-3
        share = updated
        if converged:
            break
    mix = share[:, None] * double + (1 - share[:, None]) * single[None]
    base = float((observed * np.log(np.maximum(single, 1e-12))).sum())
    gains = (observed[None] * np.log(np.maximum(mix, 1e-12))).sum(axis=1) - base
    return share, gains
