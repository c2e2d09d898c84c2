"""The trained detectors (forensics/learned/) on held-out data, beside the baselines, and
their speed on a 12-megapixel photo.

1. Localiser: generator output from the *evaluation* half of `real/camera` (file-name hash
   split; training used the calibration half) with seed 22, never seen in training. Image AUC,
   TPR at 1 % / 5 % FPR, balanced accuracy at the shipped threshold, pixel F1 / IoU at heat
   0.5 (and the per-photo oracle F1), unlaundered and laundered edits apart; every baseline
   on the same images in the same run.
2. Generated detector: held-out generators (SDXL, Midjourney, Stable Diffusion) against
   held-out camera models, as published and with both classes re-encoded the same way (JPEG
   q85), plus the research-only GAN families against their real sources; baselines beside.
3. Median / p95 seconds per 12-megapixel photo for each model (one ONNX thread).

    .venv/bin/python bench/bench_forensics_models.py [--data MANIFEST] [--count 200]
        [--localiser CANDIDATE_DIR] [--localiser-only]
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from tradeshield.forensics.baselines import BASELINES
from tradeshield.forensics.evaluation import datasets, metrics
from tradeshield.forensics.evaluation.runner import read_mask
from tradeshield.forensics.learned import detect_generated, localise
from tradeshield.forensics.learned.generated import generated_score
from tradeshield.forensics.learned.localiser import heat_and_score
from tradeshield.forensics.learned.runtime import load_model, shipped
from tradeshield.forensics.loading import LoadedImage, load_image
from tradeshield.forensics.synth import generate, list_sources, split_of
from tradeshield.forensics.training.splits import DATASET, generated_split, research_gan_split

EVALUATION_SEED = 22
MODEL = "model"


def _row(name: str, scores: Sequence[float], labels: Sequence[bool], threshold: float) -> str:
    return (
        f"| {name} | {len(labels)} | {metrics.roc_auc(scores, labels):.3f} "
        f"| {metrics.tpr_at_fpr(scores, labels, 0.01):.3f} "
        f"| {metrics.tpr_at_fpr(scores, labels, 0.05):.3f} "
        f"| {metrics.balanced_accuracy(scores, labels, threshold):.3f} |"
    )


HEADER = "| method | images | AUC | TPR@1%FPR | TPR@5%FPR | bal. acc. |\n|---|---|---|---|---|---|"


def _evaluation_set(count: int, out: Path) -> Path:
    sources = [
        p for p in list_sources([DATASET / "real" / "camera"]) if split_of(p) == "evaluation"
    ]
    return generate(sources, out, count=count, seed=EVALUATION_SEED, max_side=512)


def localiser_part(manifest: Path, weights: Path | None = None) -> None:
    model = load_model(weights, "localiser") if weights else shipped("localiser")
    items = datasets.load_items(manifest, (), (), None)
    scores: dict[str, list[float]] = {MODEL: [], **{b: [] for b in BASELINES}}
    pixel: dict[str, dict[str, list[dict[str, float]]]] = {}
    labels, clean = [], []
    for item in items:
        image = load_image(item.path.read_bytes())
        mask = read_mask(item, image.height, image.width)
        heat, score = heat_and_score(image.rgb, model)
        found = {MODEL: (score, heat)}
        for name, baseline in BASELINES.items():
            result = baseline(image)
            found[name] = (float(result.score), result.heatmap)
        labels.append(item.positive)
        clean.append(item.laundering == "none")
        for name, (value, map_) in found.items():
            scores[name].append(value)
            if mask is not None and map_ is not None:
                key = "unlaundered" if item.laundering == "none" else "laundered"
                pixel.setdefault(name, {}).setdefault(key, []).append(
                    metrics.pixel_scores(map_, mask)
                )
    print(f"\n## Localiser {model.info.version} on {manifest} (held out)\n\n{HEADER}")
    for name, values in scores.items():
        threshold = model.info.threshold if name == MODEL else 0.5
        print(_row(name, values, labels, threshold))
        keep = [c or not y for c, y in zip(clean, labels, strict=True)]
        print(
            _row(
                f"{name}, unlaundered edits only",
                _pick(values, keep),
                _pick(labels, keep),
                threshold,
            )
        )
    print("\n| method | edits | pixel F1 | IoU | oracle F1 |\n|---|---|---|---|---|")
    for name, parts in pixel.items():
        for key, rows in sorted(parts.items()):
            mean = {m: float(np.mean([r[m] for r in rows])) for m in ("f1", "iou", "f1_oracle")}
            print(
                f"| {name}, {key} | {len(rows)} | {mean['f1']:.3f} | {mean['iou']:.3f} "
                f"| {mean['f1_oracle']:.3f} |"
            )


def _pick(values: Sequence[object], keep: Sequence[bool]) -> list:  # type: ignore[type-arg]
    return [v for v, k in zip(values, keep, strict=True) if k]


def _reencoded(image: LoadedImage) -> LoadedImage:
    buffer = io.BytesIO()
    Image.fromarray(image.rgb).save(buffer, format="JPEG", quality=85)
    return load_image(buffer.getvalue())


def generated_part(title: str, pairs: Sequence[tuple[Path, bool]], reencode: bool) -> None:
    model = shipped("generated")
    scores: dict[str, list[float]] = {MODEL: [], **{b: [] for b in BASELINES}}
    labels = []
    for path, generated in pairs:
        image = load_image(path.read_bytes())
        image = _reencoded(image) if reencode else image
        labels.append(generated)
        scores[MODEL].append(generated_score(image.rgb, model))
        for name, baseline in BASELINES.items():
            scores[name].append(float(baseline(image).score))
    print(f"\n## Generated detector {model.info.version}: {title}\n\n{HEADER}")
    for name, values in scores.items():
        print(_row(name, values, labels, model.info.threshold if name == MODEL else 0.5))


def _timed(run: Callable[[], object], repeats: int) -> str:
    run()  # first call loads the model
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return (
        f"median {np.median(seconds) * 1000:.0f} ms, p95 {np.percentile(seconds, 95) * 1000:.0f} ms"
    )


def speed_part(repeats: int) -> None:
    photo = load_image((DATASET / "real" / "camera" / "declan_B1.jpg").read_bytes()).rgb
    big = np.ascontiguousarray(np.tile(photo, (4, 4, 1))[:3000, :4000])  # 12 MP
    print(f"\n## Speed on a 4000x3000 photo, {repeats} runs, one ONNX thread")
    print(f"- localise: {_timed(lambda: localise(big), repeats)}")
    print(f"- detect_generated: {_timed(lambda: detect_generated(big), repeats)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="held-out synth manifest (else generated)")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--localiser", type=Path, help="a folder with a candidate localiser.onnx (else shipped)"
    )
    parser.add_argument("--localiser-only", action="store_true", help="skip the other parts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        manifest = args.data or _evaluation_set(args.count, Path(scratch) / "eval")
        localiser_part(manifest, args.localiser)
    if args.localiser_only:
        return
    _, held = generated_split()
    pairs = [(item.path, item.generated) for item in held]
    generated_part("held-out generators vs held-out cameras, as published", pairs, False)
    generated_part("the same, both classes re-encoded as JPEG q85", pairs, True)
    gan = [(item.path, item.generated) for item in research_gan_split()]
    generated_part("GAN families vs their real sources (research-only sets)", gan, False)
    speed_part(args.repeats)


if __name__ == "__main__":
    main()
