"""The model manifest (plain JSON) and sha256 verification of model files against it."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict

MANIFEST_NAME = "manifest.json"
MODEL_NAMES = ("logo_classifier", "quality_predictor")


class ManifestError(RuntimeError):
    """The model directory cannot be trusted; the message says why (shown by /ready)."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    data: Dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.data["version"])

    def model(self, name: str) -> Dict[str, Any]:
        return self.data["models"][name]

    @classmethod
    def load(cls, model_dir: Path) -> "Manifest":
        path = model_dir / MANIFEST_NAME
        if not path.is_file():
            raise ManifestError(f"manifest not found: {path}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ManifestError(f"manifest unreadable: {exc}") from exc
        for name in MODEL_NAMES:
            entry = data.get("models", {}).get(name)
            if not isinstance(entry, dict) or "file" not in entry or "sha256" not in entry:
                raise ManifestError(f"manifest has no complete entry for model '{name}'")
        if "version" not in data:
            raise ManifestError("manifest has no 'version'")
        return cls(data)

    def read_verified(self, model_dir: Path, name: str) -> bytes:
        """The model file's bytes, only if their sha256 is the manifest's; the caller deserializes exactly
        these bytes, so nothing can change between the check and the load."""
        entry = self.model(name)
        path = model_dir / entry["file"]
        if not path.is_file():
            raise ManifestError(f"model file missing: {path}")
        data = path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if actual != entry["sha256"]:
            raise ManifestError(f"sha256 mismatch for {name}: manifest {entry['sha256']}, file {actual}")
        return data
