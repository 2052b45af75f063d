"""Train both models on generated data and export TorchScript files plus manifest.json.

    python -m svgai.train [--out models] [--version 1.0.0]
    python -m svgai.train --out models/1.1.0 --version 1.1.0 --arch v2 --train-count 8000 --epochs 18

`--arch v1` is the network of release 1.0.0 (models.LogoClassifier); `--arch v2` adds a wider first block
and fixed texture statistics of the pixels, which separate flat fills from gradients better than
pooled convolution features alone.

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


class TextureStats(nn.Module):
    """Fixed (not learned) statistics of neighbouring-pixel differences in 0..255 units: the share of
    steps that are flat, soft (a gradient), medium and sharp (an edge), horizontally and vertically, at full
    resolution and averaged over 2x2 and 4x4 blocks. Averaging cancels pixel noise but keeps a gradient's
    steady slope, which is what tells a noisy flat fill from a gradient."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("edges", torch.tensor([0.5, 1.5, 4.0, 12.0, 40.0]))

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.shares(pixels), self.shares(nn.functional.avg_pool2d(pixels, 2)),
                          self.shares(nn.functional.avg_pool2d(pixels, 4))], dim=1)

    def shares(self, pixels: torch.Tensor) -> torch.Tensor:
        dx = (pixels[:, :, :, 1:] - pixels[:, :, :, :-1]).abs().amax(dim=1).flatten(1)
        dy = (pixels[:, :, 1:, :] - pixels[:, :, :-1, :]).abs().amax(dim=1).flatten(1)
        shares = []
        for d in (dx, dy):
            below = [(d < e).float().mean(dim=1) for e in self.edges]
            shares.append(below[0].unsqueeze(1))
            for k in range(1, len(below)):
                shares.append((below[k] - below[k - 1]).unsqueeze(1))
            shares.append((1 - below[-1]).unsqueeze(1))
        return torch.cat(shares, dim=1)


class LogoClassifierV2(nn.Module):
    """Release 1.1.0: texture statistics of the full 64x64 pixels (0..255) plus a small CNN over a 2x
    averaged 32x32 view -> class probabilities. Cheaper than v1 per image, and the statistics separate flat
    fills from gradients, the pair v1 confused most."""

    def __init__(self, num_classes: int = 4) -> None:
        super().__init__()

        def block(cin: int, cout: int) -> nn.Sequential:
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                                 nn.MaxPool2d(2))

        self.features = nn.Sequential(block(3, 24), block(24, 32), block(32, 48), block(48, 64))
        self.texture = TextureStats()
        self.head = nn.Sequential(nn.Linear(64 * 2 + 36, 64), nn.ReLU(), nn.Linear(64, num_classes))

    def logits(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.features(nn.functional.avg_pool2d((pixels - 127.5) / 127.5, 2))
        pooled = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3)), 4.0 * self.texture(pixels)], dim=1)
        return self.head(pooled)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.logits(pixels), dim=1)


ARCHITECTURES = {"v1": LogoClassifier, "v2": LogoClassifierV2}


def _sample_pixels(job: Tuple[int, int, int]) -> Tuple[np.ndarray, np.ndarray]:
    seed, start, count = job
    samples = list(generator.generate(seed, count, start))
    images = np.stack([classifier_input(flatten(s.image)) for s in samples]).astype(np.uint8)
    return images, np.array([s.label for s in samples], dtype=np.int64)


def pixel_set(seed: int, count: int, workers: int, cache: Path | None) -> Tuple[torch.Tensor, torch.Tensor]:
    """The classifier inputs of data set ``seed`` (drawn in parallel; cached by generator version, seed, count)."""
    path = cache / f"pixels-{generator.GENERATOR_VERSION}-{seed}-{count}.npz" if cache else None
    if path is not None and path.is_file():
        stored = np.load(path)
        return torch.from_numpy(stored["images"]), torch.from_numpy(stored["labels"])
    chunk = 250
    jobs = [(seed, start, min(chunk, count - start)) for start in range(0, count, chunk)]
    if workers > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_sample_pixels, jobs)
    else:
        parts = [_sample_pixels(job) for job in jobs]
    images = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, images=images, labels=labels)
    return torch.from_numpy(images), torch.from_numpy(labels)


def _pixels(samples: Sequence[generator.Sample]) -> Tuple[torch.Tensor, torch.Tensor]:
    images = np.stack([classifier_input(flatten(s.image)) for s in samples]).astype(np.uint8)
    return torch.from_numpy(images), torch.tensor([s.label for s in samples])


def train_classifier(pixels: torch.Tensor, labels: torch.Tensor, epochs: int, arch: str = "v1",
                     lr: float = 3e-3) -> nn.Module:
    train = labels
    model = ARCHITECTURES[arch](len(generator.CLASSES))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=epochs * (len(train) // 64 + 1))
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
            total += float(loss.detach()) * len(batch)
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
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default="v1")
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--data-cache", type=Path, default=None,
                        help="directory caching the generated classifier inputs between runs")
    args = parser.parse_args(argv)

    started = time.time()
    torch.manual_seed(0)
    random.seed(0)
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)

    train_pixels, train_labels = pixel_set(generator.TRAIN_SEED, args.train_count, args.threads, args.data_cache)
    heldout = list(generator.generate(generator.HELDOUT_SEED, args.heldout_count))
    _log(f"generated {len(train_labels)} training and {len(heldout)} held-out images")
    classifier = train_classifier(train_pixels, train_labels, args.epochs, args.arch, args.lr)
    with torch.no_grad():
        pixels, labels = _pixels(heldout)
        predicted = torch.cat([classifier(pixels[i:i + 256].float()) for i in range(0, len(heldout), 256)]).argmax(dim=1).tolist()
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
                "architecture": args.arch,
                "train_count": int(len(train_labels)),
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
