"""The one quality definition: SSIM/MSE/PSNR between an image and its SVG rendered back.

Definition (fixed, so numbers are comparable everywhere): both images are flattened onto white
(``imaging.flatten``), converted to BT.601 luma, and compared with the SSIM of Wang et al. (2004):
11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03, L 255, averaged over the valid region.
The SVG is rendered with cairosvg at the input's pixel size.

SSIM on luma barely sees colour: a red shape drawn in a grey of the same luma, or a gradient posterized
into bands, still scores high. So every measurement also carries the colour error, the share of pixels
more than ``COLOUR_TOLERANCE`` off in some RGB channel, and ``score`` (the lower of SSIM and one minus
the colour error) is what quality targets are judged on.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import cairocffi
import cairosvg
import numpy as np
from PIL import Image

from .imaging import flatten

_WINDOW = 11
_SIGMA = 1.5
_C1 = (0.01 * 255) ** 2
_C2 = (0.03 * 255) ** 2
COLOUR_TOLERANCE = 30


@dataclass(frozen=True)
class Quality:
    ssim: float
    mse: float
    psnr: float
    colour_error: float = 0.0

    @property
    def score(self) -> float:
        """Colour-aware quality in 0..1: a conversion is as good as the worse of structure and colour."""
        return min(self.ssim, 1.0 - self.colour_error)


def colour_error(a_rgb: np.ndarray, b_rgb: np.ndarray) -> float:
    """Share of pixels more than COLOUR_TOLERANCE off in at least one RGB channel."""
    return _off_share(a_rgb.astype(np.int16) - b_rgb.astype(np.int16))


def _off_share(diff: np.ndarray) -> float:
    far = np.abs(diff) > COLOUR_TOLERANCE
    # Channel by channel: a reduction over an axis of length 3 is numpy's slowest case.
    return float(np.count_nonzero(far[..., 0] | far[..., 1] | far[..., 2]) / far[..., 0].size)


def _kernel() -> np.ndarray:
    x = np.arange(_WINDOW, dtype=np.float64) - (_WINDOW - 1) / 2
    k = np.exp(-(x ** 2) / (2 * _SIGMA ** 2))
    return k / k.sum()


_KERNEL = _kernel()


def _filter(images: np.ndarray) -> np.ndarray:
    """Separable Gaussian filter over the last two axes, 'valid' region only (no padding choices to
    disagree about). The kernel is symmetric, so each axis is six weighted adds of pixel pairs, in
    preallocated buffers: the sums of a sliding-window product without materializing the windows or a
    temporary per tap (this filter was the largest single cost of a conversion).
    """
    height, width = images.shape[-2:]
    n, half = _WINDOW, (_WINDOW - 1) // 2
    kernel = _KERNEL.astype(images.dtype)

    def along(data: np.ndarray, axis: int, size: int) -> np.ndarray:
        def taps(i: int) -> np.ndarray:
            return data[..., i:i + size, :] if axis == -2 else data[..., i:i + size]
        out = taps(half) * kernel[half]
        pair = np.empty_like(out)
        for i in range(half):
            np.add(taps(i), taps(n - 1 - i), out=pair)
            pair *= kernel[i]
            out += pair
        return out

    return along(along(images, -1, width - n + 1), -2, height - n + 1)


def luma(rgb: np.ndarray) -> np.ndarray:
    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return rgb.astype(np.float32) @ weights


def ssim(a_rgb: np.ndarray, b_rgb: np.ndarray) -> float:
    if a_rgb.shape != b_rgb.shape:
        raise ValueError(f"shape mismatch {a_rgb.shape} vs {b_rgb.shape}")
    a, b = luma(a_rgb), luma(b_rgb)
    if min(a.shape) < _WINDOW:  # too small for the window: pad with white, the compositing background
        pad = [(0, max(0, _WINDOW - a.shape[0])), (0, max(0, _WINDOW - a.shape[1]))]
        a, b = np.pad(a, pad, constant_values=255.0), np.pad(b, pad, constant_values=255.0)
    # float32 is ample: the variances are differences of values below 65 025, against C2 = 58.5.
    mu_a, mu_b, aa, bb, ab = _filter(np.stack([a, b, a * a, b * b, a * b]))
    var_a, var_b, cov = aa - mu_a ** 2, bb - mu_b ** 2, ab - mu_a * mu_b
    num = (2 * mu_a * mu_b + _C1) * (2 * cov + _C2)
    den = (mu_a ** 2 + mu_b ** 2 + _C1) * (var_a + var_b + _C2)
    return float(np.mean(num / den, dtype=np.float64))


_OWN_SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" width="(\d+)" height="(\d+)" viewBox="0 0 \1 \2">'
                      r'<rect width="\1" height="\2" fill="#([0-9a-f]{6})"/>((?:<path [^>]*/>)*)</svg>\Z')
_OWN_PATH = re.compile(r'<path transform="translate\(([-\d.]+),([-\d.]+)\) scale\(([-\d.]+),([-\d.]+)\)" '
                       r'fill="#([0-9a-f]{6})" d="([-\d.MmLlCcZz ]*)"/>')
_COMMAND = re.compile(r"([MmLlCcZz])([^MmLlCcZz]*)")


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


def _draw_path(ctx: "cairocffi.Context", data: str) -> None:
    """The SVG path commands potrace writes (M, L, C and Z, absolute or relative), onto a cairo context."""
    x = y = 0.0
    for command, args in _COMMAND.findall(data):
        values = [float(v) for v in args.split()]
        if command in "Zz":
            ctx.close_path()
            x, y = ctx.get_current_point()
            continue
        step = 6 if command in "Cc" else 2
        for i in range(0, len(values) - step + 1, step):
            v = values[i:i + step]
            if command in "mlc":  # relative
                v = [v[j] + (x if j % 2 == 0 else y) for j in range(step)]
            if command in "Mm" and i == 0:
                ctx.move_to(v[0], v[1])
            elif command in "Cc":
                ctx.curve_to(*v)
            else:  # L, l, and the implicit line-tos after a move
                ctx.line_to(v[0], v[1])
            x, y = v[-2], v[-1]


def _render_own(match: "re.Match[str]", width: int, height: int) -> np.ndarray:
    """Render an SVG exactly as vectorize() writes it with cairo directly: the same drawing cairosvg does
    (nonzero fill, default antialiasing, painted in document order), without parsing a general SVG."""
    svg_w, svg_h = int(match.group(1)), int(match.group(2))
    surface = cairocffi.ImageSurface(cairocffi.FORMAT_RGB24, width, height)
    ctx = cairocffi.Context(surface)
    ctx.scale(width / svg_w, height / svg_h)
    ctx.set_source_rgb(*_rgb(match.group(3)))
    ctx.paint()
    ctx.set_fill_rule(cairocffi.FILL_RULE_WINDING)
    for tx, ty, sx, sy, colour, data in _OWN_PATH.findall(match.group(4)):
        ctx.save()
        ctx.translate(float(tx), float(ty))
        ctx.scale(float(sx), float(sy))
        ctx.new_path()
        _draw_path(ctx, data)
        ctx.restore()
        ctx.set_source_rgb(*_rgb(colour))
        ctx.fill()
    surface.flush()
    stride = surface.get_stride()
    bgrx = np.frombuffer(surface.get_data(), dtype=np.uint8).reshape(height, stride // 4, 4)[:, :width]
    return bgrx[..., 2::-1].copy()  # cairo's RGB24 is B, G, R, unused in memory on little-endian machines


def render_svg(svg: str, width: int, height: int) -> np.ndarray:
    """Rasterize an SVG at the given size and flatten it onto white.

    The SVGs this service writes are opaque (a background rect, then filled paths) and are drawn with
    cairo directly; any other SVG goes through cairosvg. Both are cairo, and a test checks they agree.
    """
    own = _OWN_SVG.match(svg)
    if own is not None and len(_OWN_PATH.findall(own.group(4))) == own.group(4).count("<path "):
        return _render_own(own, width, height)
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width, output_height=height)
    with Image.open(io.BytesIO(png)) as rendered:
        return flatten(rendered)


def measure(original_rgb: np.ndarray, svg: str) -> Quality:
    height, width = original_rgb.shape[:2]
    rendered = render_svg(svg, width, height)
    diff = original_rgb.astype(np.int16) - rendered.astype(np.int16)  # exact: one difference for both errors
    flat = diff.reshape(-1).astype(np.int64)
    mse = float(flat @ flat) / flat.size
    # Identical images have infinite PSNR, which JSON cannot carry: report 100 dB, beyond any real result.
    psnr = 100.0 if mse == 0 else min(100.0, float(10 * np.log10(255.0 ** 2 / mse)))
    return Quality(ssim=ssim(original_rgb, rendered), mse=mse, psnr=psnr, colour_error=_off_share(diff))
