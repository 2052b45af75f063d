"""The FastAPI application: ``create_app()`` wires settings, models, store, limits and routes."""
from __future__ import annotations

import base64
import binascii
import logging
import os
import platform
import time
from pathlib import Path
from typing import Any, Callable, Dict, Literal, Optional, Tuple

import numpy as np
import torch
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from . import __version__, errors
from .config import Settings
from .conversion import Conversion
from .ecs_metadata import read_image_identity
from .api_models import (API_ERRORS, AiConversionBody, AiHealthBody, ClassifyBody, ConversionBody, ErrorBody,
                         ReadyBody, UploadBody)
from .errors import ApiError, BodyTooLarge
from .imaging import DecodedImage, ImageError, decode, flatten
from .inference import ConvertFn, Engine
from .limiter import Limiter, Overloaded, WorkTimeout
from .workers import ConversionTimeout, WorkerFailed, WorkerPool
from .middleware import Gate
from .model_source import S3ModelSource
from .registry import LoadedModels, ModelState, start_loading
from .s3 import s3_client
from .service_metrics import ServiceMetrics
from .store import UploadStore, store_from_env, valid_file_id
from .vectorize import CONVERTER_PARAMETERS, PARAMETER_RANGES, ParameterError, VectorizeParams

log = logging.getLogger("svgai.app")
STATIC = Path(__file__).resolve().parent / "static"


_STRICT = ConfigDict(strict=True, extra="forbid")


class ImageRef(BaseModel):
    model_config = _STRICT
    file_id: Optional[str] = Field(None, description="id returned by POST /api/upload (sha256 of the bytes)",
                                   pattern="^[0-9a-f]{64}$")
    image: Optional[str] = Field(None, description="base64-encoded PNG or JPEG (or a data: URL), instead of file_id")


class ConverterParameters(BaseModel):
    """Vectorizer parameters; which apply depends on the converter. Strict: no strings, no NaN, no bools."""
    model_config = _STRICT
    colors: Optional[int] = Field(None, ge=2, le=16, description="palette size including the background")
    turdsize: Optional[int] = Field(None, ge=0, le=100, description="speckles up to this many pixels are dropped")
    alphamax: Optional[float] = Field(None, ge=0.0, le=1.334, allow_inf_nan=False,
                                      description="corner threshold: 0 polygons, 1.334 no corners")
    opttolerance: Optional[float] = Field(None, ge=0.0, le=1.0, allow_inf_nan=False,
                                          description="curve optimization tolerance")
    threshold: Optional[int] = Field(None, ge=1, le=254, description="luma cut for single-colour potrace")


class ConvertRequest(ImageRef):
    converter: Literal["potrace", "potrace_color", "smart_auto"] = Field(
        "smart_auto", description=f"one of {', '.join(CONVERTER_PARAMETERS)}")
    parameters: ConverterParameters = Field(
        default_factory=ConverterParameters,
        description="per converter: " + "; ".join(
            f"{c}: {', '.join(p) or 'none'}" for c, p in CONVERTER_PARAMETERS.items()))


class ConvertAiRequest(ImageRef):
    tier: int = Field(2, ge=1, le=3, description="1: predicted best only, 2: up to 3 measured attempts, 3: up to 6")
    target_quality: float = Field(0.9, ge=0.0, le=1.0, allow_inf_nan=False,
                                  description="quality target, 0..1, on the colour-aware score")


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


def create_app(settings: Settings | None = None, store: UploadStore | None = None,
               s3_client_factory: Callable[[], Any] = s3_client) -> FastAPI:
    settings = settings or Settings.from_env()
    torch.set_num_threads(settings.torch_threads)  # a Fargate task sees the host's cores: set it explicitly
    metrics = ServiceMetrics()
    # The threads give up at the request deadline themselves; the limiter's own timeout is a backstop.
    limiter = Limiter(settings.max_inflight, settings.max_queue, settings.request_timeout_s + 5.0)
    workers = WorkerPool(settings.max_inflight)
    convert_fn = pooled_convert(workers)
    upload_store = store or store_from_env(settings.upload_dir, settings.upload_bucket)
    state = start_loading(lambda: locate_models(settings, s3_client_factory), lambda m: _warmup(m, workers))
    index_html = (STATIC / "index.html").read_text(encoding="utf-8")
    identity = read_image_identity(os.environ, settings.image_tag)

    app = FastAPI(title="SVG-AI inference service", version=__version__,
                  description="PNG logos to SVG with potrace, helped by a logo-type classifier and a "
                              "quality predictor (TorchScript).")
    app.state.settings, app.state.models, app.state.limiter = settings, state, limiter
    app.state.workers = workers
    app.state.draining = False
    errors.install(app)

    def engine() -> Engine:
        if state.models is None:
            raise ApiError(503, "models_unavailable", f"models not available: {state.reason}",
                           {"Retry-After": str(settings.retry_after_s)})
        return Engine(state.models, convert_fn)

    async def run(fn: Callable[..., Dict[str, Any]]) -> Dict[str, Any]:
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

    def load_image(ref: ImageRef) -> Tuple[DecodedImage, int]:
        """Runs in a worker thread: fetch (store I/O) and decode (CPU) are both bounded by the limiter."""
        if bool(ref.file_id) == bool(ref.image):
            raise ApiError(400, "missing_image", "give exactly one of 'file_id' or 'image'")
        if ref.file_id:
            if not valid_file_id(ref.file_id):
                raise ApiError(422, "invalid_file_id", "file_id must be 64 lowercase hex characters")
            data = upload_store.get(ref.file_id)
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
            if len(data) > settings.max_upload_bytes:
                raise ApiError(413, "image_too_large", f"image exceeds {settings.max_upload_bytes} bytes")
        return decode(data, settings.max_pixels), len(data)

    def conversion_body(conversion: Conversion, extra: Dict[str, Any]) -> Dict[str, Any]:
        q = conversion.quality
        return {"success": True, "svg": conversion.vector.svg, "converter": conversion.converter,
                "parameters": conversion.params.for_converter(conversion.converter),
                "ssim": round(q.ssim, 4), "mse": round(q.mse, 3), "psnr": round(q.psnr, 3),
                "colour_error": round(q.colour_error, 4),
                "path_count": conversion.vector.path_count,
                "svg_size_bytes": len(conversion.vector.svg.encode()), "palette": conversion.vector.palette,
                "duration_ms": round(conversion.seconds * 1000, 2), **extra}

    async def _counted(converter: str, work: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
        """Run a conversion job; a server-side failure still yields an EMF record so canaries see it."""
        started = time.perf_counter()

        def failed() -> None:
            metrics.conversion(converter=converter, model_version=_model_version(settings, state), success=False,
                               duration_s=time.perf_counter() - started, inference_s=0.0, upload_bytes=0,
                               predicted_quality=None, measured_ssim=None)

        try:
            return await run(work)
        except ApiError as exc:
            if exc.status == 504:  # client mistakes and overload refusals are not conversion failures
                failed()
            raise
        except (ImageError, ParameterError):
            raise
        except Exception:
            failed()
            raise

    # ---- platform endpoints -------------------------------------------------------------------------
    @app.get("/health", tags=["platform"], summary="Liveness: the process answers")
    async def health() -> Dict[str, str]:
        return {"status": "alive"}

    @app.get("/ready", tags=["platform"], summary="Readiness: models loaded, sha256 verified, warmed up",
             responses={200: {"model": ReadyBody}, 503: {"model": ReadyBody, "description": "not ready"}})
    async def ready() -> JSONResponse:
        if app.state.draining:
            return JSONResponse({"ready": False, "reason": "draining: shutting down"}, status_code=503)
        ok = state.status == "ready" and workers.alive
        reason = state.reason if workers.alive else "conversion workers cannot be started"
        return JSONResponse({"ready": ok, "status": state.status, "reason": reason,
                             "model_version": _model_version(settings, state)}, status_code=200 if ok else 503)

    @app.get("/version", tags=["platform"], summary="Image, git sha and model versions")
    async def version() -> Dict[str, Any]:
        models = state.models
        return {"service": "svgai", "service_version": __version__, "image": identity.image,
                "image_id": identity.image_id,
                "git_sha": settings.git_sha, "model_version": _model_version(settings, state),
                "models": {name: {"file": models.manifest.model(name)["file"], "sha256": sha}
                           for name, sha in models.sha256.items()} if models else {},
                "torch_version": torch.__version__, "python_version": platform.python_version()}

    @app.get("/metrics", tags=["platform"], summary="Prometheus text format")
    async def prometheus() -> Response:
        metrics.ready.set(value=1.0 if state.status == "ready" and not app.state.draining else 0.0)
        metrics.pending.set(value=limiter.pending)
        if state.models:
            for name, sha in state.models.sha256.items():
                metrics.model_info.set(name, _model_version(settings, state), sha, value=1.0)
        return Response(metrics.registry.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(index_html)

    # ---- API ------------------------------------------------------------------------------------------
    @app.post("/api/upload", tags=["api"], summary="Upload a PNG/JPEG (multipart field 'file')",
              response_model=UploadBody, responses=API_ERRORS,
              openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                  "type": "object", "required": ["file"],
                  "properties": {"file": {"type": "string", "format": "binary"}}}}}}})
    async def upload(request: Request) -> Dict[str, Any]:
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            if not await request.body():
                raise ApiError(400, "empty_body", "request body is empty: expected multipart/form-data "
                                                  "with a 'file' field")
            raise ApiError(415, "unsupported_media_type", "expected multipart/form-data with a 'file' field")
        try:
            form = await request.form()
        except BodyTooLarge:
            raise
        except Exception:  # python-multipart's parse errors, a missing boundary, a truncated part
            raise ApiError(400, "invalid_multipart", "the body is not valid multipart/form-data; send the image "
                                                    "in a part named 'file'") from None
        field = form.get("file")
        if field is None or isinstance(field, str):
            raise ApiError(400, "missing_file", "multipart body has no file field named 'file'")
        data = await field.read()
        if len(data) > settings.max_upload_bytes:
            raise ApiError(413, "image_too_large", f"upload exceeds {settings.max_upload_bytes} bytes")

        def work() -> Dict[str, Any]:
            image = decode(data, settings.max_pixels)  # reject before storing anything
            return {"success": True, "file_id": upload_store.put(data), "filename": field.filename,
                    "size_bytes": len(data), "width": image.rgba.width, "height": image.rgba.height,
                    "format": image.format}

        return await run(work)

    @app.post("/api/convert", tags=["api"], summary="Convert an image to SVG with a potrace converter",
              response_model=ConversionBody, response_model_exclude_none=True, responses=API_ERRORS)
    async def convert_endpoint(body: ConvertRequest) -> Dict[str, Any]:
        deadline = time.monotonic() + settings.request_timeout_s
        params = VectorizeParams.from_mapping(body.converter, body.parameters.model_dump(exclude_none=True))
        needs_models = body.converter == "smart_auto"
        current = engine() if needs_models else None

        def work() -> Dict[str, Any]:
            image, size = load_image(body)
            rgb = flatten(image.rgba)
            if current is not None:
                classification, conversion = current.smart_auto(rgb, deadline)
                extra = {"logo_type": classification.label, "confidence": round(classification.confidence, 4)}
                inference_s = classification.seconds
            else:
                conversion = convert_fn(rgb, body.converter, params, deadline)
                extra, inference_s = {}, 0.0
            metrics.conversion(converter=body.converter, model_version=_model_version(settings, state),
                               success=True, duration_s=conversion.seconds, inference_s=inference_s,
                               upload_bytes=size, predicted_quality=None, measured_ssim=conversion.quality.ssim)
            return conversion_body(conversion, extra)

        return await _counted(body.converter, work)

    @app.post("/api/convert-ai", tags=["api"], response_model=AiConversionBody, responses=API_ERRORS,
              summary="Convert with parameters chosen by the classifier and the quality predictor")
    async def convert_ai(body: ConvertAiRequest) -> Dict[str, Any]:
        deadline = time.monotonic() + settings.request_timeout_s
        current = engine()

        def work() -> Dict[str, Any]:
            image, size = load_image(body)
            rgb = flatten(image.rgba)
            alpha = np.asarray(image.rgba)[..., 3]
            result = current.convert_ai(rgb, alpha, body.tier, body.target_quality, deadline)
            chosen = result.chosen
            metrics.conversion(converter="ai", model_version=_model_version(settings, state), success=True,
                               duration_s=sum(a.conversion.seconds for a in result.attempts),
                               inference_s=result.inference_seconds, upload_bytes=size,
                               predicted_quality=chosen.predicted_ssim, measured_ssim=chosen.conversion.quality.ssim)
            return conversion_body(chosen.conversion, {
                "tier": body.tier, "target_quality": body.target_quality,
                "logo_type": result.classification.label,
                "confidence": round(result.classification.confidence, 4),
                "predicted_quality": round(chosen.predicted_ssim, 4),
                "measured_quality": round(chosen.conversion.quality.score, 4),
                "met_target": chosen.conversion.quality.score >= body.target_quality,
                "attempts": [{"converter": a.conversion.converter,
                              "parameters": a.conversion.params.for_converter(a.conversion.converter),
                              "predicted_quality": round(a.predicted_ssim, 4),
                              "measured_quality": round(a.conversion.quality.score, 4)} for a in result.attempts],
                "inference_ms": round(result.inference_seconds * 1000, 3),
                "model_version": _model_version(settings, state)})

        return await _counted("ai", work)

    @app.post("/api/classify-logo", tags=["api"], summary="Logo type and confidence", response_model=ClassifyBody,
              responses=API_ERRORS)
    async def classify(body: ImageRef) -> Dict[str, Any]:
        current = engine()

        def work() -> Dict[str, Any]:
            image, _ = load_image(body)
            result = current.classify(flatten(image.rgba))
            metrics.inference_seconds.observe(result.seconds, "classify")
            return {"success": True, "logo_type": result.label, "confidence": round(result.confidence, 4),
                    "probabilities": result.probabilities, "inference_ms": round(result.seconds * 1000, 3),
                    "model_version": _model_version(settings, state)}

        return await run(work)

    @app.get("/api/ai-health", tags=["api"], summary="Whether the AI features can serve",
             responses={200: {"model": AiHealthBody}, 503: {"model": AiHealthBody, "description": "unavailable"},
                        500: {"model": ErrorBody, "description": "internal error"}})
    async def ai_health() -> JSONResponse:
        ok = state.status == "ready"
        return JSONResponse({"status": "healthy" if ok else "unavailable", "models_loaded": ok,
                             "reason": state.reason, "torch_threads": torch.get_num_threads(),
                             "work_pending": limiter.pending, "work_capacity": limiter.capacity},
                            status_code=200 if ok else 503)

    @app.get("/api/model-status", tags=["api"], summary="Loaded models, versions and sha256")
    async def model_status() -> Dict[str, Any]:
        models = state.models
        body: Dict[str, Any] = {"status": state.status, "reason": state.reason,
                                "model_version": _model_version(settings, state),
                                "source": (f"s3://{settings.model_s3_bucket}/{settings.model_s3_prefix}"
                                           f"?manifestVersionId={settings.model_s3_manifest_version_id}"
                                           if settings.model_s3_bucket else str(settings.model_dir)),
                                "models": {}}
        if models:
            manifest = models.manifest
            body["generator"] = manifest.data.get("generator")
            body["torch_version_trained"] = manifest.data.get("torch_version")
            body["load_seconds"] = round(models.load_seconds, 3)
            body["warmup_seconds"] = round(state.warmup_seconds, 3)
            for name, sha in models.sha256.items():
                entry = manifest.model(name)
                body["models"][name] = {"loaded": True, "file": entry["file"], "sha256": sha,
                                        "heldout": entry.get("heldout")}
        return body

    app.add_middleware(Gate, settings=settings, metrics=metrics,
                       routes=lambda: {route.path for route in app.routes},
                       saturated=lambda: limiter.pending >= limiter.capacity)
    return app
