"""`tradeshield inspect`: the forensic report for a photo file, for people or for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tradeshield.forensics import service
from tradeshield.forensics.report import ForensicReport


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}") from exc


def _print_human(path: Path, report: ForensicReport) -> None:
    click.echo(f"{path}: {report.verdict.value} (score {report.score:.2f})")
    for finding in report.findings:
        if finding.strength.value == "info":
            continue
        where = ""
        if finding.region is not None:
            r = finding.region
            where = f" at x={r.x} y={r.y} {r.width}x{r.height}"
        click.echo(
            f"  [{finding.strength.value}] {finding.detector}: {finding.reason['en']}{where}"
        )


@click.command("inspect")
@click.argument("photo", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--reference",
    "references",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="a listing or packing photo the evidence may derive from (repeatable)",
)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.option(
    "--heatmap",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="write a greyscale PNG the size of the photo (255 = changed)",
)
def inspect_command(
    photo: Path, references: tuple[Path, ...], as_json: bool, heatmap: Path | None
) -> None:
    """Check PHOTO for AI generation, AI editing and photo editing."""
    pairs = [(str(path), _read(path)) for path in references]
    report = service.inspect_photo(_read(photo), pairs)
    if heatmap is not None:
        heatmap.write_bytes(report.heatmap_png())
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        _print_human(photo, report)
