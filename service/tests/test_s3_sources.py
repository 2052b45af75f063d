"""Models from S3 pinned by VersionId, and the S3 upload store, against an in-memory fake of the S3 API."""
from __future__ import annotations

import io
import json

import pytest

from fastapi.testclient import TestClient

from conftest import MODEL_DIR, make_settings
from svgai.app import create_app
from svgai.store import S3Store, file_id_for


class NoSuchKey(Exception):
    response = {"Error": {"Code": "NoSuchKey"}}


class FakeS3:
    """get_object/put_object with versioning: (key, version) -> bytes; no VersionId means latest."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], bytes] = {}
        self.latest: dict[str, str] = {}
        self.requests: list[dict] = []

    def put_object(self, Bucket: str, Key: str, Body: bytes, **_: str) -> dict:
        version = f"v{len(self.objects) + 1}"
        self.objects[(Key, version)] = Body
        self.latest[Key] = version
        return {"VersionId": version}

    def get_object(self, Bucket: str, Key: str, VersionId: str | None = None) -> dict:
        self.requests.append({"Key": Key, "VersionId": VersionId})
        version = VersionId or self.latest.get(Key)
        if (Key, version) not in self.objects:
            raise NoSuchKey(Key)
        return {"Body": io.BytesIO(self.objects[(Key, version)])}


def publish(s3: FakeS3, prefix: str = "models/1.0.0/") -> str:
    for name in ("logo_classifier.torchscript", "quality_predictor.torchscript"):
        s3.put_object(Bucket="b", Key=prefix + name, Body=(MODEL_DIR / name).read_bytes())
    return s3.put_object(Bucket="b", Key=prefix + "manifest.json",
                         Body=(MODEL_DIR / "manifest.json").read_bytes())["VersionId"]


def app_for(tmp_path, s3: FakeS3, **env: str):
    settings = make_settings(tmp_path, MODEL_S3_BUCKET="b", MODEL_S3_PREFIX="models/1.0.0/",
                             MODEL_CACHE_DIR=str(tmp_path / "cache"), **env)
    app = create_app(settings, s3_client_factory=lambda: s3)
    assert app.state.service.start().wait(60)
    return app


def test_models_from_s3_by_exact_version_id(tmp_path):
    s3 = FakeS3()
    manifest_version = publish(s3)
    classifier_version = s3.latest["models/1.0.0/logo_classifier.torchscript"]
    app = app_for(tmp_path, s3, MODEL_S3_MANIFEST_VERSION_ID=manifest_version,
                  MODEL_S3_VERSION_IDS=json.dumps({"logo_classifier.torchscript": classifier_version}))
    with TestClient(app) as client:
        assert client.get("/ready").status_code == 200
        assert "s3://b/models/1.0.0/" in client.get("/api/model-status").json()["source"]
    assert {"Key": "models/1.0.0/manifest.json", "VersionId": manifest_version} in s3.requests
    assert {"Key": "models/1.0.0/logo_classifier.torchscript", "VersionId": classifier_version} in s3.requests


@pytest.mark.parametrize("prefix", ["models/1.0.0", "models/1.0.0/", "/models/1.0.0/"])
def test_the_prefix_is_a_folder_with_or_without_its_slash(tmp_path, prefix):
    """model-release.yml pins MODEL_S3_PREFIX=svgai/X.Y.Z, without the slash: the set must still load."""
    s3 = FakeS3()
    manifest_version = publish(s3)
    settings = make_settings(tmp_path, MODEL_S3_BUCKET="b", MODEL_S3_PREFIX=prefix,
                             MODEL_S3_MANIFEST_VERSION_ID=manifest_version, MODEL_CACHE_DIR=str(tmp_path / "cache"))
    app = create_app(settings, s3_client_factory=lambda: s3)
    assert app.state.service.start().wait(60)
    with TestClient(app) as client:
        assert client.get("/ready").status_code == 200
    assert {"Key": "models/1.0.0/manifest.json", "VersionId": manifest_version} in s3.requests


def test_s3_model_replaced_after_release_keeps_service_not_ready(tmp_path):
    s3 = FakeS3()
    manifest_version = publish(s3)
    s3.put_object(Bucket="b", Key="models/1.0.0/quality_predictor.torchscript", Body=b"something else")
    app = app_for(tmp_path, s3, MODEL_S3_MANIFEST_VERSION_ID=manifest_version)
    with TestClient(app) as client:
        response = client.get("/ready")
        assert response.status_code == 503 and "sha256 mismatch for quality_predictor" in response.json()["reason"]


def test_s3_models_need_a_pinned_manifest_version(tmp_path):
    s3 = FakeS3()
    publish(s3)
    with TestClient(app_for(tmp_path, s3)) as client:
        assert "MODEL_S3_MANIFEST_VERSION_ID is required" in client.get("/ready").json()["reason"]


def test_s3_upload_store_is_content_addressed():
    s3 = FakeS3()
    store = S3Store("uploads-bucket", client=s3)
    file_id = store.put(b"\x89PNG data")
    assert file_id == file_id_for(b"\x89PNG data")
    assert store.get(file_id) == b"\x89PNG data"
    assert store.get("f" * 64) is None
    assert store.get("../etc/passwd") is None
