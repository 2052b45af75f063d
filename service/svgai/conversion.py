"""One conversion: vectorize a flattened image and measure the result with the one quality definition."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .quality import Quality, measure
from .vectorize import VectorizeParams, Vectorized, vectorize


@dataclass(frozen=True)
class Conversion:
    converter: str
    params: VectorizeParams
    vector: Vectorized
    quality: Quality
    seconds: float


def convert(rgb: np.ndarray, converter: str, params: VectorizeParams, timeout: float = 20.0) -> Conversion:
    started = time.perf_counter()
    vector = vectorize(rgb, converter, params, timeout=timeout)
    quality = measure(rgb, vector.svg)
    return Conversion(converter, params, vector, quality, time.perf_counter() - started)
