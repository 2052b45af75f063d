"""Write a spoilt copy of a model set, to show that a release refuses or rolls back a bad model.

    python scripts/make_bad_model.py --model-dir models/1.1.0 --out bad-model --version 1.1.0 [--part predictor]

``--part classifier`` (the default): the copy's classifier runs the original and moves each probability to
the next class (a rotation of the output), so it is as confident as before and never right: a regression no
latency or format check can see, only the gate's accuracy against the evaluation set.

``--part predictor``: the classifier is kept and the quality predictor answers 1 - what the original predicts,
so it ranks the worst conversions first and is far from every quality it measures. The gate, which judges the
classifier, passes it; in production the service's per-model PredictionError shows it, which is what a model
release's canary compares with the live model.

The other model file is copied byte for byte, and the manifest is rewritten with the new file's sha256 and
`--version`. Prints the new file's sha256 as JSON.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import List

import torch


class Mislabelled(torch.nn.Module):
    def __init__(self, inner: torch.jit.ScriptModule) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.roll(self.inner(x), shifts=1, dims=-1)


class Inverted(torch.nn.Module):
    def __init__(self, inner: torch.jit.ScriptModule) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 1.0 - self.inner(x)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True, help="the model set to spoil")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the spoilt model set to")
    parser.add_argument("--version", default="", help="the spoilt set's manifest version (default: <version>-bad)")
    parser.add_argument("--part", choices=("classifier", "predictor"), default="classifier",
                        help="which model to spoil (default classifier)")
    args = parser.parse_args(argv)
    manifest_path = args.model_dir / "manifest.json"
    if not manifest_path.is_file():
        parser.error(f"--model-dir {args.model_dir} has no manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    spoilt_name, kept_name = (("logo_classifier", "quality_predictor") if args.part == "classifier"
                              else ("quality_predictor", "logo_classifier"))
    spoilt, kept = manifest["models"][spoilt_name], manifest["models"][kept_name]

    inner = torch.jit.load(str(args.model_dir / spoilt["file"]), map_location="cpu").eval()
    bad = torch.jit.script((Mislabelled if args.part == "classifier" else Inverted)(inner).eval())
    args.out.mkdir(parents=True, exist_ok=True)
    out_file = args.out / spoilt["file"]
    torch.jit.save(bad, str(out_file))
    if (args.out / kept["file"]).resolve() != (args.model_dir / kept["file"]).resolve():
        shutil.copyfile(args.model_dir / kept["file"], args.out / kept["file"])

    sha256 = hashlib.sha256(out_file.read_bytes()).hexdigest()
    manifest["version"] = args.version or f"{manifest['version']}-bad"
    spoilt["spoilt"] = {"from_sha256": spoilt["sha256"], "how": "labels rotated by one" if args.part == "classifier"
                        else "1 - the original prediction"}
    spoilt["sha256"] = sha256
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"event": "make_bad_model", "part": args.part, "out": str(args.out), "version": manifest["version"],
                      "sha256": sha256}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
