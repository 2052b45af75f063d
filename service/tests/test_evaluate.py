"""`python -m svgai.evaluate` writes a report that validates against the shared JSON Schema."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import jsonschema
import pytest

from conftest import MODEL_DIR, SERVICE_DIR

SCHEMA = json.loads((SERVICE_DIR / "schemas" / "evaluation-report.schema.json").read_text())


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("eval") / "report.json"
    done = subprocess.run([sys.executable, "-m", "svgai.evaluate", "--model-dir", str(MODEL_DIR), "--out", str(out),
                           "--count", "120", "--quality-images", "20"], cwd=SERVICE_DIR, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def test_report_validates_and_is_consistent(report):
    validator().validate(report)
    matrix = report["confusion_matrix"]
    assert sum(map(sum, matrix)) == report["dataset"]["count"] == 120
    assert report["accuracy"] == pytest.approx(sum(matrix[i][i] for i in range(len(matrix))) / 120, abs=1e-4)
    manifest = json.loads((MODEL_DIR / "manifest.json").read_text())
    assert report["model"]["sha256"] == manifest["models"]["logo_classifier"]["sha256"]
    assert report["latency_ms"]["p50"] <= report["latency_ms"]["p95"] <= report["latency_ms"]["p99"]
    # Per-sample labels and predictions (schema 1.1) pair a challenger with its champion: they must be the matrix.
    assert len(report["labels"]) == len(report["predictions"]) == 120
    recomputed = [[0] * len(matrix) for _ in matrix]
    for label, predicted in zip(report["labels"], report["predictions"]):
        recomputed[label][predicted] += 1
    assert recomputed == matrix
    print(f"\nevaluation: accuracy {report['accuracy']}, latency {report['latency_ms']}")


@pytest.mark.parametrize("mutate", [
    lambda r: r.pop("accuracy"),
    lambda r: r.update(accuracy=1.5),
    lambda r: r["model"].update(sha256="not-a-hash"),
    lambda r: r["dataset"].update(count=0),
    lambda r: r.pop("predictions"),
    lambda r: r.update(schema_version="1.0"),
])
def test_schema_rejects_broken_reports(report, mutate):
    broken = copy.deepcopy(report)
    mutate(broken)
    assert not validator().is_valid(broken)


def test_evaluate_refuses_tampered_models(tmp_path):
    import shutil

    shutil.copytree(MODEL_DIR, tmp_path / "m")
    (tmp_path / "m" / "logo_classifier.torchscript").write_bytes(b"not the model")
    done = subprocess.run([sys.executable, "-m", "svgai.evaluate", "--model-dir", str(tmp_path / "m"), "--out",
                           str(tmp_path / "r.json")], cwd=SERVICE_DIR, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "sha256 mismatch" in done.stderr
