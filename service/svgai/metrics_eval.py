"""Plain-Python metric definitions shared by training and evaluation (no sklearn dependency)."""
from __future__ import annotations

import math
from typing import Dict, List, Sequence


def classification_report(truth: Sequence[int], predicted: Sequence[int], classes: Sequence[str]) -> Dict:
    n = len(classes)
    confusion = [[0] * n for _ in range(n)]  # rows: true class, columns: predicted class
    for t, p in zip(truth, predicted):
        confusion[t][p] += 1
    per_class = {}
    for k, name in enumerate(classes):
        tp = confusion[k][k]
        predicted_k = sum(confusion[r][k] for r in range(n))
        actual_k = sum(confusion[k])
        precision = tp / predicted_k if predicted_k else 0.0
        recall = tp / actual_k if actual_k else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                           "support": actual_k}
    correct = sum(confusion[k][k] for k in range(n))
    return {
        "accuracy": round(correct / max(1, len(truth)), 4),
        "macro_f1": round(sum(c["f1"] for c in per_class.values()) / n, 4),
        "per_class": per_class,
        "confusion_matrix": confusion,
    }


def regression_report(truth: Sequence[float], predicted: Sequence[float]) -> Dict[str, float]:
    errors = [p - t for t, p in zip(truth, predicted)]
    mean = sum(truth) / len(truth)
    total = sum((t - mean) ** 2 for t in truth)
    residual = sum(e * e for e in errors)
    return {
        "mae": round(sum(abs(e) for e in errors) / len(errors), 4),
        "rmse": round(math.sqrt(residual / len(errors)), 4),
        "r2": round(1 - residual / total, 4) if total else 0.0,
    }


def percentiles(values_ms: List[float], points: Sequence[int] = (50, 95, 99)) -> Dict[str, float]:
    """Nearest-rank percentiles (no interpolation, so every reported value was actually observed)."""
    ordered = sorted(values_ms)
    result = {}
    for point in points:
        rank = max(1, math.ceil(point / 100 * len(ordered)))
        result[f"p{point}"] = round(ordered[rank - 1], 3) if ordered else 0.0
    return result
