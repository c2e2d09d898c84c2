"""Full forensic report on a 12-megapixel phone-sized JPEG, without and with two references.

Prints median and p95 seconds per report and the peak RSS of this process. Run pinned to one
core for the issue's target: `taskset -c 0 python bench/bench_forensics_report.py`.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import cv2
import numpy as np
from PIL import Image, ImageDraw

from tradeshield.forensics.analysis import analyze
from tradeshield.forensics.loading import load_image
from tradeshield.forensics.reference_match import Reference, ReferenceKind

DATASET_PHOTO = Path(__file__).resolve().parents[2] / "shared/datasets/forensics/real/camera"


def _photo() -> Image.Image:
    candidates = sorted(DATASET_PHOTO.glob("*.jpg")) if DATASET_PHOTO.exists() else []
    if candidates:
        return Image.open(candidates[0]).convert("RGB").resize((4000, 3000))
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 255, (3000 // 8, 4000 // 8, 3), dtype=np.uint8)
    return Image.fromarray(pixels).resize((4000, 3000), Image.Resampling.BICUBIC)


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _time(runs: int, work: object) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        seconds.append(time.perf_counter() - started)
    return seconds


def _print(name: str, seconds: list[float]) -> None:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{name}: median {statistics.median(seconds):.3f} s  p95 {p95:.3f} s  runs {len(seconds)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    listing = _photo()
    evidence = listing.copy()
    ImageDraw.Draw(evidence).ellipse((1500, 1000, 1900, 1300), fill=(90, 60, 30))
    evidence_bytes = _jpeg(evidence, 88)
    references = [
        Reference("listing 1", ReferenceKind.LISTING, load_image(_jpeg(listing, 92)).rgb, 1),
        Reference(
            "listing 2",
            ReferenceKind.LISTING,
            load_image(_jpeg(listing.rotate(90, expand=True), 92)).rgb,
            2,
        ),
    ]
    analyze(evidence_bytes)  # warm-up: OCR model load, caches
    _print("report, no references", _time(args.runs, lambda: analyze(evidence_bytes)))
    _print(
        "report, two references",
        _time(args.runs, lambda: analyze(evidence_bytes, references)),
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
