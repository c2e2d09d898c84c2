"""Full forensic report on a 12-megapixel phone JPEG, on one core, without and with two
reference photos.

Cases (each timed ``--runs`` times after one warm-up):

- ``phone photo``: the dataset's 13-megapixel Oppo R7 Plus camera original, as the phone wrote
  it, no references (`analyze` on the bytes: decoding included);
- ``edited, two references``: that photo with a painted stain, re-saved at quality 88, against
  two listing photos given as JPEG bytes (the original and a rotated copy): the service's path,
  reference decoding included;
- ``text in the margins``: the first camera photo of the dataset enlarged to 4000x3000; its
  bottom margin carries a licence caption, so the OCR runs (the visible-label detector's worst
  case; most photos skip the OCR).

Without the dataset a synthetic photo stands in for all three. Prints median and p95
seconds per case, wall clock and CPU time of the process (on a busy machine the CPU time is the
closer measure of one free core: the process is single-threaded), and its peak RSS. One core:
the process pins itself to one CPU (``--cpu``, default the first it may use) and every thread
pool is set to one thread before the libraries load (OpenMP, BLAS, OpenCV, ONNX Runtime's
intra-op pool for the OCR). Run
``taskset -c 1 .venv/bin/python bench/bench_forensics_report.py`` on a shared machine and
repeat: other processes on that core inflate the figures.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import io  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from tradeshield.forensics.analysis import analyze  # noqa: E402
from tradeshield.forensics.service import inspect_photo  # noqa: E402

CAMERA = Path(__file__).resolve().parents[2] / "shared/datasets/forensics/real/camera"
PHONE_PHOTO = CAMERA / "mei_Oppo_R7_Plus.jpg"


def _synthetic() -> Image.Image:
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 255, (3000 // 8, 4000 // 8, 3), dtype=np.uint8)
    return Image.fromarray(pixels).resize((4000, 3000), Image.Resampling.BICUBIC)


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _cases() -> dict[str, Callable[[], object]]:
    if PHONE_PHOTO.exists():
        phone = PHONE_PHOTO.read_bytes()
        listing = Image.open(io.BytesIO(phone)).convert("RGB")
        captioned = Image.open(sorted(CAMERA.glob("*.jpg"))[0]).convert("RGB").resize((4000, 3000))
    else:
        listing = _synthetic()
        phone = _jpeg(listing, 92)
        captioned = listing
    evidence = listing.copy()
    ImageDraw.Draw(evidence).ellipse((1500, 1000, 1900, 1300), fill=(90, 60, 30))
    edited = _jpeg(evidence, 88)
    references = [
        ("listing 1", _jpeg(listing, 92)),
        ("listing 2", _jpeg(listing.rotate(90, expand=True), 92)),
    ]
    text_photo = _jpeg(captioned, 88)
    return {
        "phone photo, no references": lambda: analyze(phone),
        "edited, two references": lambda: inspect_photo(edited, references),
        "text in the margins, no refs": lambda: analyze(text_photo),
    }


def _time(runs: int, work: Callable[[], object]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run (after a warm-up: OCR model load, caches)."""
    work()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def _p95(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _print(name: str, timed: tuple[list[float], list[float]]) -> None:
    wall, cpu = timed
    print(
        f"{name:30s} wall median {statistics.median(wall):.3f} s  p95 {_p95(wall):.3f} s | "
        f"CPU median {statistics.median(cpu):.3f} s  p95 {_p95(cpu):.3f} s  runs {len(wall)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: first)")
    args = parser.parse_args()
    allowed = sorted(os.sched_getaffinity(0))
    cpu = args.cpu if args.cpu is not None else allowed[0]
    os.sched_setaffinity(0, {cpu})
    cv2.setNumThreads(1)
    print(
        f"pinned to CPU {cpu}; photo: {PHONE_PHOTO.name if PHONE_PHOTO.exists() else 'synthetic'}"
    )
    for name, work in _cases().items():
        _print(name, _time(args.runs, work))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
