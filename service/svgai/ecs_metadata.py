"""Which image this task runs, as ECS reports it.

ECS gives every container ``ECS_CONTAINER_METADATA_URI_V4``; its document names the image
(``Image``) and its digest (``ImageID``). ``/version`` reports both, so a release can check that the
new side runs exactly the digest it deployed. Without the endpoint (a laptop, a test) the image tag
from the environment stands in and the digest is unknown.
"""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Mapping, Optional


@dataclass(frozen=True)
class ImageIdentity:
    image: str
    image_id: Optional[str]


def read_image_identity(env: Mapping[str, str], fallback_image: str, timeout_s: float = 1.0) -> ImageIdentity:
    uri = env.get("ECS_CONTAINER_METADATA_URI_V4", "")
    if not uri:
        return ImageIdentity(fallback_image, None)
    try:
        with urllib.request.urlopen(uri, timeout=timeout_s) as response:  # noqa: S310 - the URI is set by ECS
            document = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError):
        # The metadata endpoint is a diagnostic: without it the service still serves.
        return ImageIdentity(fallback_image, None)
    image = document.get("Image") if isinstance(document, dict) else None
    image_id = document.get("ImageID") if isinstance(document, dict) else None
    return ImageIdentity(image if isinstance(image, str) and image else fallback_image,
                         image_id if isinstance(image_id, str) and image_id else None)
