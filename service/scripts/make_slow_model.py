"""Write a deliberately slow copy of a model set, to show that the release gate refuses a model too slow to serve.

    python scripts/make_slow_model.py --model-dir models/1.1.0 --out slow-model --rounds 200000

The copy's classifier is a TorchScript module that runs the original classifier unchanged and, on every call,
a chain of `rounds` dependent 8x8 matrix products whose result feeds its output (so no optimiser can drop
them) without changing a single prediction. The matrices are tiny on purpose: each round costs the interpreter's
dispatch of two operators (a few microseconds on any CPU), not arithmetic that wider vector units would speed up. The quality predictor is copied byte for byte, and the manifest is
rewritten with the new file's sha256 and `--version`. Prints the new classifier's sha256 as JSON.
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

SIZE = 8


class Slowed(torch.nn.Module):
    def __init__(self, inner: torch.jit.ScriptModule, rounds: int) -> None:
        super().__init__()
        self.inner = inner
        self.rounds = rounds
        generator = torch.Generator().manual_seed(0)
        # Orthogonal, so repeated products neither blow up nor vanish: the chain stays finite however long.
        self.register_buffer("rotation", torch.linalg.qr(torch.randn(SIZE, SIZE, generator=generator))[0].contiguous())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        probs = self.inner(x)
        state = self.rotation
        for _ in range(self.rounds):
            state = torch.tanh(state @ self.rotation)  # each product waits for the one before
        # Zero times a finite number: the probabilities are unchanged, but the chain is part of the output.
        return probs + state.mean() * 0.0


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, required=True, help="the model set to slow down")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the slowed model set to")
    parser.add_argument("--rounds", type=int, required=True, help="dependent 8x8 matrix products per call")
    parser.add_argument("--version", default="", help="the slowed set's manifest version (default: <version>-slow)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    manifest_path = args.model_dir / "manifest.json"
    if not manifest_path.is_file():
        parser.error(f"--model-dir {args.model_dir} has no manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    classifier = manifest["models"]["logo_classifier"]
    predictor = manifest["models"]["quality_predictor"]

    inner = torch.jit.load(str(args.model_dir / classifier["file"]), map_location="cpu").eval()
    slowed = torch.jit.script(Slowed(inner, args.rounds).eval())
    args.out.mkdir(parents=True, exist_ok=True)
    out_file = args.out / classifier["file"]
    torch.jit.save(slowed, str(out_file))
    shutil.copyfile(args.model_dir / predictor["file"], args.out / predictor["file"])

    sha256 = hashlib.sha256(out_file.read_bytes()).hexdigest()
    manifest["version"] = args.version or f"{manifest['version']}-slow"
    classifier["sha256"] = sha256
    classifier["slowed"] = {"from_sha256": hashlib.sha256((args.model_dir / classifier["file"]).read_bytes()).hexdigest(),
                            "rounds": args.rounds, "matrix": SIZE}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"event": "make_slow_model", "out": str(args.out), "version": manifest["version"], "sha256": sha256}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
