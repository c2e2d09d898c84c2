"""Writing the yardstick's results: ``results.json``, ``results.md`` and ``roc.png``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a window
import matplotlib.pyplot as plt

from tradeshield.forensics.evaluation.metrics import roc_auc, roc_curve
from tradeshield.forensics.evaluation.runner import Scored

IMAGE_COLUMNS = (
    ("auc", "AUC"),
    ("tpr_at_1pct_fpr", "TPR@1%FPR"),
    ("tpr_at_5pct_fpr", "TPR@5%FPR"),
    ("balanced_accuracy", "bal. acc.@thr"),
    ("brier", "Brier"),
    ("f1", "pixel F1@0.5"),
    ("iou", "pixel IoU@0.5"),
    ("f1_oracle", "pixel F1 oracle"),
)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def overall_table(summary: dict[str, Any]) -> str:
    head = "| method | " + " | ".join(title for _, title in IMAGE_COLUMNS) + " | n+ / n- |"
    lines = [head, "|" + "---|" * (len(IMAGE_COLUMNS) + 2)]
    for method, values in summary["overall"].items():
        cells = " | ".join(_cell(values[key]) for key, _ in IMAGE_COLUMNS)
        counts = f"{values['n_positive']} / {values['n_negative']}"
        lines.append(f"| {method} | {cells} | {counts} |")
    return "\n".join(lines)


def breakdown_table(breakdown: dict[str, Any], metric: str, label: str) -> str:
    methods = list(next(iter(breakdown.values()))["methods"]) if breakdown else []
    lines = [
        f"| {label} | n+ / n- | " + " | ".join(methods) + " |",
        "|" + "---|" * (len(methods) + 2),
    ]
    for value, entry in breakdown.items():
        first = entry["methods"][methods[0]]
        counts = f"{first['n_positive']} / {first['n_negative']}"
        cells = " | ".join(_cell(entry["methods"][m][metric]) for m in methods)
        lines.append(f"| {value} | {counts} | {cells} |")
    return "\n".join(lines)


def markdown(summary: dict[str, Any], title: str) -> str:
    cuts = summary["thresholds"]
    parts = [
        f"## {title}",
        "",
        f"{summary['n_scored']} photos scored, {len(summary['errors'])} unreadable. Operating "
        "point ('bal. acc.@thr', false-positive rates): the engine flags a photo when its "
        f"verdict is suspicious or forged (shipped policy, `suspicious_score` "
        f"{cuts.get('engine')}); baselines at 0.5 of their own squashed score (they ship no "
        "threshold). AUC and TPR@FPR use the engine's reported score. Pixel F1/IoU at "
        "heat-map 0.5; 'oracle' = best threshold per photo chosen with its mask (an upper "
        "bound).",
        "",
        overall_table(summary),
        "",
        "Median seconds per photo: "
        + ", ".join(f"{m} {_cell(s)}" for m, s in summary["median_seconds"].items()),
    ]
    unlaundered = summary["by_laundering"].get("none")
    if unlaundered:
        scores = ", ".join(
            f"{m} {_cell(v['f1'])} (oracle {_cell(v['f1_oracle'])})"
            for m, v in unlaundered["methods"].items()
        )
        parts += ["", f"Pixel F1@0.5 on edits that were not laundered: {scores}."]
    sections = (
        ("by_kind", "edit kind (vs all negatives)"),
        ("by_laundering", "laundering"),
        ("by_source", "source folder"),
    )
    for key, label in sections:
        if summary[key]:
            parts += ["", f"Image AUC by {label}:", "", breakdown_table(summary[key], "auc", key)]
            parts += ["", f"Pixel oracle F1 by {label}:", ""]
            parts.append(breakdown_table(summary[key], "f1_oracle", key))
    if summary["by_source"]:
        parts += ["", "False-positive rate at the threshold by source folder:", ""]
        parts.append(breakdown_table(summary["by_source"], "false_positive_rate", "by_source"))
    versions = summary.get("engine_versions") or {}
    if versions:
        described = ", ".join(f"{name} {version}" for name, version in sorted(versions.items()))
        parts += ["", f"Engine versions: {described}."]
    return "\n".join(parts) + "\n"


def roc_plot(rows: Sequence[Scored], methods: Sequence[str], path: Path, title: str) -> None:
    scored = [row for row in rows if row.error is None]
    labels = [row.item.positive for row in scored]
    figure, axes = plt.subplots(figsize=(5.5, 5.0), dpi=110)
    for method in methods:
        scores = [row.scores[method] for row in scored]
        fpr, tpr, _ = roc_curve(scores, labels)
        axes.plot(fpr, tpr, label=f"{method} (AUC {roc_auc(scores, labels):.3f})")
    axes.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
    axes.set(xlabel="false-positive rate", ylabel="true-positive rate", title=title)
    axes.legend(loc="lower right", fontsize="small")
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)


def write_all(
    rows: Sequence[Scored], summary: dict[str, Any], methods: Sequence[str], out: Path, title: str
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    per_photo = [
        {
            "path": str(row.item.path),
            "positive": row.item.positive,
            "kind": row.item.kind,
            "laundering": row.item.laundering,
            "group": row.item.group,
            "scores": row.scores,
            "raw_engine": row.raw_engine,
            "pixel": row.pixel,
            "error": row.error,
        }
        for row in rows
    ]
    document = {"title": title, "summary": summary, "photos": per_photo}
    (out / "results.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
    (out / "results.md").write_text(markdown(summary, title), encoding="utf-8")
    roc_plot(rows, methods, out / "roc.png", title)
