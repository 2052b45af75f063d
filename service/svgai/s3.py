"""The one place an S3 client is built (uploads bucket, model bucket)."""
from __future__ import annotations

import os
from typing import Any


def s3_client() -> Any:
    """boto3 S3 client; honours AWS_ENDPOINT_URL(_S3) with path-style addressing for local stand-ins."""
    import boto3  # optional dependency: only needed when models or uploads live in S3
    from botocore.config import Config

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    config = Config(s3={"addressing_style": "path"}) if endpoint else None
    return boto3.client("s3", endpoint_url=endpoint, config=config)
