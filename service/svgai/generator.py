"""Seeded generator of labelled logo images.

Every sample is a pure function of (seed, index): sample ``i`` is identical whether it is drawn alone or
in a batch, so training, evaluation and tests can share one definition of a data set by its seed.
Bump GENERATOR_VERSION whenever the drawing changes; the manifest and evaluation reports record it.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

GENERATOR_VERSION = "1.1.0"
CLASSES: Tuple[str, ...] = ("simple_geometric", "text_based", "gradient", "complex")

# Seeds of the pinned data sets. Different seeds keep the held-out and evaluation sets disjoint from training.
TRAIN_SEED = 1000
HELDOUT_SEED = 2000
EVAL_SEED = 3000

_SIZES = (64, 96, 128, 160, 192)
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789&"


@dataclass(frozen=True)
class Sample:
    image: Image.Image  # RGBA
    label: int
    index: int

    @property
    def class_name(self) -> str:
        return CLASSES[self.label]


def _font_path() -> str | None:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return None


def _font(size: int) -> ImageFont.ImageFont:
    path = _font_path()
    if path is None:
        return ImageFont.load_default()
    return ImageFont.truetype(path, size)


def _colour(rng: np.random.Generator) -> Tuple[int, int, int]:
    """A saturated, clearly non-white colour, as logos use."""
    hue = rng.random()
    sat = 0.55 + 0.45 * rng.random()
    val = 0.35 + 0.6 * rng.random()
    i = int(hue * 6) % 6
    f = hue * 6 - int(hue * 6)
    p, q, t = val * (1 - sat), val * (1 - f * sat), val * (1 - (1 - f) * sat)
    rgb = [(val, t, p), (q, val, p), (p, val, t), (p, q, val), (t, p, val), (val, p, q)][i]
    return tuple(int(round(c * 255)) for c in rgb)  # type: ignore[return-value]


def _box(rng: np.random.Generator, size: int, lo: float, hi: float) -> Tuple[float, float, float, float]:
    w = size * rng.uniform(lo, hi)
    h = size * rng.uniform(lo, hi)
    x0 = rng.uniform(0.04 * size, size * 0.96 - w)
    y0 = rng.uniform(0.04 * size, size * 0.96 - h)
    return (x0, y0, x0 + w, y0 + h)


def _polygon(box: Sequence[float], sides: int, rotation: float, star: bool) -> List[Tuple[float, float]]:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    rx, ry = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    points = []
    count = sides * 2 if star else sides
    for k in range(count):
        radius = 0.45 if (star and k % 2) else 1.0
        angle = rotation + 2 * math.pi * k / count
        points.append((cx + rx * radius * math.cos(angle), cy + ry * radius * math.sin(angle)))
    return points


def _shape(draw: ImageDraw.ImageDraw, rng: np.random.Generator, box: Sequence[float], fill, outline=None,
           width: int = 0) -> None:
    kind = int(rng.integers(0, 5))
    if kind == 0:
        draw.ellipse(box, fill=fill, outline=outline, width=width)
    elif kind == 1:
        draw.rectangle(box, fill=fill, outline=outline, width=width)
    elif kind == 2:
        radius = int(min(box[2] - box[0], box[3] - box[1]) * 0.25)
        draw.rounded_rectangle(box, radius=radius, fill=fill, outline=outline, width=width)
    else:
        sides = int(rng.integers(3, 7))
        draw.polygon(_polygon(box, sides, rng.uniform(0, math.pi), star=kind == 4), fill=fill, outline=outline)


def _draw_simple(canvas: Image.Image, rng: np.random.Generator) -> None:
    draw = ImageDraw.Draw(canvas)
    size = canvas.width
    for _ in range(int(rng.integers(1, 4))):
        outline = _colour(rng) if rng.random() < 0.25 else None
        _shape(draw, rng, _box(rng, size, 0.3, 0.8), fill=_colour(rng) + (255,), outline=outline,
               width=max(1, size // 40))


def _draw_text(canvas: Image.Image, rng: np.random.Generator) -> None:
    draw = ImageDraw.Draw(canvas)
    size = canvas.width
    length = int(rng.integers(1, 5))
    text = "".join(_LETTERS[int(rng.integers(0, len(_LETTERS)))] for _ in range(length))
    font = _font(int(size * rng.uniform(0.7, 1.2) / max(1.6, length * 0.75)))
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (size - (right - left)) * rng.uniform(0.2, 0.8) - left
    y = (size - (bottom - top)) * rng.uniform(0.25, 0.75) - top
    draw.text((x, y), text, font=font, fill=_colour(rng) + (255,))
    if rng.random() < 0.35:  # a rule under the word, common in wordmarks
        y_rule = y + bottom + size * 0.04
        draw.rectangle((x + left, y_rule, x + right, y_rule + max(2, size // 30)), fill=_colour(rng) + (255,))


def _gradient(size: int, rng: np.random.Generator) -> np.ndarray:
    """An RGB float gradient (linear or radial) across 2-3 colours."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / max(1, size - 1)
    if rng.random() < 0.5:
        angle = rng.uniform(0, 2 * math.pi)
        t = (xx - 0.5) * math.cos(angle) + (yy - 0.5) * math.sin(angle)
        t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    else:
        cx, cy = rng.uniform(0.3, 0.7, size=2)
        t = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
        t = np.clip(t / max(1e-6, float(t.max())), 0, 1)
    count = int(rng.integers(2, 4))
    stops = [np.array(_colour(rng), dtype=np.float32)]
    while len(stops) < count:
        candidate = np.array(_colour(rng), dtype=np.float32)
        # A gradient between near-identical colours looks flat: keep consecutive stops clearly apart.
        if np.linalg.norm(candidate - stops[-1]) > 150:
            stops.append(candidate)
    stops = np.stack(stops)
    positions = np.linspace(0, 1, len(stops))
    return np.stack([np.interp(t, positions, stops[:, c]) for c in range(3)], axis=-1)


def _paste_gradient(canvas: Image.Image, rng: np.random.Generator, box: Sequence[float]) -> None:
    mask = Image.new("L", canvas.size, 0)
    _shape(ImageDraw.Draw(mask), rng, box, fill=255)
    fill = Image.fromarray(_gradient(canvas.width, rng).round().astype(np.uint8), "RGB").convert("RGBA")
    canvas.paste(fill, (0, 0), mask)


def _draw_gradient(canvas: Image.Image, rng: np.random.Generator) -> None:
    size = canvas.width
    _paste_gradient(canvas, rng, _box(rng, size, 0.55, 0.9))
    if rng.random() < 0.4:
        _paste_gradient(canvas, rng, _box(rng, size, 0.25, 0.45))


def _draw_complex(canvas: Image.Image, rng: np.random.Generator) -> None:
    draw = ImageDraw.Draw(canvas)
    size = canvas.width
    for _ in range(int(rng.integers(6, 14))):
        _shape(draw, rng, _box(rng, size, 0.1, 0.5), fill=_colour(rng) + (255,))
    for _ in range(int(rng.integers(2, 6))):
        start = tuple(rng.uniform(0, size, size=2))
        end = tuple(rng.uniform(0, size, size=2))
        draw.line([start, end], fill=_colour(rng) + (255,), width=max(1, int(size * rng.uniform(0.01, 0.04))))
    if rng.random() < 0.4:
        small = _font(max(8, size // 6))
        draw.text(tuple(rng.uniform(0, size * 0.6, size=2)), "LOGO"[: int(rng.integers(2, 5))], font=small,
                  fill=_colour(rng) + (255,))


_DRAWERS = (_draw_simple, _draw_text, _draw_gradient, _draw_complex)


def generate_one(seed: int, index: int) -> Sample:
    """Draw sample ``index`` of the data set ``seed``. Classes are balanced: label = index mod 4."""
    rng = np.random.default_rng([seed, index])
    label = index % len(CLASSES)
    size = int(rng.choice(_SIZES))
    antialias = rng.random() < 0.75
    scale = 3 if antialias else 1

    roll = rng.random()
    if roll < 0.3:
        background = (255, 255, 255, 0)  # transparent logo
    elif roll < 0.45:
        background = tuple(int(v) for v in rng.integers(225, 256, size=3)) + (255,)
    else:
        background = (255, 255, 255, 255)
    canvas = Image.new("RGBA", (size * scale, size * scale), background)
    _DRAWERS[label](canvas, rng)
    image = canvas.resize((size, size), Image.Resampling.LANCZOS) if scale > 1 else canvas

    if rng.random() < 0.3:  # sensor/compression-like noise on the colour channels only
        pixels = np.asarray(image).astype(np.float32)
        pixels[..., :3] += rng.normal(0, rng.uniform(2, 6), size=pixels[..., :3].shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).round().astype(np.uint8), "RGBA")
    return Sample(image=image, label=label, index=index)


def generate(seed: int, count: int, start: int = 0) -> Iterator[Sample]:
    for index in range(start, start + count):
        yield generate_one(seed, index)


def dataset_hash(samples: Sequence[Sample]) -> str:
    """sha256 over every sample's label, size and RGBA bytes: names the exact data a metric was computed on."""
    digest = hashlib.sha256(f"{GENERATOR_VERSION}".encode())
    for sample in samples:
        digest.update(f"{sample.index}:{sample.label}:{sample.image.width}x{sample.image.height}".encode())
        digest.update(sample.image.tobytes())
    return digest.hexdigest()
