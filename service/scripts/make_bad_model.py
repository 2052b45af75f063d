"""Write a model set whose classifier is wrong on every image, to show that the release gate refuses it.

    python scripts/make_bad_model.py --model-dir models/1.1.0 --out bad-model --version 1.1.0

The copy's classifier is a TorchScript module that runs the original classifier and moves each probability to
the next class (a rotation of the output), so it is as confident as before and never right: a regression no
latency or format check can see, only the gate's accuracy against the evaluation set. The quality predictor is
copied byte for byte, and the manifest is rewritten with the new file's sha256 and `--version`. Prints the new
classifier's sha256 as JSON.
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


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True, help="the model set to spoil")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the spoilt model set to")
    parser.add_argument("--version", default="", help="the spoilt set's manifest version (default: <version>-bad)")
    args = parser.parse_args(argv)
    manifest_path = args.model_dir / "manifest.json"
    if not manifest_path.is_file():
        parser.error(f"--model-dir {args.model_dir} has no manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    classifier = manifest["models"]["logo_classifier"]
    predictor = manifest["models"]["quality_predictor"]

    inner = torch.jit.load(str(args.model_dir / classifier["file"]), map_location="cpu").eval()
    bad = torch.jit.script(Mislabelled(inner).eval())
    args.out.mkdir(parents=True, exist_ok=True)
    out_file = args.out / classifier["file"]
    torch.jit.save(bad, str(out_file))
    shutil.copyfile(args.model_dir / predictor["file"], args.out / predictor["file"])

    sha256 = hashlib.sha256(out_file.read_bytes()).hexdigest()
    manifest["version"] = args.version or f"{manifest['version']}-bad"
    classifier["sha256"] = sha256
    classifier["mislabelled"] = {"from_sha256": hashlib.sha256((args.model_dir / classifier["file"]).read_bytes()).hexdigest(),
                                 "rotation": 1}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"event": "make_bad_model", "out": str(args.out), "version": manifest["version"], "sha256": sha256}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
