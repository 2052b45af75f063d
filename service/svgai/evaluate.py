"""Evaluate the models in a model directory on the pinned evaluation set and write the JSON report.

    python -m svgai.evaluate --model-dir models --out report.json

The report validates against schemas/evaluation-report.schema.json; the model-validate gate judges it.
Exit status: 0 report written, 2 the model directory failed sha256 verification, 3 a metric was not a finite
number (no report is written).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import torch

from . import generator
from .features import classifier_input
from .imaging import flatten
from .manifest import ManifestError
from .metrics_eval import classification_report, percentiles, regression_report
from .registry import load_models
from .quality_data import QUALITY_HELDOUT_SEED, quality_dataset

SCHEMA_VERSION = "1.1"  # 1.1: per-sample labels and predictions, for paired champion/challenger comparisons


def evaluate(model_dir: Path, count: int, seed: int, quality_images: int, model_version: str = "") -> Dict[str, Any]:
    models = load_models(model_dir)
    samples = list(generator.generate(seed, count))
    pixels = [torch.from_numpy(classifier_input(flatten(s.image))).unsqueeze(0) for s in samples]

    with torch.no_grad():
        for x in pixels[:5]:  # warm-up, so the profiling executor's first runs don't count as latency
            models.classifier(x)
        predicted: List[int] = []
        latencies: List[float] = []
        for x in pixels:
            started = time.perf_counter()
            probs = models.classifier(x)
            latencies.append((time.perf_counter() - started) * 1000)
            predicted.append(int(probs.argmax(dim=1)))

    metrics = classification_report([s.label for s in samples], predicted, models.classes)
    report: Dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "model": {
            "name": "logo_classifier",
            "version": model_version or models.manifest.version,
            "sha256": models.sha256["logo_classifier"],
            "files": {name: {"file": models.manifest.model(name)["file"], "sha256": sha}
                      for name, sha in models.sha256.items()},
        },
        "dataset": {
            "generator_version": generator.GENERATOR_VERSION,
            "seed": seed,
            "count": len(samples),
            "sha256": generator.dataset_hash(samples),
        },
        "classes": list(models.classes),
        "accuracy": metrics["accuracy"],
        "macro_f1": metrics["macro_f1"],
        "per_class": metrics["per_class"],
        "confusion_matrix": metrics["confusion_matrix"],
        "labels": [s.label for s in samples],
        "predictions": predicted,
        "latency_ms": {**percentiles(latencies), "mean": round(float(np.mean(latencies)), 3),
                       "samples": len(latencies), "batch_size": 1, "threads": torch.get_num_threads()},
        "environment": {"torch_version": torch.__version__, "python_version": platform.python_version(),
                        "platform": platform.platform()},
    }
    if quality_images > 0:
        x, y = quality_dataset(QUALITY_HELDOUT_SEED, quality_images, 2, models.classifier, workers=1)
        with torch.no_grad():
            estimates = models.predictor(torch.from_numpy(x)).tolist()
        report["quality_predictor"] = {"sha256": models.sha256["quality_predictor"], "conversions": len(y),
                                       **regression_report(y.tolist(), estimates)}
    return report


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=400, help="evaluation images (balanced over classes)")
    parser.add_argument("--seed", type=int, default=generator.EVAL_SEED)
    parser.add_argument("--quality-images", type=int, default=100,
                        help="images whose conversions check the quality predictor (0 skips)")
    parser.add_argument("--model-version", default="", help="overrides the manifest's version in the report")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    try:
        report = evaluate(args.model_dir, args.count, args.seed, args.quality_images, args.model_version)
    except ManifestError as exc:
        print(json.dumps({"event": "evaluate", "error": str(exc)}), file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        text = json.dumps(report, indent=2, allow_nan=False)  # NaN is not JSON; a NaN metric is a failed evaluation
    except ValueError as exc:
        print(json.dumps({"event": "evaluate", "error": f"the report holds a non-finite number: {exc}"}), file=sys.stderr)
        return 3
    args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps({"event": "evaluate", "out": str(args.out), "accuracy": report["accuracy"],
                      "p95_ms": report["latency_ms"]["p95"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
