"""The HTTP routes: platform endpoints (health, readiness, versions, metrics, the page) and the API."""
from __future__ import annotations

import platform as _platform
import time
from typing import Any, Dict

import numpy as np
import torch
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from . import __version__
from .api_models import (API_ERRORS, AiConversionBody, AiHealthBody, ClassifyBody, ConversionBody, ErrorBody,
                         ReadyBody, UploadBody)
from .errors import ApiError, BodyTooLarge
from .imaging import decode, flatten
from .requests import ConvertAiRequest, ConvertRequest, ImageRef
from .service import Service
from .vectorize import VectorizeParams

platform = APIRouter(tags=["platform"])
api = APIRouter(tags=["api"])


def current_service(request: Request) -> Service:
    return request.app.state.service


# ---- platform endpoints ---------------------------------------------------------------------------------

@platform.get("/health", summary="Liveness: the process answers")
async def health() -> Dict[str, str]:
    return {"status": "alive"}


@platform.get("/ready", summary="Readiness: models loaded, sha256 verified, warmed up",
            responses={200: {"model": ReadyBody}, 503: {"model": ReadyBody, "description": "not ready"}})
async def ready(svc: Service = Depends(current_service)) -> JSONResponse:
    state = svc.start()
    if svc.draining:
        return JSONResponse({"ready": False, "reason": "draining: shutting down"}, status_code=503)
    ok = state.status == "ready" and svc.workers.alive
    reason = state.reason if svc.workers.alive else "conversion workers cannot be started"
    return JSONResponse({"ready": ok, "status": state.status, "reason": reason,
                         "model_version": svc.model_version()}, status_code=200 if ok else 503)


@platform.get("/version", summary="Image, git sha and model versions")
async def version(svc: Service = Depends(current_service)) -> Dict[str, Any]:
    state = svc.start()
    models = state.models
    return {"service": "svgai", "service_version": __version__, "image": svc.identity.image,
            "image_id": svc.identity.image_id,
            "git_sha": svc.settings.git_sha, "model_version": svc.model_version(),
            "models": {name: {"file": models.manifest.model(name)["file"], "sha256": sha}
                       for name, sha in models.sha256.items()} if models else {},
            "torch_version": torch.__version__, "python_version": _platform.python_version()}


@platform.get("/metrics", summary="Prometheus text format")
async def prometheus(svc: Service = Depends(current_service)) -> Response:
    state = svc.start()
    svc.metrics.ready.set(value=1.0 if state.status == "ready" and not svc.draining else 0.0)
    svc.metrics.pending.set(value=svc.limiter.pending)
    if state.models:
        for name, sha in state.models.sha256.items():
            svc.metrics.model_info.set(name, svc.model_version(), sha, value=1.0)
    return Response(svc.metrics.registry.render(), media_type="text/plain; version=0.0.4; charset=utf-8")


@platform.get("/", include_in_schema=False)
async def index(svc: Service = Depends(current_service)) -> HTMLResponse:
    return HTMLResponse(svc.index_html)


# ---- API ------------------------------------------------------------------------------------------

@api.post("/api/upload", summary="Upload a PNG/JPEG (multipart field 'file')",
         response_model=UploadBody, responses=API_ERRORS,
         openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
              "type": "object", "required": ["file"],
              "properties": {"file": {"type": "string", "format": "binary"}}}}}}})
async def upload(request: Request, svc: Service = Depends(current_service)) -> Dict[str, Any]:
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
    if len(data) > svc.settings.max_upload_bytes:
        raise ApiError(413, "image_too_large", f"upload exceeds {svc.settings.max_upload_bytes} bytes")

    def work() -> Dict[str, Any]:
        image = decode(data, svc.settings.max_pixels)  # reject before storing anything
        return {"success": True, "file_id": svc.upload_store.put(data), "filename": field.filename,
                "size_bytes": len(data), "width": image.rgba.width, "height": image.rgba.height,
                "format": image.format}

    return await svc.run(work)


@api.post("/api/convert", summary="Convert an image to SVG with a potrace converter",
         response_model=ConversionBody, response_model_exclude_none=True, responses=API_ERRORS)
async def convert_endpoint(body: ConvertRequest, svc: Service = Depends(current_service)) -> Dict[str, Any]:
    deadline = time.monotonic() + svc.settings.request_timeout_s
    params = VectorizeParams.from_mapping(body.converter, body.parameters.model_dump(exclude_none=True))
    needs_models = body.converter == "smart_auto"
    current = svc.engine() if needs_models else None

    def work() -> Dict[str, Any]:
        image, size = svc.load_image(body)
        rgb = flatten(image.rgba)
        if current is not None:
            classification, conversion = current.smart_auto(rgb, deadline)
            extra = {"logo_type": classification.label, "confidence": round(classification.confidence, 4)}
            inference_s = classification.seconds
        else:
            conversion = svc.convert_fn(rgb, body.converter, params, deadline)
            extra, inference_s = {}, 0.0
        svc.metrics.conversion(converter=body.converter, model_version=svc.model_version(),
                           success=True, duration_s=conversion.seconds, inference_s=inference_s,
                           upload_bytes=size, predicted_quality=None, measured_ssim=conversion.quality.ssim)
        return svc.conversion_body(conversion, extra)

    return await svc.counted(body.converter, work)


@api.post("/api/convert-ai", response_model=AiConversionBody, responses=API_ERRORS,
         summary="Convert with parameters chosen by the classifier and the quality predictor")
async def convert_ai(body: ConvertAiRequest, svc: Service = Depends(current_service)) -> Dict[str, Any]:
    deadline = time.monotonic() + svc.settings.request_timeout_s
    current = svc.engine()

    def work() -> Dict[str, Any]:
        image, size = svc.load_image(body)
        rgb = flatten(image.rgba)
        alpha = np.asarray(image.rgba)[..., 3]
        result = current.convert_ai(rgb, alpha, body.tier, body.target_quality, deadline)
        chosen = result.chosen
        svc.metrics.conversion(converter="ai", model_version=svc.model_version(), success=True,
                           duration_s=sum(a.conversion.seconds for a in result.attempts),
                           inference_s=result.inference_seconds, upload_bytes=size,
                           predicted_quality=chosen.predicted_ssim, measured_ssim=chosen.conversion.quality.ssim)
        return svc.conversion_body(chosen.conversion, {
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
            "model_version": svc.model_version()})

    return await svc.counted("ai", work)


@api.post("/api/classify-logo", summary="Logo type and confidence", response_model=ClassifyBody,
         responses=API_ERRORS)
async def classify(body: ImageRef, svc: Service = Depends(current_service)) -> Dict[str, Any]:
    current = svc.engine()

    def work() -> Dict[str, Any]:
        image, _ = svc.load_image(body)
        result = current.classify(flatten(image.rgba))
        svc.metrics.inference_seconds.observe(result.seconds, "classify")
        return {"success": True, "logo_type": result.label, "confidence": round(result.confidence, 4),
                "probabilities": result.probabilities, "inference_ms": round(result.seconds * 1000, 3),
                "model_version": svc.model_version()}

    return await svc.run(work)


@api.get("/api/ai-health", summary="Whether the AI features can serve",
            responses={200: {"model": AiHealthBody}, 503: {"model": AiHealthBody, "description": "unavailable"},
                    500: {"model": ErrorBody, "description": "internal error"}})
async def ai_health(svc: Service = Depends(current_service)) -> JSONResponse:
    state = svc.start()
    ok = state.status == "ready"
    return JSONResponse({"status": "healthy" if ok else "unavailable", "models_loaded": ok,
                         "reason": state.reason, "torch_threads": torch.get_num_threads(),
                         "work_pending": svc.limiter.pending, "work_capacity": svc.limiter.capacity},
                        status_code=200 if ok else 503)


@api.get("/api/model-status", summary="Loaded models, versions and sha256")
async def model_status(svc: Service = Depends(current_service)) -> Dict[str, Any]:
    state = svc.start()
    models = state.models
    body: Dict[str, Any] = {"status": state.status, "reason": state.reason,
                            "model_version": svc.model_version(),
                            "source": (f"s3://{svc.settings.model_s3_bucket}/{svc.settings.model_s3_prefix}"
                                       f"?manifestVersionId={svc.settings.model_s3_manifest_version_id}"
                                       if svc.settings.model_s3_bucket else str(svc.settings.model_dir)),
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
