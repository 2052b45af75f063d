"""Response models: what /openapi.json documents for every answer, errors included."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    success: bool = Field(False, description="always false")
    error: str = Field(..., description="what went wrong and what to do, for people")
    code: str = Field(..., description="stable machine-readable cause, e.g. invalid_parameters, overloaded")
    request_id: str = Field(..., description="also in the X-Request-Id header and every log line")


def error_responses(*statuses: int) -> Dict[Union[int, str], Dict[str, Any]]:
    descriptions = {400: "malformed request", 404: "unknown file_id", 413: "body or image too large",
                    415: "not a PNG or JPEG", 422: "invalid field or image", 500: "internal error",
                    503: "overloaded, draining or models unavailable (Retry-After)",
                    504: "the conversion's wall-clock budget was spent"}
    return {status: {"model": ErrorBody, "description": descriptions[status]} for status in statuses}


API_ERRORS = error_responses(400, 404, 413, 415, 422, 500, 503, 504)


class ConversionBody(BaseModel):
    success: bool
    svg: str
    converter: str
    parameters: Dict[str, float]
    ssim: float = Field(..., description="luma SSIM of the SVG rendered back against the input")
    mse: float
    psnr: float
    colour_error: Optional[float] = Field(None, description="share of pixels more than 30 off in some RGB channel")
    path_count: int
    svg_size_bytes: int
    palette: List[str]
    duration_ms: float
    logo_type: Optional[str] = None
    confidence: Optional[float] = None


class AttemptBody(BaseModel):
    converter: str
    parameters: Dict[str, float]
    predicted_quality: float
    measured_quality: float


class AiConversionBody(ConversionBody):
    tier: int
    target_quality: float
    predicted_quality: float
    measured_quality: float
    met_target: bool
    attempts: List[AttemptBody]
    inference_ms: float
    model_version: str


class UploadBody(BaseModel):
    success: bool
    file_id: str
    filename: Optional[str]
    size_bytes: int
    width: int
    height: int
    format: str


class ClassifyBody(BaseModel):
    success: bool
    logo_type: str
    confidence: float
    probabilities: Dict[str, float]
    inference_ms: float
    model_version: str


class ReadyBody(BaseModel):
    ready: bool
    status: Optional[str] = None
    reason: str
    model_version: Optional[str] = None


class AiHealthBody(BaseModel):
    status: str
    models_loaded: bool
    reason: str
    torch_threads: int
    work_pending: int
    work_capacity: int
