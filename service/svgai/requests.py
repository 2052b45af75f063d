"""Request bodies: strict pydantic 2 models, so the schema validates (no NaN, no silent coercion)."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .vectorize import CONVERTER_PARAMETERS

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
