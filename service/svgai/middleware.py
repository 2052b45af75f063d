"""Pure-ASGI gate in front of the app: request ids, body-size limit, access log, metrics, fault injection.

Pure ASGI (not BaseHTTPMiddleware) so request bodies stream through untouched and the size guard can
stop reading at the limit instead of buffering an oversized body first.
"""
from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from typing import Callable, Iterable

from .config import Settings
from .errors import INTERNAL_MESSAGE
from .logs import request_id_from, request_id_var
from .service_metrics import ServiceMetrics

log = logging.getLogger("svgai.access")


async def _send_json(send: Callable, status: int, payload: dict, headers: Iterable[tuple[bytes, bytes]] = ()
                     ) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


_WORK_ROUTES = frozenset({"/api/upload", "/api/convert", "/api/convert-ai", "/api/classify-logo"})


class Gate:
    def __init__(self, app: Callable, settings: Settings, metrics: ServiceMetrics, routes: Callable[[], set],
                 saturated: Callable[[], bool] = lambda: False,
                 identity: Callable[[], tuple[str, str]] = lambda: ("", "")) -> None:
        self.app, self.settings, self.metrics, self._routes = app, settings, metrics, routes
        self._saturated = saturated
        self._identity = identity
        self._known: set | None = None

    def _identity_headers(self) -> list[tuple[bytes, bytes]]:
        """Which image and model version answered: every response says, so a client (or a canary's
        traffic) can tell the two sides of a release apart on any endpoint."""
        image, model_version = self._identity()
        return [(name, value.encode("latin-1", "replace")) for name, value in
                ((b"x-svgai-image", image), (b"x-svgai-model-version", model_version)) if value]

    def _route_label(self, path: str) -> str:
        """Metric label: the path if it is a route, else one bucket, so scanners cannot explode cardinality."""
        if self._known is None:  # routes are all registered before the first request
            self._known = self._routes()
        return path if path in self._known else "unmatched"

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        request_id = request_id_from(headers)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = {"code": 500, "started": False, "cut": False}
        path = scope.get("path", "")
        route = self._route_label(path)
        rid_header = (b"x-request-id", request_id.encode("latin-1"))

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = True
                message = {**message, "headers": [*message.get("headers", []), rid_header, *self._identity_headers()]}
            await send(message)

        async def app_send(message: dict) -> None:
            if not status["cut"]:  # once the gate answered 413 itself, the app's late answer is dropped
                await send_with_id(message)

        limit = self.settings.max_body_bytes
        received = {"bytes": 0}

        async def guarded_receive() -> dict:
            if status["cut"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received["bytes"] += len(message.get("body", b""))
                if received["bytes"] > limit:
                    # A chunked body has no Content-Length to refuse up front: answer 413 as soon as the
                    # count passes the limit, and tell the app the client is gone so it stops reading.
                    if not status["started"]:
                        await _send_json(send_with_id, 413, {
                            "success": False, "code": "body_too_large", "request_id": request_id,
                            "error": f"request body exceeds the limit of {limit} bytes"}, [(b"connection", b"close")])
                    status["cut"] = True
                    return {"type": "http.disconnect"}
            return message

        self.metrics.in_flight.inc()
        try:
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                await _send_json(send_with_id, 413, {"success": False, "code": "body_too_large",
                                                     "error": f"request body of {declared} bytes exceeds the "
                                                              f"limit of {limit} bytes", "request_id": request_id},
                                 [(b"connection", b"close")])
                return
            if scope.get("method") == "POST" and path in _WORK_ROUTES and self._saturated():
                # Refused before a byte of the body is read or parsed: under overload the CPU goes to the
                # admitted work, not to decoding JSON and base64 that would be thrown away.
                self.metrics.rejected.inc("overloaded")
                delay = min(self.settings.refusal_delay_s, self.settings.retry_after_s)
                if delay > 0:
                    # A timer, not CPU: clients that retry at once (Retry-After ignored) would otherwise
                    # turn refusals into a busy loop that takes the CPU from the admitted work.
                    await asyncio.sleep(delay)
                await _send_json(send_with_id, 503, {
                    "success": False, "code": "overloaded", "error": "server is at capacity, retry later",
                    "request_id": request_id}, [(b"retry-after", str(self.settings.retry_after_s).encode()),
                                                (b"connection", b"close")])
                return
            if self.settings.faults_enabled and path.startswith("/api/") and await self._inject_fault(
                    send_with_id, request_id):
                return
            try:
                await self.app(scope, guarded_receive, app_send)
            except Exception:
                if status["cut"]:  # the app noticed the disconnect the gate made up: already answered 413
                    return
                log.exception("unhandled error")
                if status["started"]:
                    raise
                await _send_json(send_with_id, 500, {"success": False, "code": "internal_error",
                                                     "error": INTERNAL_MESSAGE, "request_id": request_id})
        finally:
            self.metrics.in_flight.dec()
            elapsed = time.perf_counter() - started
            self.metrics.requests.inc(scope.get("method", ""), route, str(status["code"]))
            self.metrics.latency.observe(elapsed, route)
            log.info("request", extra={"method": scope.get("method"), "path": path, "status": status["code"],
                                       "duration_ms": round(elapsed * 1000, 2),
                                       "client": (scope.get("client") or ["-"])[0]})
            request_id_var.reset(token)

    async def _inject_fault(self, send: Callable, request_id: str) -> bool:
        """Test-only knobs for release rehearsals (off unless SVGAI_FAULT_* is set)."""
        if self.settings.fault_latency_ms > 0:
            await asyncio.sleep(self.settings.fault_latency_ms / 1000)
        if self.settings.fault_error_rate > 0 and random.random() < self.settings.fault_error_rate:
            await _send_json(send, 500, {"success": False, "code": "injected_fault",
                                         "error": "fault injected by SVGAI_FAULT_ERROR_RATE",
                                         "request_id": request_id})
            return True
        return False
