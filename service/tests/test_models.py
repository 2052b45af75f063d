"""The committed models: verified against the manifest, and measured on a held-out generated set."""
from __future__ import annotations

import json
import shutil

import torch

from conftest import MODEL_DIR, make_settings, ready_app
from svgai import generator
from svgai.features import classifier_input
from svgai.imaging import flatten
from svgai.manifest import sha256_file
from svgai.metrics_eval import classification_report
from svgai.registry import load_models

ACCURACY_FLOOR = 0.85  # well below the measured figure, so only a real regression fails


def test_manifest_matches_files_and_records_provenance():
    manifest = json.loads((MODEL_DIR / "manifest.json").read_text())
    for name in ("logo_classifier", "quality_predictor"):
        entry = manifest["models"][name]
        assert sha256_file(MODEL_DIR / entry["file"]) == entry["sha256"]
        assert (MODEL_DIR / entry["file"]).stat().st_size < 1_000_000
    assert manifest["generator"]["version"] == generator.GENERATOR_VERSION
    assert manifest["torch_version"]


def test_classifier_accuracy_on_fresh_heldout_set():
    models = load_models(MODEL_DIR)
    samples = list(generator.generate(generator.EVAL_SEED + 7, 200))
    with torch.no_grad():
        batch = torch.stack([torch.from_numpy(classifier_input(flatten(s.image))) for s in samples])
        predicted = models.classifier(batch).argmax(dim=1).tolist()
    report = classification_report([s.label for s in samples], predicted, models.classes)
    print(f"\nheld-out classification accuracy: {report['accuracy']:.3f} on {len(samples)} images; "
          f"per-class f1: { {k: v['f1'] for k, v in report['per_class'].items()} }")
    assert report["accuracy"] >= ACCURACY_FLOOR


def test_tampered_model_keeps_service_not_ready(tmp_path):
    bad_dir = tmp_path / "models"
    shutil.copytree(MODEL_DIR, bad_dir)
    with (bad_dir / "quality_predictor.torchscript").open("ab") as handle:
        handle.write(b"tampered")
    app = ready_app(make_settings(tmp_path, MODEL_DIR=str(bad_dir)))
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        response = client.get("/ready")
        assert response.status_code == 503
        assert "sha256 mismatch for quality_predictor" in response.json()["reason"]
        assert client.get("/health").status_code == 200
        assert client.post("/api/classify-logo", json={"image": "AAAA"}).status_code == 503


def test_release_1_1_0_is_complete_verified_and_clears_the_bar_on_its_heldout_set():
    model_dir = MODEL_DIR / "1.1.0"
    manifest = json.loads((model_dir / "manifest.json").read_text())
    assert manifest["version"] == "1.1.0"
    assert manifest["torch_version"].startswith("2.8")  # exported by the torch the production image ships
    for name in ("logo_classifier", "quality_predictor"):
        entry = manifest["models"][name]
        assert sha256_file(model_dir / entry["file"]) == entry["sha256"]
    heldout = manifest["models"]["logo_classifier"]["heldout"]
    assert heldout["count"] >= 1000 and heldout["accuracy"] >= 0.97
