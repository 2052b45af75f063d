"""Train both models on generated data and export TorchScript files plus manifest.json.

    python -m svgai.train [--out models] [--version 1.0.0]

Reproducible: with the same torch build the exported files are byte-identical (fixed seeds, fixed thread
count, data drawn by seed, fixed string-hash seed).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
from torch import nn

from . import generator
from .features import CLASSIFIER_SIZE, IMAGE_FEATURES, PARAM_FEATURES, classifier_input
from .imaging import flatten
from .manifest import MANIFEST_NAME, sha256_file
from .metrics_eval import classification_report, regression_report
from .models import LogoClassifier, QualityPredictor
from .quality_data import QUALITY_HELDOUT_SEED, QUALITY_TRAIN_SEED, quality_dataset

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "models"


def _log(message: str) -> None:
    print(json.dumps({"event": "train", "message": message}), flush=True)


def _pixels(samples: Sequence[generator.Sample]) -> Tuple[torch.Tensor, torch.Tensor]:
    images = np.stack([classifier_input(flatten(s.image)) for s in samples]).astype(np.uint8)
    return torch.from_numpy(images), torch.tensor([s.label for s in samples])


def train_classifier(train: Sequence[generator.Sample], epochs: int) -> LogoClassifier:
    pixels, labels = _pixels(train)
    model = LogoClassifier(len(generator.CLASSES))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=epochs * (len(train) // 64 + 1))
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(train))
        total = 0.0
        for start in range(0, len(train), 64):
            batch = order[start:start + 64]
            x = pixels[batch].float()
            if random.random() < 0.5:  # mirrored logos are still the same kind of logo
                x = torch.flip(x, dims=[3])
            optimizer.zero_grad()
            loss = loss_fn(model.logits(x), labels[batch])
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += float(loss) * len(batch)
        _log(f"classifier epoch {epoch + 1}/{epochs} loss {total / len(train):.4f}")
    return model.eval()


def train_predictor(x: np.ndarray, y: np.ndarray, epochs: int) -> QualityPredictor:
    features, target = torch.from_numpy(x), torch.from_numpy(y)
    model = QualityPredictor(x.shape[1])
    model.mean.copy_(features.mean(dim=0))
    model.std.copy_(features.std(dim=0).clamp_min(1e-3))
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(target))
        for start in range(0, len(target), 128):
            batch = order[start:start + 128]
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(features[batch]), target[batch])
            loss.backward()
            optimizer.step()
        if (epoch + 1) % 20 == 0:
            _log(f"predictor epoch {epoch + 1}/{epochs} mse {float(loss):.6f}")
    return model.eval()


def export(model: nn.Module, path: Path) -> str:
    torch.jit.save(torch.jit.script(model), str(path))
    return sha256_file(path)


def _reexec_with_fixed_hash_seed() -> None:
    """TorchScript serializes some module attributes in set order, which follows Python's per-process
    string hash seed; a fixed seed makes the exported files byte-identical from run to run."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, "-m", "svgai.train", *sys.argv[1:]],
                  {**os.environ, "PYTHONHASHSEED": "0"})


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--version", default="1.0.0", help="model version recorded in the manifest")
    parser.add_argument("--train-count", type=int, default=4000)
    parser.add_argument("--heldout-count", type=int, default=800)
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--quality-images", type=int, default=900)
    parser.add_argument("--quality-configs", type=int, default=6)
    parser.add_argument("--quality-epochs", type=int, default=120)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    started = time.time()
    torch.manual_seed(0)
    random.seed(0)
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)

    train = list(generator.generate(generator.TRAIN_SEED, args.train_count))
    heldout = list(generator.generate(generator.HELDOUT_SEED, args.heldout_count))
    _log(f"generated {len(train)} training and {len(heldout)} held-out images")
    classifier = train_classifier(train, args.epochs)
    with torch.no_grad():
        pixels, labels = _pixels(heldout)
        predicted = classifier(pixels.float()).argmax(dim=1).tolist()
    cls_metrics = classification_report(labels.tolist(), predicted, generator.CLASSES)
    _log(f"classifier held-out accuracy {cls_metrics['accuracy']:.4f}")

    x_train, y_train = quality_dataset(QUALITY_TRAIN_SEED, args.quality_images, args.quality_configs, classifier,
                                       args.threads)
    x_held, y_held = quality_dataset(QUALITY_HELDOUT_SEED, max(1, args.quality_images // 4), args.quality_configs,
                                     classifier, args.threads)
    _log(f"measured {len(y_train)} training and {len(y_held)} held-out conversions")
    predictor = train_predictor(x_train, y_train, args.quality_epochs)
    with torch.no_grad():
        q_metrics = regression_report(y_held.tolist(), predictor(torch.from_numpy(x_held)).tolist())
    _log(f"predictor held-out MAE {q_metrics['mae']:.4f}")

    manifest: Dict[str, object] = {
        "version": args.version,
        "torch_version": torch.__version__,
        "generator": {"version": generator.GENERATOR_VERSION, "train_seed": generator.TRAIN_SEED,
                      "heldout_seed": generator.HELDOUT_SEED, "quality_train_seed": QUALITY_TRAIN_SEED,
                      "quality_heldout_seed": QUALITY_HELDOUT_SEED},
        "models": {
            "logo_classifier": {
                "file": "logo_classifier.torchscript",
                "sha256": export(classifier, args.out / "logo_classifier.torchscript"),
                "classes": list(generator.CLASSES),
                "input": {"shape": [3, CLASSIFIER_SIZE, CLASSIFIER_SIZE], "range": [0, 255]},
                "train_count": len(train),
                "heldout": {"count": len(heldout), "dataset_sha256": generator.dataset_hash(heldout),
                            **cls_metrics},
            },
            "quality_predictor": {
                "file": "quality_predictor.torchscript",
                "sha256": export(predictor, args.out / "quality_predictor.torchscript"),
                "inputs": list(IMAGE_FEATURES) + [f"p_{c}" for c in generator.CLASSES] + list(PARAM_FEATURES),
                "train_conversions": int(len(y_train)),
                "heldout": {"conversions": int(len(y_held)), **q_metrics},
            },
        },
    }
    (args.out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    _log(f"wrote {args.out} in {time.time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    _reexec_with_fixed_hash_seed()
    sys.exit(main())
