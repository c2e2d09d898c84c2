"""The forensic yardstick: our engine against classical baselines, on held-out data.

1. Generates a held-out synthetic set: edits and laundered controls made from the
   *evaluation* half of `real/camera` and `real/coco` (file-name hash split) with seed 2002.
   The shipped calibration (policy/calibration.json) was fitted on the other half with seed
   1001 and on the GAN sets, so neither the photos nor the seed overlap.
2. Evaluates the engine (no reference photos) and every baseline on it, in the same run.
3. Evaluates them on the public sets in ../shared/datasets/forensics: the evaluation half of
   `real/camera` and `real/coco` against `inpainted/` and `ai_generated/diffusion` (the GAN
   sets and `real/gan_sources` went into the calibration and are left out here).

Prints both Markdown tables and writes results.json / results.md / roc.png per part under
--out. About 10-15 minutes on a shared 2-core machine with the defaults.

    .venv/bin/python bench/bench_forensics_yardstick.py [--count 240] [--out DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tradeshield.forensics.evaluation import datasets, runner, summary, writers
from tradeshield.forensics.synth import generate, list_sources, split_of

DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "forensics"
EVALUATION_SEED = 2002
CALIBRATION_ONLY = ("real/gan_sources", "ai_generated/gan")


def _progress(label: str) -> runner.Progress:
    started = time.monotonic()

    def report(done: int, total: int) -> None:
        if done == total or done % 25 == 0:
            elapsed = time.monotonic() - started
            print(f"  {label}: {done}/{total} ({elapsed:.0f} s)", flush=True)

    return report


def _evaluate(items: list[datasets.Item], out: Path, title: str) -> str:
    started = time.monotonic()
    rows = runner.run(items, progress=_progress(title))
    methods = runner.methods()
    result = summary.summarise(rows, methods)
    writers.write_all(rows, result, methods, out, title)
    print(f"  {title}: {len(items)} photos in {time.monotonic() - started:.0f} s -> {out}")
    return writers.markdown(result, title)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=240, help="synthetic images (half edited)")
    parser.add_argument("--max-side", type=int, default=1024)
    parser.add_argument("--public-limit", type=int, default=None, help="cap the public part")
    parser.add_argument("--out", type=Path, default=Path("/tmp/forensics-yardstick"))
    args = parser.parse_args()
    if not DATASET.is_dir():
        raise SystemExit(f"the shared dataset is not at {DATASET}")

    sources = [
        p
        for p in list_sources([DATASET / "real" / "camera", DATASET / "real" / "coco"])
        if split_of(p) == "evaluation"
    ]
    print(f"generating {args.count} held-out images from {len(sources)} evaluation-half photos")
    started = time.monotonic()
    manifest = generate(
        sources,
        args.out / "synth-set",
        count=args.count,
        seed=EVALUATION_SEED,
        progress=_progress("synth"),
        max_side=args.max_side,
    )
    print(f"  generated in {time.monotonic() - started:.0f} s")
    synthetic = datasets.load_items(manifest)
    public = datasets.spread(
        datasets.load_items(DATASET / "manifest.csv", exclude=CALIBRATION_ONLY, split="evaluation"),
        args.public_limit,
    )
    tables = [
        _evaluate(synthetic, args.out / "synth", "Held-out generator output (seed 2002)"),
        _evaluate(public, args.out / "public", "Public sets (evaluation half of real/)"),
    ]
    print()
    print("\n".join(tables))


if __name__ == "__main__":
    main()
