"""The forensic report on every file of the shared forensics dataset, per folder.

Runs `analyze` on each file under ``../shared/datasets/forensics/`` (all folders; the
deliberately broken files of ``metadata/`` and the non-image signing material must give a
clean refusal, never a crash), then prints per folder: files, refusals, crashes, score
quantiles, verdict counts and the median seconds per file. Then runs
``tradeshield inspect --json`` on a sample of the files and checks the CLI contract: exit 0
with one JSON object for a readable photo, exit 2 with one line for anything else.

    .venv/bin/python bench/forensics_dataset_scores.py [--sample 24] [--limit N]

Exit status 1 when any file crashed or the CLI broke its contract. The scores are those of
the blind detectors (no references, no reuse history): what a photo says about itself.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rich.progress import track

from tradeshield.errors import DomainError
from tradeshield.forensics.analysis import analyze

DATASET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "forensics"
SKIPPED = {"README.md", "manifest.csv"}
CLI = Path(sys.executable).parent / "tradeshield"


@dataclass
class Folder:
    scores: list[float] = field(default_factory=list)
    raw_scores: list[float] = field(default_factory=list)
    verdicts: Counter[str] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)
    crashed: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def _folder(path: Path) -> str:
    parts = path.relative_to(DATASET).parts
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def _files(limit: int | None) -> list[Path]:
    files = sorted(p for p in DATASET.rglob("*") if p.is_file() and p.name not in SKIPPED)
    return files[:limit] if limit else files


def _score_all(files: list[Path]) -> dict[str, Folder]:
    folders: dict[str, Folder] = defaultdict(Folder)
    for path in track(files, description="analysing"):
        folder = folders[_folder(path)]
        started = time.perf_counter()
        try:
            report = analyze(path.read_bytes())
        except DomainError as refusal:
            folder.refused.append(f"{path.name}: {refusal.detail}")
            continue
        except Exception as crash:
            folder.crashed.append(f"{path.name}: {type(crash).__name__}: {crash}")
            continue
        folder.seconds.append(time.perf_counter() - started)
        folder.scores.append(report.score)
        folder.raw_scores.append(report.score if report.raw_score is None else report.raw_score)
        folder.verdicts[report.verdict.value] += 1
    return folders


def _print_table(folders: dict[str, Folder]) -> None:
    print(
        f"{'folder':22s} {'files':>5s} {'refused':>7s} {'crash':>5s} "
        f"{'score p10/p50/p90/max':>22s} {'raw p50/p90/max':>16s} "
        f"{'forged':>6s} {'susp.':>5s} {'none':>5s} {'s/file':>6s}"
    )
    for name in sorted(folders):
        folder = folders[name]
        files = len(folder.scores) + len(folder.refused) + len(folder.crashed)
        quantiles, raw, median_s = "-", "-", "-"
        if folder.scores:
            q = np.quantile(folder.scores, [0.1, 0.5, 0.9, 1.0])
            quantiles = "/".join(f"{v:.2f}" for v in q)
            raw = "/".join(f"{v:.2f}" for v in np.quantile(folder.raw_scores, [0.5, 0.9, 1.0]))
            median_s = f"{float(np.median(folder.seconds)):.2f}"
        v = folder.verdicts
        print(
            f"{name:22s} {files:5d} {len(folder.refused):7d} {len(folder.crashed):5d} "
            f"{quantiles:>22s} {raw:>16s} "
            f"{v['forged']:6d} {v['suspicious']:5d} {v['no_evidence']:5d} {median_s:>6s}"
        )
    for name in sorted(folders):
        for line in folders[name].crashed:
            print(f"CRASH {name}/{line}")


def _check_cli(files: list[Path], sample: int) -> int:
    """Files whose `tradeshield inspect --json` broke the contract."""
    chosen = files[:: max(1, len(files) // sample)][:sample] if sample else []
    broken = 0
    codes: Counter[int] = Counter()
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    for path in track(chosen, description="tradeshield inspect"):
        done = subprocess.run(
            [str(CLI), "inspect", str(path), "--json"],
            capture_output=True, text=True, timeout=120, env=env, check=False,
        )  # fmt: skip
        codes[done.returncode] += 1
        if done.returncode == 0:
            body = json.loads(done.stdout)
            ok = {"score", "verdict", "findings"} <= set(body)
        else:
            ok = done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
        if not ok:
            broken += 1
            print(f"CLI CONTRACT BROKEN {path}: exit {done.returncode}: {done.stderr[-300:]}")
    print(f"tradeshield inspect --json on {len(chosen)} files: exit codes {dict(codes)}")
    return broken


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=24, help="files checked through the CLI")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    args = parser.parse_args()
    if not DATASET.is_dir():
        sys.exit(f"dataset not found at {DATASET}")
    files = _files(args.limit)
    folders = _score_all(files)
    _print_table(folders)
    broken = _check_cli(files, args.sample)
    crashed = sum(len(f.crashed) for f in folders.values())
    sys.exit(1 if crashed or broken else 0)


if __name__ == "__main__":
    main()
