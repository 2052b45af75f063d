"""Model inputs computed from an image: the classifier tensor and the quality predictor's feature vector."""
from __future__ import annotations

from typing import List, Sequence

import numpy as np
from PIL import Image

from .vectorize import PARAMETER_RANGES, VectorizeParams

CLASSIFIER_SIZE = 64

IMAGE_FEATURES: tuple[str, ...] = (
    "log_pixels", "colour_count", "foreground_fraction", "edge_density", "soft_gradient_fraction",
    "luma_std", "colour_entropy", "transparent_fraction", "laplacian_mean",
)
PARAM_FEATURES: tuple[str, ...] = ("mono", "colors", "turdsize", "alphamax", "opttolerance")


def classifier_input(rgb: np.ndarray) -> np.ndarray:
    """3 x 64 x 64 float32 in 0..255 (the model normalizes internally)."""
    small = Image.fromarray(rgb, "RGB").resize((CLASSIFIER_SIZE, CLASSIFIER_SIZE), Image.Resampling.BILINEAR)
    return np.asarray(small, dtype=np.float32).transpose(2, 0, 1).copy()


def image_features(rgb: np.ndarray, alpha: np.ndarray) -> List[float]:
    """Cheap global statistics that say how hard an image is to vectorize; order = IMAGE_FEATURES."""
    pixels = rgb.reshape(-1, 3).astype(np.int64)
    luma = rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    coarse = (pixels >> 4)
    codes = coarse[:, 0] * 256 + coarse[:, 1] * 16 + coarse[:, 2]
    counts = np.bincount(codes, minlength=4096).astype(np.float64)
    share = counts[counts > 0] / counts.sum()
    dominant = np.unravel_index(int(np.argmax(counts)), (16, 16, 16))
    dominant_rgb = np.array(dominant) * 16 + 8
    foreground = np.linalg.norm(pixels - dominant_rgb, axis=1) > 40
    # np.gradient needs two samples per axis: a 1-px wide or tall image has no gradient along it.
    gy = np.gradient(luma, axis=0) if luma.shape[0] > 1 else np.zeros_like(luma)
    gx = np.gradient(luma, axis=1) if luma.shape[1] > 1 else np.zeros_like(luma)
    magnitude = np.hypot(gx, gy)
    laplacian = np.abs(4 * luma[1:-1, 1:-1] - luma[:-2, 1:-1] - luma[2:, 1:-1] - luma[1:-1, :-2] - luma[1:-1, 2:])
    return [
        float(np.log2(rgb.shape[0] * rgb.shape[1]) / 20.0),
        float(np.log2(1 + (share > 0.001).sum()) / 12.0),
        float(foreground.mean()),
        float((magnitude > 30).mean()),
        float(((magnitude > 1.5) & (magnitude < 12)).mean()),
        float(luma.std() / 128.0),
        float(-(share * np.log2(share)).sum() / 12.0),
        float((alpha < 250).mean()),
        float(laplacian.mean() / 50.0) if laplacian.size else 0.0,
    ]


def param_features(converter: str, params: VectorizeParams) -> List[float]:
    """Vectorizer parameters scaled to 0..1 by their allowed ranges; order = PARAM_FEATURES."""
    mono = converter == "potrace"
    values = [1.0 if mono else 0.0]
    for name in PARAM_FEATURES[1:]:
        _, low, high = PARAMETER_RANGES[name]
        raw = 2 if (mono and name == "colors") else getattr(params, name)
        values.append((float(raw) - low) / (high - low))
    return values


def predictor_row(image_feats: Sequence[float], class_probs: Sequence[float], converter: str,
                  params: VectorizeParams) -> List[float]:
    return list(image_feats) + list(class_probs) + param_features(converter, params)
