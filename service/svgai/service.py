"""The service behind the routes: settings, models, limits, conversion workers and the upload store."""
from __future__ import annotations

import base64
import binascii
import logging
import os
import time
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Tuple

import numpy as np

from .config import Settings
from .conversion import Conversion
from .ecs_metadata import read_image_identity
from .errors import ApiError
from .imaging import DecodedImage, ImageError, decode
from .inference import ConvertFn, Engine
from .limiter import Limiter, Overloaded, WorkTimeout
from .model_source import S3ModelSource
from .registry import LoadedModels, ModelState, start_loading
from .requests import ImageRef
from .service_metrics import ServiceMetrics
from .store import UploadStore, store_from_env, valid_file_id
from .vectorize import ParameterError, VectorizeParams
from .workers import ConversionTimeout, WorkerFailed, WorkerPool

log = logging.getLogger("svgai.service")
STATIC = Path(__file__).resolve().parent / "static"


def _warmup(models: LoadedModels, workers: WorkerPool) -> None:
    """Run every code path once (TorchScript profiling, potrace, cairosvg, every worker process) so the
    first request is not slow."""
    rgb = np.full((64, 64, 3), 255, dtype=np.uint8)
    rgb[16:48, 16:48] = (200, 30, 30)
    engine = Engine(models, pooled_convert(workers))
    for _ in range(max(3, workers.size)):  # TorchScript's profiling executor optimizes after a couple of runs
        engine.convert_ai(rgb, np.full((64, 64), 255, dtype=np.uint8), tier=1, target=0.9,
                          deadline=time.monotonic() + 60)


def pooled_convert(workers: WorkerPool) -> ConvertFn:
    """The conversion function the engine uses: the CPU-heavy part in a killable worker process."""
    def run(rgb: np.ndarray, converter: str, params: VectorizeParams, deadline: float) -> Conversion:
        budget = max(0.05, deadline - time.monotonic())
        return workers.call("convert", (rgb, converter, params, budget), deadline)
    return run


def _model_version(settings: Settings, state: ModelState) -> str:
    if settings.model_version_override:
        return settings.model_version_override
    return state.models.manifest.version if state.models else "none"


def locate_models(settings: Settings, client_factory: Callable[[], Any]) -> Path:
    if not settings.model_s3_bucket:
        return settings.model_dir
    source = S3ModelSource(settings.model_s3_bucket, settings.model_s3_prefix,
                           settings.model_s3_manifest_version_id, settings.model_s3_version_ids)
    return source.fetch(client_factory(), settings.model_cache_dir)


class Service:
    """Everything a request handler needs, built once per app: settings, models, limits, workers, store."""

    def __init__(self, settings: Settings, store: UploadStore | None, s3_client_factory: Callable[[], Any]) -> None:
        self.settings = settings
        self.metrics = ServiceMetrics()
        # The threads give up at the request deadline themselves; the limiter's own timeout is a backstop.
        self.limiter = Limiter(settings.max_inflight, settings.max_queue, settings.request_timeout_s + 5.0,
                               settings.max_queue_wait_s)
        self.workers = WorkerPool(settings.max_inflight)
        self.convert_fn = pooled_convert(self.workers)
        self.upload_store = store or store_from_env(settings.upload_dir, settings.upload_bucket)
        self.index_html = (STATIC / "index.html").read_text(encoding="utf-8")
        self.identity = read_image_identity(os.environ, settings.image_tag)
        self._s3_client_factory = s3_client_factory
        self.state: Optional[ModelState] = None
        self.draining = False

    def start(self) -> ModelState:
        """Start locating, verifying, loading and warming the models (once); the lifespan handler calls it."""
        if self.state is None:
            self.state = start_loading(lambda: locate_models(self.settings, self._s3_client_factory),
                                       lambda m: _warmup(m, self.workers))
        return self.state

    def model_version(self) -> str:
        return _model_version(self.settings, self.start())

    def engine(self) -> Engine:
        state = self.start()
        if state.models is None:
            raise ApiError(503, "models_unavailable", f"models not available: {state.reason}",
                           {"Retry-After": str(self.settings.retry_after_s)})
        return Engine(state.models, self.convert_fn)

    async def run(self, fn: Callable[..., Dict[str, Any]]) -> Dict[str, Any]:
        settings, metrics, limiter = self.settings, self.metrics, self.limiter
        try:
            return await limiter.run(fn)
        except Overloaded:
            metrics.rejected.inc("overloaded")
            raise ApiError(503, "overloaded", "server is at capacity, retry later",
                           {"Retry-After": str(settings.retry_after_s)}) from None
        except (WorkTimeout, ConversionTimeout):
            metrics.rejected.inc("timeout")
            raise ApiError(504, "timeout", f"request exceeded {settings.request_timeout_s:g} s") from None
        except WorkerFailed as exc:
            log.error("conversion worker failed", extra={"reason": str(exc)})
            raise ApiError(500, "conversion_failed", "the conversion failed inside the service; "
                                                     "retry, or report the request id") from None
        finally:
            metrics.pending.set(value=limiter.pending)

    def load_image(self, ref: ImageRef) -> Tuple[DecodedImage, int]:
        """Runs in a worker thread: fetch (store I/O) and decode (CPU) are both bounded by the limiter."""
        if bool(ref.file_id) == bool(ref.image):
            raise ApiError(400, "missing_image", "give exactly one of 'file_id' or 'image'")
        if ref.file_id:
            if not valid_file_id(ref.file_id):
                raise ApiError(422, "invalid_file_id", "file_id must be 64 lowercase hex characters")
            data = self.upload_store.get(ref.file_id)
            if data is None:
                raise ApiError(404, "unknown_file_id", f"no upload with file_id {ref.file_id}")
        else:
            encoded = ref.image or ""
            if encoded.startswith("data:") and "," in encoded:  # browsers send data URLs
                encoded = encoded.split(",", 1)[1]
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise ApiError(400, "invalid_base64", "'image' is not valid base64") from None
            if len(data) > self.settings.max_upload_bytes:
                raise ApiError(413, "image_too_large", f"image exceeds {self.settings.max_upload_bytes} bytes")
        return decode(data, self.settings.max_pixels), len(data)

    @staticmethod
    def conversion_body(conversion: Conversion, extra: Dict[str, Any]) -> Dict[str, Any]:
        q = conversion.quality
        return {"success": True, "svg": conversion.vector.svg, "converter": conversion.converter,
                "parameters": conversion.params.for_converter(conversion.converter),
                "ssim": round(q.ssim, 4), "mse": round(q.mse, 3), "psnr": round(q.psnr, 3),
                "colour_error": round(q.colour_error, 4),
                "path_count": conversion.vector.path_count,
                "svg_size_bytes": len(conversion.vector.svg.encode()), "palette": conversion.vector.palette,
                "duration_ms": round(conversion.seconds * 1000, 2), **extra}

    async def counted(self, converter: str, work: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
        """Run a conversion job; a server-side failure still yields an EMF record so canaries see it."""
        started = time.perf_counter()

        def failed() -> None:
            self.metrics.conversion(converter=converter, model_version=self.model_version(), success=False,
                               duration_s=time.perf_counter() - started, inference_s=0.0, upload_bytes=0,
                               predicted_quality=None, measured_ssim=None)

        try:
            return await self.run(work)
        except ApiError as exc:
            if exc.status == 504:  # client mistakes and overload refusals are not conversion failures
                failed()
            raise
        except (ImageError, ParameterError):
            raise
        except Exception:
            failed()
            raise
