"""How fast and how accurate the matching detectors are: the reuse index at a million photos,
the reference match and the visible-label reader on a 12 MP photo.

    python bench/bench_forensics_matching.py [--photos 1000000] [--queries 2000] [--accuracy]

Prints plain ``name: value`` lines and exits 0. Everything runs on one core (OpenCV and ONNX
Runtime limited to one thread). ``--accuracy`` adds the fingerprint study on the shared real
photos (../shared/datasets/forensics/real): copies found and unrelated pairs that collide.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from tradeshield.forensics.loading import LoadedImage
from tradeshield.forensics.reference_match import Reference, ReferenceKind
from tradeshield.forensics.reference_match import detect as match_references
from tradeshield.forensics.reuse import (
    DEFAULT_MAX_DISTANCE,
    PhotoFingerprint,
    PhotoIndex,
    fingerprint_pixels,
)
from tradeshield.forensics.visible_label import RapidTextReader
from tradeshield.forensics.visible_label import detect as read_labels

REAL = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "forensics" / "real"
RGB = npt.NDArray[np.uint8]
U64 = npt.NDArray[np.uint64]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--accuracy", action="store_true", help="fingerprint study on real photos")
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    rng = np.random.default_rng(args.seed)
    for layout in ("uniform", "clustered"):
        _bench_index(rng, args.photos, args.queries, layout)
    _bench_photo_detectors(rng)
    if args.accuracy:
        _fingerprint_study()
    return 0


def _random_hashes(rng: np.random.Generator, count: int) -> U64:
    high = rng.integers(0, 2**32, count, dtype=np.uint64) << np.uint64(32)
    return high | rng.integers(0, 2**32, count, dtype=np.uint64)


def _flip_bits(rng: np.random.Generator, hashes: U64, low: int, high: int) -> U64:
    """Each hash with a random number of bits in [low, high] flipped."""
    flipped = hashes.copy()
    counts = rng.integers(low, high + 1, hashes.size)
    for bit_count in range(low, high + 1):
        rows = np.nonzero(counts == bit_count)[0]
        for _ in range(bit_count):  # may hit a bit twice: then fewer flips, which is fine
            flipped[rows] ^= np.uint64(1) << rng.integers(0, 64, rows.size, dtype=np.uint64)
    return flipped


def _bench_index(rng: np.random.Generator, photos: int, queries: int, layout: str) -> None:
    """``uniform``: independent random hashes, the bucket tables' best case. ``clustered``:
    hashes scattered 6-20 bits around 5,000 centres, so bands repeat the way similar product
    photos make them repeat."""
    if layout == "uniform":
        phashes, dhashes = _random_hashes(rng, photos), _random_hashes(rng, photos)
    else:
        centres = rng.integers(0, 5000, photos)
        phashes = _flip_bits(rng, _random_hashes(rng, 5000)[centres], 6, 20)
        dhashes = _flip_bits(rng, _random_hashes(rng, 5000)[centres], 6, 20)
    targets = rng.choice(photos, queries, replace=False)
    planted_p = _flip_bits(rng, phashes[targets], 0, DEFAULT_MAX_DISTANCE)
    planted_d = _flip_bits(rng, dhashes[targets], 0, DEFAULT_MAX_DISTANCE)
    index = PhotoIndex()
    started = time.perf_counter()
    index.add_many(np.arange(photos, dtype=np.int64), phashes, dhashes)
    build = time.perf_counter() - started
    memory = index.nbytes
    timings, found, hits = [], 0, 0
    for query, target in enumerate(targets):
        fingerprint = PhotoFingerprint(int(planted_p[query]), int(planted_d[query]))
        started = time.perf_counter()
        result = index.query(fingerprint, DEFAULT_MAX_DISTANCE)
        timings.append((time.perf_counter() - started) * 1000)
        found += any(photo_id == target for photo_id, _ in result)
        hits += len(result)
    prefix = f"index_{layout}"
    print(f"{prefix}_photos: {photos}")
    print(f"{prefix}_build_seconds: {build:.2f}")
    print(f"{prefix}_memory_mb: {memory / 2**20:.1f}")
    print(f"{prefix}_query_max_distance: {DEFAULT_MAX_DISTANCE}")
    print(f"{prefix}_query_median_ms: {statistics.median(timings):.2f}")
    print(f"{prefix}_query_p95_ms: {np.percentile(timings, 95):.2f}")
    print(f"{prefix}_planted_copies_found: {found}/{queries}")
    print(f"{prefix}_hits_per_query: {hits / queries:.2f}")


def _jpeg(rgb: RGB, quality: int) -> RGB:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


def _scene(rng: np.random.Generator, width: int, height: int) -> RGB:
    """A real photo enlarged to the size when the shared data is there, else texture."""
    photos = sorted((REAL / "camera").glob("mei_*.jpg")) if REAL.is_dir() else []
    if photos:
        photo = np.asarray(Image.open(photos[int(rng.integers(0, len(photos)))]).convert("RGB"))
        return np.asarray(cv2.resize(photo, (width, height), interpolation=cv2.INTER_CUBIC))
    small = rng.integers(0, 255, (height // 16, width // 16, 3), dtype=np.uint8)
    return np.asarray(cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC))


def _median_ms(run: Callable[[], object], repeats: int = 5) -> float:
    run()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _bench_photo_detectors(rng: np.random.Generator) -> None:
    listing = _scene(rng, 1600, 1200)
    other = _scene(rng, 1500, 1500)
    big = np.asarray(cv2.resize(listing, (4000, 3000), interpolation=cv2.INTER_CUBIC), np.uint8)
    painted = big.copy()
    cv2.ellipse(painted, (1800, 1500), (260, 180), 20, 0, 360, (70, 45, 25), -1)
    evidence = LoadedImage(rgb=_jpeg(painted[100:2950, 150:3900], 85), source=b"", format="JPEG")
    references = [
        Reference("listing photo 1", ReferenceKind.LISTING, other, 1),
        Reference("listing photo 2", ReferenceKind.LISTING, listing, 2),
    ]
    result = match_references(evidence, references)
    print(f"reference_match_evidence_megapixels: {evidence.width * evidence.height / 1e6:.1f}")
    print(f"reference_match_findings: {sorted({f.code for f in result.findings})}")
    matching_ms = _median_ms(lambda: match_references(evidence, references))
    print(f"reference_match_median_ms: {matching_ms:.0f}")
    print(f"fingerprint_12mp_median_ms: {_median_ms(lambda: fingerprint_pixels(evidence.rgb)):.1f}")
    reader = RapidTextReader(threads=1)
    print(f"visible_label_12mp_median_ms: {_median_ms(lambda: read_labels(evidence, reader)):.0f}")


def _fingerprint_study() -> None:
    paths = [
        p
        for folder in ("camera", "coco", "gan_sources")
        for p in sorted((REAL / folder).glob("*.*"))
    ]
    photos = [np.asarray(Image.open(p).convert("RGB")) for p in paths]
    prints = [fingerprint_pixels(p) for p in photos]
    phashes = np.array([p.phash for p in prints], np.uint64)
    dhashes = np.array([p.dhash for p in prints], np.uint64)
    first, second = np.triu_indices(len(prints), 1)
    distance = np.maximum(
        np.bitwise_count(phashes[first] ^ phashes[second]),
        np.bitwise_count(dhashes[first] ^ dhashes[second]),
    )
    print(f"study_real_photos: {len(prints)}")
    for limit in (4, 8, DEFAULT_MAX_DISTANCE, 12):
        collisions = int((distance <= limit).sum())
        print(f"study_unrelated_pairs_within_{limit}: {collisions}/{first.size}")
    for change, make in _changes().items():
        kept = sum(
            p.distance(fingerprint_pixels(np.ascontiguousarray(make(photo))))
            <= DEFAULT_MAX_DISTANCE
            for photo, p in zip(photos, prints, strict=True)
        )
        print(f"study_copies_found_{change}: {kept}/{len(photos)}")


def _changes() -> dict[str, Callable[[RGB], RGB]]:
    def crop(share: float) -> Callable[[RGB], RGB]:
        def cut(rgb: RGB) -> RGB:
            return rgb[int(rgb.shape[0] * share) :, int(rgb.shape[1] * share) :]

        return cut

    def frame(rgb: RGB) -> RGB:
        y, x = rgb.shape[0] // 30, rgb.shape[1] // 30
        return np.asarray(
            cv2.copyMakeBorder(rgb, y, y, x, x, cv2.BORDER_CONSTANT, value=(255,) * 3)
        )

    return {
        "jpeg50": lambda rgb: _jpeg(rgb, 50),
        "resize30": lambda rgb: np.asarray(
            cv2.resize(rgb, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA), np.uint8
        ),
        "colour": lambda rgb: np.clip(rgb * np.array([1.1, 1.0, 0.9]) + 12, 0, 255).astype(
            np.uint8
        ),
        "frame": frame,
        "crop2": crop(0.02),
        "crop5": crop(0.05),
    }


if __name__ == "__main__":
    raise SystemExit(main())
