"""Decoding untrusted image bytes safely, and the one way transparency is flattened."""
from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image

# Sniffed from the bytes themselves; the client's Content-Type is never trusted.
_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
}


class ImageError(ValueError):
    """A client-side problem with the image. ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DecodedImage:
    rgba: Image.Image
    format: str

    @property
    def pixels(self) -> int:
        return self.rgba.width * self.rgba.height


def sniff(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return None


def _png_header_size(data: bytes) -> tuple[int, int] | None:
    """Width/height from the IHDR chunk, read before any decoding so a bomb is refused for free."""
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def decode(data: bytes, max_pixels: int) -> DecodedImage:
    if not data:
        raise ImageError("empty image: the request carried no image bytes", 400)
    kind = sniff(data)
    if kind is None:
        raise ImageError("not a supported image: expected PNG or JPEG content", 415)
    if kind == "png":
        header = _png_header_size(data)
        if header is None:
            raise ImageError("corrupt PNG: missing IHDR header", 422)
        width, height = header
        if width * height > max_pixels:
            raise ImageError(f"image too large: {width}x{height} pixels exceeds the limit of {max_pixels}", 413)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > max_pixels:
                raise ImageError(
                    f"image too large: {image.width}x{image.height} pixels exceeds the limit of {max_pixels}", 413)
            image.load()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"image too large: more than the limit of {max_pixels} pixels", 413) from exc
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
        # Pillow's messages name its internals (file objects, decoder states): say what the client can act on.
        raise ImageError(f"corrupt or truncated {kind.upper()} image: it could not be decoded", 422) from exc
    if image.width < 1 or image.height < 1:
        raise ImageError("image has no pixels", 422)
    return DecodedImage(rgba=_to_rgba(image), format=kind)


def _to_rgba(image: Image.Image) -> Image.Image:
    if image.mode.startswith("I"):
        # 16-bit greyscale PNG: Pillow's RGBA conversion clips such values to white instead of scaling them.
        values = np.asarray(image).astype(np.int64) >> 8
        return Image.fromarray(np.clip(values, 0, 255).astype(np.uint8), "L").convert("RGBA")
    return image.convert("RGBA")


def flatten(image: Image.Image) -> np.ndarray:
    """RGB uint8 array with any transparency composited onto white.

    This is the single compositing rule used for vectorizing, features and SSIM, so a transparent logo
    is judged exactly as it looks on a white page.
    """
    rgba = np.asarray(image.convert("RGBA"))
    alpha = rgba[..., 3:4]
    if alpha.min() == 255:  # opaque (most uploads): nothing to composite
        return np.ascontiguousarray(rgba[..., :3])
    # round(c * a/255 + 255 * (1 - a/255)) in exact integer arithmetic: the numerator is an integer, so
    # it is never exactly half-way and adding 127 before the floor division rounds to nearest.
    a = alpha.astype(np.uint32)
    return ((rgba[..., :3].astype(np.uint32) * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)
