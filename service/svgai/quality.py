"""The one quality definition: SSIM/MSE/PSNR between an image and its SVG rendered back.

Definition (fixed, so numbers are comparable everywhere): both images are flattened onto white
(``imaging.flatten``), converted to BT.601 luma, and compared with the SSIM of Wang et al. (2004):
11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03, L 255, averaged over the valid region.
The SVG is rendered with cairosvg at the input's pixel size.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import cairosvg
import numpy as np
from PIL import Image

from .imaging import flatten

_WINDOW = 11
_SIGMA = 1.5
_C1 = (0.01 * 255) ** 2
_C2 = (0.03 * 255) ** 2


@dataclass(frozen=True)
class Quality:
    ssim: float
    mse: float
    psnr: float


def _kernel() -> np.ndarray:
    x = np.arange(_WINDOW, dtype=np.float64) - (_WINDOW - 1) / 2
    k = np.exp(-(x ** 2) / (2 * _SIGMA ** 2))
    return k / k.sum()


_KERNEL = _kernel()


def _filter(image: np.ndarray) -> np.ndarray:
    """Separable Gaussian filter, 'valid' region only (no padding choices to disagree about)."""
    rows = np.lib.stride_tricks.sliding_window_view(image, _WINDOW, axis=1) @ _KERNEL
    return np.lib.stride_tricks.sliding_window_view(rows, _WINDOW, axis=0) @ _KERNEL


def luma(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.astype(np.float64)
    return 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]


def ssim(a_rgb: np.ndarray, b_rgb: np.ndarray) -> float:
    if a_rgb.shape != b_rgb.shape:
        raise ValueError(f"shape mismatch {a_rgb.shape} vs {b_rgb.shape}")
    a, b = luma(a_rgb), luma(b_rgb)
    if min(a.shape) < _WINDOW:  # too small for the window: pad with white, the compositing background
        pad = [(0, max(0, _WINDOW - a.shape[0])), (0, max(0, _WINDOW - a.shape[1]))]
        a, b = np.pad(a, pad, constant_values=255.0), np.pad(b, pad, constant_values=255.0)
    mu_a, mu_b = _filter(a), _filter(b)
    var_a = _filter(a * a) - mu_a ** 2
    var_b = _filter(b * b) - mu_b ** 2
    cov = _filter(a * b) - mu_a * mu_b
    num = (2 * mu_a * mu_b + _C1) * (2 * cov + _C2)
    den = (mu_a ** 2 + mu_b ** 2 + _C1) * (var_a + var_b + _C2)
    return float(np.mean(num / den))


def render_svg(svg: str, width: int, height: int) -> np.ndarray:
    """Rasterize an SVG at the given size and flatten it onto white."""
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width, output_height=height)
    with Image.open(io.BytesIO(png)) as rendered:
        return flatten(rendered)


def measure(original_rgb: np.ndarray, svg: str) -> Quality:
    height, width = original_rgb.shape[:2]
    rendered = render_svg(svg, width, height)
    diff = original_rgb.astype(np.float64) - rendered.astype(np.float64)
    mse = float(np.mean(diff ** 2))
    # Identical images have infinite PSNR, which JSON cannot carry: report 100 dB, beyond any real result.
    psnr = 100.0 if mse == 0 else min(100.0, float(10 * np.log10(255.0 ** 2 / mse)))
    return Quality(ssim=ssim(original_rgb, rendered), mse=mse, psnr=psnr)
