"""Quality on real logos, the service's converters side by side with peer vectorizers, in one run.

    cd service && $SVGAI_PYTHON bench/quality.py [--per-source 24] [--json out.json]

Every logo of the corpus (bench/corpus.py: super-tiny-icons and twemoji at 256 px) is converted by the
service's potrace_color (default parameters), smart_auto and convert-ai (tier 2, target 0.9), and by the
peers imagetracerjs and vtracer (bench/peers.mjs, Node, default colour settings) on the same pixels. Each
SVG is rendered back and scored with luma SSIM and the colour error (share of pixels more than 30 off
in some RGB channel; SSIM on luma hides wrong colours), plus path count (subpaths), SVG bytes and time.
Prints per converter the medians and the worst case, and the worst margin of smart_auto and convert-ai
over potrace_color on the colour error.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

SERVICE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SERVICE_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import corpus  # noqa: E402
from svgai import quality  # noqa: E402
from svgai.conversion import convert  # noqa: E402
from svgai.imaging import flatten  # noqa: E402
from svgai.inference import Engine  # noqa: E402
from svgai.registry import load_models  # noqa: E402
from svgai.vectorize import VectorizeParams  # noqa: E402
from PIL import Image  # noqa: E402

CONVERTERS = ["potrace_color", "smart_auto", "convert-ai", "imagetracerjs", "vtracer"]
_SUBPATH = re.compile(r"[Mm]")
_D = re.compile(r'\sd="([^"]*)"')


def subpaths(svg: str) -> int:
    return sum(len(_SUBPATH.findall(d)) for d in _D.findall(svg))


def score(rgb: np.ndarray, svg: str, seconds: float) -> Dict:
    rendered = quality.render_svg(svg, rgb.shape[1], rgb.shape[0])
    return {"ssim": quality.ssim(rgb, rendered), "colour_error": quality.colour_error(rgb, rendered),
            "paths": subpaths(svg), "bytes": len(svg.encode()), "ms": seconds * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-source", type=int, default=24, help="logos per npm package (default 24)")
    parser.add_argument("--json", type=Path, help="also write every score as JSON")
    args = parser.parse_args()

    logos = corpus.load(args.per_source)
    models = load_models(SERVICE_DIR / "models")
    engine = Engine(models)
    results: Dict[str, Dict[str, Dict]] = {c: {} for c in CONVERTERS}
    labels: Dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="svgai-quality-") as folder:
        for index, logo in enumerate(logos):
            rgb = flatten(Image.fromarray(logo.rgba))
            key = f"{index:03d}"
            opaque = np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])  # peers see the same pixels
            Path(folder, f"{key}.rgba").write_bytes(opaque.tobytes())
            Path(folder, f"{key}.json").write_text(json.dumps({"width": rgb.shape[1], "height": rgb.shape[0]}))
            started = time.perf_counter()
            plain = convert(rgb, "potrace_color", VectorizeParams())
            results["potrace_color"][logo.label] = score(rgb, plain.vector.svg, time.perf_counter() - started)
            started = time.perf_counter()
            classification, auto = engine.smart_auto(rgb, time.monotonic() + 120)
            results["smart_auto"][logo.label] = score(rgb, auto.vector.svg, time.perf_counter() - started)
            labels[logo.label] = classification.label
            started = time.perf_counter()
            ai = engine.convert_ai(rgb, logo.rgba[..., 3], 2, 0.9, time.monotonic() + 120)
            results["convert-ai"][logo.label] = score(rgb, ai.chosen.conversion.vector.svg,
                                                      time.perf_counter() - started)
        peers = subprocess.run(["node", str(Path(__file__).with_name("peers.mjs")), folder], capture_output=True,
                               text=True, check=True)
        for line in peers.stdout.splitlines():
            row = json.loads(line)
            logo = logos[int(row["name"])]
            if row.get("error"):
                results[row["peer"]][logo.label] = {"error": row["error"]}
                continue
            rgb = flatten(Image.fromarray(logo.rgba))
            svg = Path(folder, f"{row['name']}.{row['peer']}.svg").read_text()
            results[row["peer"]][logo.label] = score(rgb, svg, row["ms"] / 1000)

    print_report(results, labels, len(logos))
    if args.json:
        args.json.write_text(json.dumps({"results": results, "classifier_labels": labels}, indent=1))
    return 0


def print_report(results: Dict[str, Dict[str, Dict]], labels: Dict[str, str], count: int) -> None:
    print(f"Quality on {count} real logos at {corpus.SIZE} px (super-tiny-icons + twemoji); "
          "colour error = share of pixels > 30 off in some channel (lower is better)")
    header = (f"{'converter':<14}{'n':>4}{'colour err med':>16}{'worst':>8}  {'worst logo':<34}"
              f"{'SSIM med':>9}{'worst':>7}{'paths med':>10}{'bytes med':>10}{'ms med':>8}{'failed':>7}")
    print(header)
    for converter, rows in results.items():
        ok = {k: v for k, v in rows.items() if "error" not in v}
        if not ok:
            print(f"{converter:<14} no results: {next(iter(rows.values()), {}).get('error', 'not run')}")
            continue
        med = {m: statistics.median(v[m] for v in ok.values()) for m in ("colour_error", "ssim", "paths", "bytes", "ms")}
        worst_logo = max(ok, key=lambda k: ok[k]["colour_error"])
        print(f"{converter:<14}{len(ok):>4}{med['colour_error']:>16.4f}{ok[worst_logo]['colour_error']:>8.4f}  "
              f"{worst_logo[:34]:<34}{med['ssim']:>9.4f}{min(v['ssim'] for v in ok.values()):>7.3f}"
              f"{med['paths']:>10.0f}{med['bytes']:>10.0f}{med['ms']:>8.0f}{len(rows) - len(ok):>7}")
    base = results["potrace_color"]
    for converter in ("smart_auto", "convert-ai"):
        margins = {k: v["colour_error"] - base[k]["colour_error"] for k, v in results[converter].items()
                   if "error" not in v and k in base}
        worst = max(margins, key=margins.get)
        print(f"{converter} vs potrace_color, colour error: worst margin {margins[worst]:+.4f} ({worst}), "
              f"worse by > 0.02 on {sum(m > 0.02 for m in margins.values())} of {len(margins)}")
    counts: Dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    print("classifier labels on the corpus:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    raise SystemExit(main())
