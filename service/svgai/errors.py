"""One JSON error shape for every failure, including FastAPI's and Starlette's own errors."""
from __future__ import annotations

import logging
from typing import Any, Dict

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .imaging import ImageError
from .logs import request_id_var
from .vectorize import ParameterError


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: Dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


class BodyTooLarge(Exception):
    """Raised by the body-size guard while a handler reads the request body."""


def error_response(status: int, code: str, message: str, headers: Dict[str, str] | None = None) -> JSONResponse:
    body: Dict[str, Any] = {"success": False, "error": message, "code": code, "request_id": request_id_var.get()}
    return JSONResponse(body, status_code=status, headers=headers)


log = logging.getLogger("svgai.errors")

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}


def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    kinds = {str(e.get("type", "")) for e in errors}
    if any(tuple(e.get("loc", ())) == ("body",) and "missing" in str(e.get("type")) for e in errors):
        return error_response(400, "empty_body", "request body is empty: expected a JSON object")
    if kinds & {"value_error.jsondecode", "json_invalid"}:
        return error_response(400, "invalid_json", "request body is not valid JSON")
    # The first field in error names the code, so clients keep the codes they had before schema validation.
    fields = [tuple(str(p) for p in e.get("loc", ()))[1:2] for e in errors]
    code = next((_FIELD_CODES[f[0]] for f in fields if f and f[0] in _FIELD_CODES), "invalid_request")
    detail = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: {e.get('msg')}"
                       for e in errors)
    return error_response(422, code, detail)


_FIELD_CODES = {"converter": "invalid_converter", "parameters": "invalid_parameters", "tier": "invalid_tier",
                "target_quality": "invalid_target_quality", "file_id": "invalid_file_id"}

INTERNAL_MESSAGE = "internal error: the service failed on this request; report its request_id"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(ImageError)
    async def _image(_: Request, exc: ImageError) -> JSONResponse:
        code = {400: "empty_body", 413: "image_too_large", 415: "not_an_image"}.get(exc.status, "bad_image")
        return error_response(exc.status, code, str(exc))

    @app.exception_handler(ParameterError)
    async def _params(_: Request, exc: ParameterError) -> JSONResponse:
        return error_response(422, "invalid_parameters", str(exc))

    @app.exception_handler(BodyTooLarge)
    async def _body(_: Request, exc: BodyTooLarge) -> JSONResponse:
        return error_response(413, "body_too_large", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation(request, exc)

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        # The JSON error shape for every 500 too; the cause goes to the log, never to the client.
        log.error("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", INTERNAL_MESSAGE)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, _HTTP_CODES.get(exc.status_code, "http_error"), str(exc.detail),
                              getattr(exc, "headers", None))
