"""The service's Prometheus metrics and its CloudWatch EMF conversion record."""
from __future__ import annotations

from typing import Optional

from .logs import emf_record, emit_emf
from .prom import Counter, Gauge, Histogram, Registry


class ServiceMetrics:
    def __init__(self) -> None:
        self.registry = Registry()
        add = self.registry.add
        self.requests = add(Counter("svgai_http_requests_total", "HTTP requests by route and status",
                                    ("method", "route", "status")))
        self.in_flight = add(Gauge("svgai_http_requests_in_flight", "HTTP requests being served"))
        self.latency = add(Histogram("svgai_http_request_duration_seconds", "HTTP request latency", ("route",)))
        self.conversions = add(Counter("svgai_conversions_total", "Conversions by converter and outcome",
                                       ("converter", "outcome", "model_version")))
        self.conversion_seconds = add(Histogram("svgai_conversion_duration_seconds", "Vectorize + measure time",
                                                ("converter",)))
        self.inference_seconds = add(Histogram("svgai_inference_duration_seconds", "Model inference time",
                                               ("endpoint",), buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                       0.1, 0.25, 1)))
        self.rejected = add(Counter("svgai_rejected_total", "Requests refused before work (overload, timeout)",
                                    ("reason",)))
        self.pending = add(Gauge("svgai_work_pending", "Admitted CPU jobs (running + queued)"))
        self.ready = add(Gauge("svgai_ready", "1 when models are loaded, verified and warm"))
        self.model_info = add(Gauge("svgai_model_info", "Loaded model files", ("model", "version", "sha256")))

    def conversion(self, *, converter: str, model_version: str, success: bool, duration_s: float,
                   inference_s: float, upload_bytes: int, predicted_quality: Optional[float],
                   measured_ssim: Optional[float]) -> None:
        """Count one conversion in Prometheus and emit its EMF record (tagged by model version)."""
        self.conversions.inc(converter, "success" if success else "failure", model_version)
        if success:
            self.conversion_seconds.observe(duration_s, converter)
        metrics = {
            "ConversionSuccess": (1.0 if success else 0.0, "Count"),
            "ConversionDuration": (round(duration_s * 1000, 3), "Milliseconds"),
            "InferenceTime": (round(inference_s * 1000, 3), "Milliseconds"),
            "UploadSize": (float(upload_bytes), "Bytes"),
        }
        if predicted_quality is not None:
            metrics["PredictedQuality"] = (round(predicted_quality, 4), "None")
        if measured_ssim is not None:
            metrics["MeasuredSSIM"] = (round(measured_ssim, 4), "None")
        if predicted_quality is not None and measured_ssim is not None:
            # How far the quality predictor was from what the conversion measured: the per-model quality
            # signal a canary compares between model versions (a model that predicts worse shows it here).
            metrics["PredictionError"] = (round(abs(predicted_quality - measured_ssim), 4), "None")
        emit_emf(emf_record(metrics, {"ModelVersion": model_version, "Converter": converter},
                            {"event": "conversion"}))
