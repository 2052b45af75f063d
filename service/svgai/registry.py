"""Loading and verifying the TorchScript models; the readiness state the ALB health check sees."""
from __future__ import annotations

import io
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

import torch

from .manifest import MODEL_NAMES, Manifest, ManifestError

log = logging.getLogger("svgai.models")


@dataclass
class LoadedModels:
    manifest: Manifest
    classifier: torch.jit.ScriptModule
    predictor: torch.jit.ScriptModule
    sha256: Dict[str, str]
    classes: List[str]
    load_seconds: float


@dataclass
class ModelState:
    """Written by the loader thread, read by request handlers; attribute swaps are atomic in CPython."""
    status: str = "loading"          # loading | ready | failed
    reason: str = "models are loading"
    models: Optional[LoadedModels] = None
    warmup_seconds: float = 0.0
    _done: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)


def load_models(model_dir: Path) -> LoadedModels:
    """Verify every file against the manifest *before* deserializing it, then load with torch.jit.load."""
    started = time.perf_counter()
    manifest = Manifest.load(model_dir)
    blobs = {name: manifest.read_verified(model_dir, name) for name in MODEL_NAMES}
    loaded = {name: torch.jit.load(io.BytesIO(data), map_location="cpu") for name, data in blobs.items()}
    for module in loaded.values():
        module.eval()
    return LoadedModels(manifest=manifest, classifier=loaded["logo_classifier"],
                        predictor=loaded["quality_predictor"],
                        sha256={name: manifest.model(name)["sha256"] for name in MODEL_NAMES},
                        classes=list(manifest.model("logo_classifier")["classes"]),
                        load_seconds=time.perf_counter() - started)


def start_loading(locate: Callable[[], Path], warmup: Callable[[LoadedModels], None]) -> ModelState:
    """Locate (maybe download), verify, load and warm up in a background thread, so /health answers at
    once while /ready reports progress and, on failure, the reason."""
    state = ModelState()

    def run() -> None:
        try:
            models = load_models(locate())
            started = time.perf_counter()
            warmup(models)
            state.warmup_seconds = time.perf_counter() - started
            state.models = models
            state.status, state.reason = "ready", "models loaded, sha256 verified, warm-up done"
            log.info("models ready", extra={"model_version": models.manifest.version, "sha256": models.sha256,
                                            "load_seconds": round(models.load_seconds, 3),
                                            "warmup_seconds": round(state.warmup_seconds, 3)})
        except ManifestError as exc:
            state.status, state.reason = "failed", str(exc)
            log.error("model verification failed", extra={"reason": str(exc)})
        except Exception as exc:  # any load/warm-up failure must surface in /ready, not kill the process
            state.status, state.reason = "failed", f"model load failed: {exc}"
            log.exception("model load failed")
        finally:
            state._done.set()

    threading.Thread(target=run, name="model-loader", daemon=True).start()
    return state
