"""Content-addressed upload store: file_id = sha256 of the bytes, so any task can serve any file_id."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Optional, Protocol

from .s3 import s3_client

_FILE_ID = re.compile(r"^[0-9a-f]{64}$")


def file_id_for(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def valid_file_id(file_id: str) -> bool:
    return bool(_FILE_ID.match(file_id))


class UploadStore(Protocol):
    def put(self, data: bytes) -> str: ...

    def get(self, file_id: str) -> Optional[bytes]: ...


class LocalStore:
    """A folder (development, tests); writes are atomic so concurrent puts of the same id are harmless."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, file_id: str) -> Path:
        return self.root / file_id[:2] / file_id

    def put(self, data: bytes) -> str:
        file_id = file_id_for(data)
        path = self._path(file_id)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        return file_id

    def get(self, file_id: str) -> Optional[bytes]:
        if not valid_file_id(file_id):
            return None
        path = self._path(file_id)
        return path.read_bytes() if path.is_file() else None


class S3Store:
    """The uploads bucket in production (boto3 is only needed when this store is used)."""

    def __init__(self, bucket: str, prefix: str = "uploads/", client: Any = None) -> None:
        self.bucket, self.prefix = bucket, prefix
        self.client = client or s3_client()

    def put(self, data: bytes) -> str:
        file_id = file_id_for(data)
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + file_id, Body=data,
                               ContentType="application/octet-stream")
        return file_id

    def get(self, file_id: str) -> Optional[bytes]:
        if not valid_file_id(file_id):
            return None
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + file_id)["Body"].read()
        except Exception as exc:  # botocore raises ClientError subclasses; only "absent" means None
            if getattr(exc, "response", {}).get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise


def store_from_env(upload_dir: Path, bucket: str) -> UploadStore:
    return S3Store(bucket) if bucket else LocalStore(upload_dir)
