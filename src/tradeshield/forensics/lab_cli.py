"""`tradeshield forensics synth | evaluate | calibrate | train`: the forensic yardstick's commands.

Heavy imports (OpenCV, matplotlib) happen inside the commands so that the rest of the CLI
starts fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

DEFAULT_SOURCES = Path("../shared/datasets/forensics/real")
CALIBRATION_FILE = Path(__file__).parent / "policy" / "calibration.json"
PathArg = click.Path(path_type=Path)
SPLITS = ("calibration", "evaluation")


@contextmanager
def _bar(label: str) -> Iterator[Callable[[int, int], None]]:
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@click.group("forensics")
def forensics_group() -> None:
    """Forensic yardstick: synthetic edits, side-by-side evaluation, score calibration."""


@forensics_group.command("synth")
@click.argument("sources", nargs=-1, type=PathArg)
@click.option("--out", "out_dir", required=True, type=PathArg, help="folder to write into")
@click.option("--count", default=100, show_default=True, type=click.IntRange(min=1))
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--max-side", default=1024, show_default=True, type=click.IntRange(min=64))
@click.option("--split", type=click.Choice(SPLITS), help="use only this half of the sources")
def synth_command(
    sources: tuple[Path, ...],
    out_dir: Path,
    count: int,
    seed: int,
    max_side: int,
    split: str | None,
) -> None:
    """Edited copies of real photos (SOURCES: files or folders) with exact masks, plus
    laundered untouched controls; writes OUT/manifest.jsonl."""
    from tradeshield.forensics.synth import generate, list_sources, split_of

    chosen = list(sources) or [DEFAULT_SOURCES]
    missing = [str(p) for p in chosen if not p.exists()]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}")
    if split is not None:
        chosen = [p for p in list_sources(chosen) if split_of(p) == split]
    try:
        with _bar("synth") as advance:
            manifest = generate(
                chosen, out_dir, count=count, seed=seed, progress=advance, max_side=max_side
            )
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {count} images and {manifest}")


def _filters(func: Callable[..., None]) -> Callable[..., None]:
    func = click.option("--limit", type=click.IntRange(min=1), help="at most N photos, spread")(
        func
    )
    func = click.option(
        "--split", type=click.Choice(SPLITS), help="only this half of the real/ folders' photos"
    )(func)
    func = click.option("--exclude", multiple=True, help="drop source folders with this prefix")(
        func
    )
    return click.option("--include", multiple=True, help="keep source folders with this prefix")(
        func
    )


@forensics_group.command("evaluate")
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", type=PathArg, default=Path("forensics-evaluation"))
@click.option("--title", default=None, help="heading of the report")
@_filters
def evaluate_command(
    target: Path,
    out_dir: Path,
    title: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    split: str | None,
    limit: int | None,
) -> None:
    """Score TARGET (a manifest.jsonl, a manifest.csv or a folder tree) with the engine and
    every baseline; write results.json, results.md and roc.png to OUT."""
    from tradeshield.forensics.evaluation import datasets, runner, summary, writers

    try:
        items = datasets.spread(datasets.load_items(target, include, exclude, split), limit)
    except (ValueError, KeyError, OSError) as exc:
        raise click.ClickException(f"cannot read {target}: {exc}") from exc
    if not items:
        raise click.ClickException(f"no labelled photos in {target}")
    with _bar("evaluate") as advance:
        rows = runner.run(items, progress=advance)
    methods = runner.methods()
    result = summary.summarise(rows, methods)
    writers.write_all(rows, result, methods, out_dir, title or f"Evaluation of {target}")
    click.echo(writers.overall_table(result))
    click.echo(f"wrote {out_dir / 'results.json'}, results.md and roc.png")


@forensics_group.command("calibrate")
@click.argument("manifests", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_file", type=PathArg, default=CALIBRATION_FILE, show_default=True)
@click.option("--fitted-on", default=None, help="what the data is (recorded in the file)")
@click.option(
    "--method",
    type=click.Choice(("auto", "logistic", "platt")),
    default="auto",
    show_default=True,
    help="logistic: weights over the raw score and the detectors' signals; platt: the raw "
    "score only; auto: the one with the lower cross-validated log-loss on this data",
)
@_filters
def calibrate_command(
    manifests: tuple[Path, ...],
    out_file: Path,
    fitted_on: str | None,
    method: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    split: str | None,
    limit: int | None,
) -> None:
    """Fit the engine's fusion on MANIFESTS (held-out data that no reported evaluation uses)
    and write the calibration file."""
    from tradeshield.forensics.calibration import FINDINGS_FEATURE
    from tradeshield.forensics.evaluation import (
        calibration,
        datasets,
        fusion_choice,
        fusion_fit,
        runner,
    )

    items = []
    try:
        for manifest in manifests:
            items += datasets.spread(datasets.load_items(manifest, include, exclude, split), limit)
    except (ValueError, KeyError, OSError) as exc:
        raise click.ClickException(f"cannot read the manifests: {exc}") from exc
    rows, labels, versions = [], [], {}
    with _bar("calibrate") as advance:
        for done, item in enumerate(items, start=1):
            scored = runner.engine_features(item)
            if scored is not None:
                rows.append(scored[0])
                labels.append(item.positive)
                versions = scored[1]
            advance(done, len(items))
    described = fitted_on or ", ".join(str(m) for m in manifests)
    try:
        if method == "platt":
            raw = [row[FINDINGS_FEATURE] for row in rows]
            document = calibration.calibration_document(raw, labels, described)
        elif method == "logistic":
            document = fusion_fit.fusion_document(rows, labels, described)
        else:
            document = fusion_choice.chosen_document(rows, labels, described)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    # what produced the features: refit when any of these changes
    document["engine_versions"] = {k: v for k, v in versions.items() if k != "calibration"}
    calibration.write(document, out_file)
    click.echo(f"wrote {out_file}: {document['method']} fit, {document['metrics']}")


TRAIN_EXTRA_HINT = "install the train extra: pip install -e '.[train]' torch==2.13.0"


@forensics_group.command("train")
@click.argument("model", type=click.Choice(("localiser", "generated")))
@click.option("--out", "out_dir", required=True, type=PathArg, help="folder for the ONNX file")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--epochs", type=click.IntRange(min=1), help="override the model's default")
@click.option("--tiny", is_flag=True, help="a few-second run on a handful of pictures")
@click.option(
    "--data",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="localiser: a synth manifest.jsonl instead of generating one (repeat for chunks)",
)
def train_command(
    model: str, out_dir: Path, seed: int, epochs: int | None, tiny: bool, data: tuple[Path, ...]
) -> None:
    """Train MODEL (torch, CPU, deterministic) and export OUT/MODEL.onnx with its sidecar."""
    try:  # by name, so a missing torch is found even after an earlier import in-process
        command = importlib.import_module("tradeshield.forensics.training.command")
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in {"torch", "onnx"}:
            raise
        click.echo(TRAIN_EXTRA_HINT, err=True)
        raise SystemExit(2) from exc
    try:
        with _bar(f"train {model}") as advance:
            onnx_path = command.run(model, out_dir, seed, epochs, tiny, data, advance)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {onnx_path} and {onnx_path.with_suffix('.json')}")
