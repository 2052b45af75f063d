"""Settings read once from the environment (12-factor); every knob is documented in README.md."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent.parent / "models"


def _float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name, "")
    value = float(raw) if raw.strip() else default
    if not low <= value <= high:
        raise ValueError(f"{name}={value} outside [{low}, {high}]")
    return value


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    return int(_float(env, name, default, low, high))


def _json_map(env: Mapping[str, str], name: str) -> Dict[str, str]:
    value = json.loads(env.get(name) or "{}")
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(f"{name} must be a JSON object of strings")
    return {str(k): v for k, v in value.items()}


@dataclass(frozen=True)
class Settings:
    model_dir: Path
    model_s3_bucket: str
    model_s3_prefix: str
    model_s3_manifest_version_id: str
    model_s3_version_ids: Dict[str, str]
    model_cache_dir: Path
    upload_dir: Path
    upload_bucket: str
    max_upload_bytes: int
    max_pixels: int
    request_timeout_s: float
    max_inflight: int
    max_queue: int
    retry_after_s: int
    torch_threads: int
    drain_timeout_s: float
    git_sha: str
    image_tag: str
    model_version_override: str
    fault_error_rate: float
    fault_latency_ms: float
    host: str = "0.0.0.0"
    port: int = 8080
    max_connections: int = 256
    log_level: str = "INFO"
    drain_notice_s: float = 5.0
    max_queue_wait_s: float = 0.2
    refusal_delay_s: float = 0.5

    @property
    def faults_enabled(self) -> bool:
        """Fault injection is for release rehearsals only; a production task never sets SVGAI_FAULT_*."""
        return self.fault_error_rate > 0 or self.fault_latency_ms > 0

    @property
    def max_body_bytes(self) -> int:
        # A base64 image in a JSON body is 4/3 of the raw bytes, plus room for the other fields.
        return self.max_upload_bytes * 4 // 3 + 65536

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        return cls(
            model_dir=Path(env.get("MODEL_DIR") or DEFAULT_MODEL_DIR),
            model_s3_bucket=env.get("MODEL_S3_BUCKET", ""),
            model_s3_prefix=env.get("MODEL_S3_PREFIX", ""),
            model_s3_manifest_version_id=env.get("MODEL_S3_MANIFEST_VERSION_ID", ""),
            model_s3_version_ids=_json_map(env, "MODEL_S3_VERSION_IDS"),
            model_cache_dir=Path(env.get("MODEL_CACHE_DIR") or "/tmp/svgai-models"),
            upload_dir=Path(env.get("UPLOAD_DIR") or "/tmp/svgai-uploads"),
            upload_bucket=env.get("UPLOAD_BUCKET", ""),  # set in production: uploads go to S3
            max_upload_bytes=_int(env, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024, 1024, 1 << 30),
            max_pixels=_int(env, "MAX_PIXELS", 2048 * 2048, 64, 1 << 30),
            request_timeout_s=_float(env, "REQUEST_TIMEOUT_S", 30.0, 0.05, 3600.0),
            # Work slots: one per vCPU is right for CPU-bound conversions; the queue absorbs short bursts.
            max_inflight=_int(env, "MAX_INFLIGHT", 2, 1, 256),
            max_queue=_int(env, "MAX_QUEUE", 8, 0, 10000),
            retry_after_s=_int(env, "RETRY_AFTER_S", 1, 0, 3600),
            torch_threads=_int(env, "TORCH_THREADS", 1, 1, 256),
            drain_timeout_s=_float(env, "DRAIN_TIMEOUT_S", 25.0, 0.0, 3600.0),
            git_sha=env.get("GIT_SHA", "unknown"),
            image_tag=env.get("IMAGE_TAG", "local"),
            model_version_override=env.get("MODEL_VERSION", ""),
            fault_error_rate=_float(env, "SVGAI_FAULT_ERROR_RATE", 0.0, 0.0, 1.0),
            fault_latency_ms=_float(env, "SVGAI_FAULT_LATENCY_MS", 0.0, 0.0, 600000.0),
            host=env.get("HOST") or "0.0.0.0",
            port=_int(env, "PORT", 8080, 0, 65535),
            max_connections=_int(env, "MAX_CONNECTIONS", 256, 1, 100000),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            # After SIGTERM the listener stays open this long with /ready answering 503, so a load balancer
            # that still probes the task sees it drain instead of a refused connection; then the socket
            # closes and in-flight requests finish, all within DRAIN_TIMEOUT_S.
            drain_notice_s=_float(env, "DRAIN_NOTICE_S", 5.0, 0.0, 3600.0),
            # A request is queued only if the wait it can expect (queued x recent service time / slots)
            # stays within this: under overload the rest get a fast 503 instead of a late answer.
            max_queue_wait_s=_float(env, "MAX_QUEUE_WAIT_S", 0.2, 0.0, 3600.0),
            # An overload refusal is held this long (a timer, no CPU) before it is sent, so clients that
            # retry at once cannot spin the CPU away from admitted work; never longer than RETRY_AFTER_S.
            refusal_delay_s=_float(env, "REFUSAL_DELAY_S", 0.5, 0.0, 60.0),
        )
