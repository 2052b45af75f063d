"""Where the model set comes from: a local directory, or S3 pinned by exact object VersionIds.

The manifest is fetched by its exact VersionId, so the sha256 values it pins are the released ones; the
model files are then checked against them before anything is deserialized (registry.load_models).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Mapping

from .manifest import MANIFEST_NAME, MODEL_NAMES, Manifest, ManifestError

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class S3ModelSource:
    bucket: str
    prefix: str
    manifest_version_id: str
    file_version_ids: Mapping[str, str] = field(default_factory=dict)

    def fetch(self, client: Any, cache_root: Path) -> Path:
        """Download manifest + model files into ``cache_root/<manifest version id>`` and return that dir."""
        if not self.manifest_version_id:
            raise ManifestError("MODEL_S3_MANIFEST_VERSION_ID is required when MODEL_S3_BUCKET is set")
        target = cache_root / _SAFE.sub("_", self.manifest_version_id)
        target.mkdir(parents=True, exist_ok=True)
        (target / MANIFEST_NAME).write_bytes(self._get(client, MANIFEST_NAME, self.manifest_version_id))
        manifest = Manifest.load(target)
        for name in MODEL_NAMES:
            file_name = manifest.model(name)["file"]
            if Path(file_name).name != file_name:
                raise ManifestError(f"manifest file name for {name} must be a plain file name: {file_name!r}")
            (target / file_name).write_bytes(self._get(client, file_name, self.file_version_ids.get(file_name)))
        return target

    def key(self, file_name: str) -> str:
        """The object key of a file of the set: the prefix is a folder, written with or without its slash."""
        folder = self.prefix.strip("/")
        return f"{folder}/{file_name}" if folder else file_name

    def _get(self, client: Any, file_name: str, version_id: str | None) -> bytes:
        request: Dict[str, str] = {"Bucket": self.bucket, "Key": self.key(file_name)}
        if version_id:
            request["VersionId"] = version_id
        body = client.get_object(**request)["Body"]
        return body.read() if hasattr(body, "read") else io.BytesIO(body).read()
