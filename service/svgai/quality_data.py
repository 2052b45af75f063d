"""Training data for the quality predictor: conversions actually run and measured, never estimated."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import List, Tuple

import numpy as np
import torch
from torch import nn

from . import generator
from .conversion import convert
from .features import classifier_input, image_features, predictor_row
from .imaging import flatten
from .vectorize import PARAMETER_RANGES, VectorizeParams

# Images from their own seeds, each converted with several random parameter sets.
QUALITY_TRAIN_SEED = 1100
QUALITY_HELDOUT_SEED = 2100


def _random_params(rng: np.random.Generator) -> Tuple[str, VectorizeParams]:
    converter = "potrace" if rng.random() < 0.2 else "potrace_color"
    values = {}
    for name, (kind, low, high) in PARAMETER_RANGES.items():
        if name == "colors":
            high = 12  # beyond this the merge step leaves nothing new to learn
        values[name] = int(rng.integers(low, high + 1)) if kind is int else float(rng.uniform(low, high))
    values["turdsize"] = int(rng.choice([0, 1, 2, 4, 8, 16, 32, 64]))
    values["threshold"] = int(rng.integers(96, 200))
    return converter, VectorizeParams(**values)


def quality_dataset(seed: int, count: int, configs: int, classifier: nn.Module, workers: int
                    ) -> Tuple[np.ndarray, np.ndarray]:
    """Measure real conversions: rows of predictor inputs and the SSIM each conversion reached."""
    samples = list(generator.generate(seed, count))
    flat = [flatten(s.image) for s in samples]
    with torch.no_grad():
        probs = classifier(torch.from_numpy(np.stack([classifier_input(rgb) for rgb in flat]))).numpy()
    rng = np.random.default_rng(seed)
    jobs = []
    for i, sample in enumerate(samples):
        feats = image_features(flat[i], np.asarray(sample.image)[..., 3])
        for _ in range(configs):
            converter, params = _random_params(rng)
            jobs.append((i, feats, converter, params))

    def run(job: Tuple[int, List[float], str, VectorizeParams]) -> Tuple[List[float], float]:
        i, feats, converter, params = job
        result = convert(flat[i], converter, params)
        return predictor_row(feats, probs[i], converter, params), result.quality.ssim

    with ThreadPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(run, jobs))
    return np.array([r[0] for r in rows], dtype=np.float32), np.array([r[1] for r in rows], dtype=np.float32)
