"""Structured JSON logs with the request id on every line, and CloudWatch embedded metric format records."""
from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
import uuid
from typing import Any, Dict, Mapping

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

EMF_NAMESPACE = "SVGAI"
# uvicorn attaches an ANSI-coloured copy of its message; the plain one is enough in JSON.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: Dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD and k != "request_id"})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure(level: str = "INFO") -> None:
    """Route our loggers and uvicorn's through one JSON handler on stdout (what awslogs ships)."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def request_id_from(headers: Mapping[str, str]) -> str:
    """Prefer the ALB trace id (its Root=... part), then X-Request-Id, else a fresh id."""
    trace = headers.get("x-amzn-trace-id", "")
    for part in trace.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "Root" and value:
            return value[:128]
    given = headers.get("x-request-id", "").strip()
    if given and len(given) <= 128 and given.isprintable():
        return given
    return uuid.uuid4().hex


def emf_record(metrics: Mapping[str, tuple[float, str]], dimensions: Mapping[str, str],
               properties: Mapping[str, Any] | None = None) -> Dict[str, Any]:
    """Build one EMF record: metrics are name -> (value, unit); every dimension set includes ModelVersion."""
    keys = list(dimensions)
    dimension_sets = [["ModelVersion"]] + ([keys] if keys != ["ModelVersion"] else [])
    record: Dict[str, Any] = {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [{
                "Namespace": EMF_NAMESPACE,
                "Dimensions": dimension_sets,
                "Metrics": [{"Name": name, "Unit": unit} for name, (_, unit) in metrics.items()],
            }],
        },
        "request_id": request_id_var.get(),
    }
    record.update(dimensions)
    record.update({name: value for name, (value, _) in metrics.items()})
    record.update(properties or {})
    return record


def emit_emf(record: Mapping[str, Any]) -> None:
    # EMF must be a top-level JSON object per line, so it bypasses the log formatter's envelope.
    sys.stdout.write(json.dumps(record, default=str) + "\n")
    sys.stdout.flush()
