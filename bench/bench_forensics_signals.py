"""Time the loader and the signal-level forensic detectors on a synthetic 12-megapixel JPEG.

The photo is made at run time (smooth colour field, grain, shapes; quality 90, with camera
EXIF). Pillow cannot write an EXIF preview (IFD1), so the preview comparison that
`provenance` runs on camera photos is timed as its own stage with a 160x120 preview of the
photo. Prints, per stage, the median and p95 wall seconds and the median CPU seconds of this
process (on a busy machine the CPU time is the closer measure of one free core), the sums of
the medians, and the process's peak resident memory. For one core, run it under
`OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1` (the detectors barely use BLAS).

    .venv/bin/python bench/bench_forensics_signals.py [--runs 7] [--width 4000 --height 3000]
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import time
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

from tradeshield.forensics import jpeg_history, noise, provenance
from tradeshield.forensics.loading import LoadedImage, load_image
from tradeshield.forensics.provenance.thumbnail import thumbnail_findings


def synthetic_jpeg(width: int, height: int, seed: int = 7) -> tuple[bytes, bytes]:
    """The photo and a 160x120 JPEG preview of it."""
    rng = np.random.default_rng(seed)
    field = rng.random((height // 64 + 2, width // 64 + 2, 3)) * 255
    base = Image.fromarray(field.astype(np.uint8)).resize((width, height), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        size = int(rng.integers(50, 600))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        draw.ellipse((x, y, x + size, y + size // 2), fill=colour)
    # grain added in place, in small integers: the peak memory printed is the detectors'
    pixels = np.asarray(base, dtype=np.int16)
    pixels += rng.integers(-5, 6, pixels.shape, dtype=np.int16)
    np.clip(pixels, 0, 255, out=pixels)
    photo = Image.fromarray(pixels.astype(np.uint8))
    del pixels
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "BenchCam", "Model 12"
    exif.get_ifd(0x8769)[0x9003] = "2025:01:01 12:00:00"
    preview = io.BytesIO()
    photo.resize((160, 120)).save(preview, "JPEG", quality=80)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue(), preview.getvalue()


def timed(stage: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        stage()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--width", type=int, default=4000)
    parser.add_argument("--height", type=int, default=3000)
    args = parser.parse_args()

    data, preview = synthetic_jpeg(args.width, args.height)
    image: LoadedImage = load_image(data)
    stages: dict[str, Callable[[], object]] = {
        "load_image": lambda: load_image(data),
        "provenance": lambda: provenance.detect(image),
        "  exif preview": lambda: thumbnail_findings(preview, image.luma8(), 1),
        "jpeg_history": lambda: jpeg_history.detect(image),
        "noise": lambda: noise.detect(image),
    }
    print(f"{args.width}x{args.height} JPEG, {len(data) / 1e6:.1f} MB, {args.runs} runs")
    medians, cpu_medians = [], []
    for name, stage in stages.items():
        wall, cpu = timed(stage, args.runs)
        wall.sort()
        p95 = wall[min(len(wall) - 1, round(0.95 * (len(wall) - 1)))]
        medians.append(statistics.median(wall))
        cpu_medians.append(statistics.median(cpu))
        print(
            f"{name:14s} median {medians[-1]:.3f} s   p95 {p95:.3f} s   cpu {cpu_medians[-1]:.3f} s"
        )
    # the preview stage is part of provenance on camera photos: counted once in the total
    print(f"{'total':14s} median {sum(medians):.3f} s   cpu {sum(cpu_medians):.3f} s")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
