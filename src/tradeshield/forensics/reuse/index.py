"""Finding near-duplicate photos among millions by their fingerprints, in milliseconds.

Multi-index hashing (Norouzi, Punjani and Fleet, 2012): the 64-bit pHash is cut into four
16-bit bands. If two hashes differ in at most ``d`` bits, at least one band differs in at most
``d // 4`` bits (pigeonhole), so probing, in each band, every 16-bit value within that radius
of the query's band finds every candidate. Each band is a bucket table held as numpy arrays:
photo positions sorted by band value, and where each of the 65,536 values starts. Candidates
are then checked on both hashes with a vectorised popcount.

Photos added since the last rebuild sit in a small unsorted tail that is scanned in full; it
is folded into the tables when it grows. The index is plain arrays (`to_arrays` /
`from_arrays`) and knows nothing about tenants or storage: the caller decides what goes in
and where it is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

import numpy as np
import numpy.typing as npt

from tradeshield.forensics.reuse.fingerprint import PhotoFingerprint

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

BANDS = 4
BAND_BITS = 16
# Band radius 3 (up to 697 probes a band) covers distances up to 15 bits.
MAX_DISTANCE = BANDS * 3 + 3
# Photos added one by one wait in the tail until this many, then the tables are rebuilt.
_TAIL_LIMIT = 16_384
_BAND_VALUES = 1 << BAND_BITS
_BAND_MASK = np.uint64(_BAND_VALUES - 1)
_ARRAY_NAMES = ("photo_ids", "phashes", "dhashes")


def _flip_masks(radius: int) -> npt.NDArray[np.int64]:
    """Every 16-bit mask with at most ``radius`` bits set, fewest bits first."""
    masks = [0]
    for bits in range(1, radius + 1):
        masks.extend(sum(1 << b for b in chosen) for chosen in combinations(range(BAND_BITS), bits))
    return np.array(masks, dtype=np.int64)


_FLIPS = [_flip_masks(radius) for radius in range(MAX_DISTANCE // BANDS + 1)]


class PhotoIndex:
    """Photo ids with their fingerprints; `query` returns those within a Hamming distance."""

    def __init__(self) -> None:
        self._ids: I64 = np.zeros(0, np.int64)
        self._phashes: U64 = np.zeros(0, np.uint64)
        self._dhashes: U64 = np.zeros(0, np.uint64)
        self._orders: list[npt.NDArray[np.int32]] = []
        self._starts: list[npt.NDArray[np.int32]] = []
        self._tail_ids: list[int] = []
        self._tail_phashes: list[int] = []
        self._tail_dhashes: list[int] = []
        self._build()

    def __len__(self) -> int:
        return int(self._ids.size) + len(self._tail_ids)

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays and bucket tables (the small tail not counted)."""
        tables = sum(o.nbytes + s.nbytes for o, s in zip(self._orders, self._starts, strict=True))
        return int(self._ids.nbytes + self._phashes.nbytes + self._dhashes.nbytes + tables)

    def add(self, photo_id: int, fingerprint: PhotoFingerprint) -> None:
        self._tail_ids.append(photo_id)
        self._tail_phashes.append(fingerprint.phash)
        self._tail_dhashes.append(fingerprint.dhash)
        if len(self._tail_ids) >= _TAIL_LIMIT:
            self._fold_tail()

    def add_many(self, photo_ids: I64, phashes: U64, dhashes: U64) -> None:
        """Bulk load: one rebuild for any number of photos."""
        if not photo_ids.shape == phashes.shape == dhashes.shape:
            raise ValueError("photo_ids, phashes and dhashes must have the same shape")
        self._fold_tail(
            np.asarray(photo_ids, np.int64),
            np.asarray(phashes, np.uint64),
            np.asarray(dhashes, np.uint64),
        )

    def query(self, fingerprint: PhotoFingerprint, max_distance: int) -> list[tuple[int, int]]:
        """(photo_id, distance) of every photo whose pHash and dHash each differ from the
        fingerprint's in at most ``max_distance`` bits, nearest first. The distance is the
        larger of the two (see `PhotoFingerprint.distance`)."""
        if not 0 <= max_distance <= MAX_DISTANCE:
            raise ValueError(f"max_distance must be within 0..{MAX_DISTANCE}")
        phash, dhash = np.uint64(fingerprint.phash), np.uint64(fingerprint.dhash)
        positions = self._candidates(phash, max_distance // BANDS)
        hits = _within(
            self._ids[positions],
            self._phashes[positions],
            self._dhashes[positions],
            phash,
            dhash,
            max_distance,
        )
        if self._tail_ids:
            hits += _within(
                np.array(self._tail_ids, np.int64),
                np.array(self._tail_phashes, np.uint64),
                np.array(self._tail_dhashes, np.uint64),
                phash,
                dhash,
                max_distance,
            )
        return sorted(hits, key=lambda hit: (hit[1], hit[0]))

    def to_arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        """The index's content as three equal-length arrays; the bucket tables are rebuilt on
        load, so they are not stored."""
        self._fold_tail()
        return {"photo_ids": self._ids, "phashes": self._phashes, "dhashes": self._dhashes}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[np.generic]]) -> PhotoIndex:
        missing = [name for name in _ARRAY_NAMES if name not in arrays]
        if missing:
            raise ValueError(f"missing arrays: {', '.join(missing)}")
        index = cls()
        index.add_many(
            np.asarray(arrays["photo_ids"], np.int64),
            np.asarray(arrays["phashes"], np.uint64),
            np.asarray(arrays["dhashes"], np.uint64),
        )
        return index

    def _candidates(self, phash: np.uint64, radius: int) -> npt.NDArray[np.int64]:
        """Positions of photos sharing a band with the query up to ``radius`` flipped bits."""
        found: list[npt.NDArray[np.int32]] = []
        for band in range(BANDS):
            value = int((phash >> np.uint64(band * BAND_BITS)) & _BAND_MASK)
            probes = value ^ _FLIPS[radius]
            begins = self._starts[band][probes]
            ends = self._starts[band][probes + 1]
            found.append(self._orders[band][_ranges(begins, ends)])
        if not found:
            return np.zeros(0, np.int64)
        return np.unique(np.concatenate(found)).astype(np.int64)

    def _fold_tail(
        self,
        ids: I64 | None = None,
        phashes: U64 | None = None,
        dhashes: U64 | None = None,
    ) -> None:
        parts_ids = [self._ids, np.array(self._tail_ids, np.int64)]
        parts_p = [self._phashes, np.array(self._tail_phashes, np.uint64)]
        parts_d = [self._dhashes, np.array(self._tail_dhashes, np.uint64)]
        if ids is not None and phashes is not None and dhashes is not None:
            parts_ids.append(ids)
            parts_p.append(phashes)
            parts_d.append(dhashes)
        self._ids = np.concatenate(parts_ids)
        self._phashes = np.concatenate(parts_p)
        self._dhashes = np.concatenate(parts_d)
        self._tail_ids, self._tail_phashes, self._tail_dhashes = [], [], []
        self._build()

    def _build(self) -> None:
        self._orders, self._starts = [], []
        for band in range(BANDS):
            values = ((self._phashes >> np.uint64(band * BAND_BITS)) & _BAND_MASK).astype(np.int32)
            order = np.argsort(values, kind="stable").astype(np.int32)
            counts = np.bincount(values, minlength=_BAND_VALUES)
            starts = np.zeros(_BAND_VALUES + 1, np.int32)
            np.cumsum(counts, out=starts[1:])
            self._orders.append(order)
            self._starts.append(starts)


def _ranges(begins: npt.NDArray[np.int32], ends: npt.NDArray[np.int32]) -> npt.NDArray[np.int64]:
    """All integers in the half-open ranges [begin, end), concatenated, without a loop."""
    lengths = (ends - begins).astype(np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(begins.astype(np.int64) - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _within(
    ids: I64, phashes: U64, dhashes: U64, phash: np.uint64, dhash: np.uint64, max_distance: int
) -> list[tuple[int, int]]:
    distance = np.maximum(np.bitwise_count(phashes ^ phash), np.bitwise_count(dhashes ^ dhash))
    keep = distance <= max_distance
    return [(int(i), int(d)) for i, d in zip(ids[keep], distance[keep], strict=True)]
