"""The real-logo corpus: SVG logos nobody here drew, from two npm packages, rendered to 256 px PNG.

* ``super-tiny-icons`` (multi-colour brand logos, many with text and gradients);
* ``@twemoji/svg`` (flat colour artwork).
Both are root devDependencies (``npm ci`` installs them). A fixed, evenly spaced subset of each sorted
list is taken, so every run and every machine uses the same images. Rendering is cairosvg, flattened
onto white (the service's one compositing rule).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import List

import cairosvg
import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent.parent
SOURCES = {
    "super-tiny-icons": REPO / "node_modules" / "super-tiny-icons" / "images" / "svg",
    "twemoji": REPO / "node_modules" / "@twemoji" / "svg",
}
SIZE = 256


@dataclass(frozen=True)
class Logo:
    source: str
    name: str
    rgba: np.ndarray  # SIZE x SIZE x 4

    @property
    def label(self) -> str:
        return f"{self.source}/{self.name}"

    def png(self) -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(self.rgba).save(buffer, "PNG")
        return buffer.getvalue()


def load(per_source: int, size: int = SIZE) -> List[Logo]:
    logos: List[Logo] = []
    for source, folder in SOURCES.items():
        if not folder.is_dir():
            raise SystemExit(f"{folder} is missing: run `npm ci` at the repository root")
        files = sorted(folder.glob("*.svg"))
        step = max(1, len(files) // per_source)
        for path in files[::step][:per_source]:
            png = cairosvg.svg2png(url=str(path), output_width=size, output_height=size)
            with Image.open(io.BytesIO(png)) as image:
                logos.append(Logo(source, path.stem, np.asarray(image.convert("RGBA")).copy()))
    return logos


def main() -> int:
    """Writes the corpus's PNGs to a folder, for clients that send real logos (the release rehearsal)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-source", type=int, default=4, help="logos taken from each source (default 4)")
    parser.add_argument("--out", type=Path, required=True, help="folder the PNGs are written to")
    parser.add_argument("--size", type=int, default=SIZE, help=f"width and height in pixels (default {SIZE})")
    args = parser.parse_args()
    if args.per_source < 1:
        parser.error("--per-source must be at least 1")
    if not 16 <= args.size <= 2048:
        parser.error("--size must be from 16 to 2048")
    args.out.mkdir(parents=True, exist_ok=True)
    for logo in load(args.per_source, args.size):
        (args.out / f"{logo.source}-{logo.name}.png").write_bytes(logo.png())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
