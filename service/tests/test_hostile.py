"""Hostile and heavy inputs: each gets a 4xx or a bounded 503/504, and the next request is served at once."""
from __future__ import annotations

import base64
import json
import signal
import threading
import time

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from conftest import get_json, make_settings, png_bytes, ready_app, server_process
from test_server import post_json, wait_until_in_flight


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def noise_png(size: int, colours: int = 16, seed: int = 0) -> bytes:
    """Random pixels from a few colours: legal, small enough to upload, and the worst case to trace."""
    rng = np.random.default_rng(seed)
    palette = rng.integers(0, 256, (colours, 3), dtype=np.uint8)
    return png_bytes(Image.fromarray(palette[rng.integers(0, colours, (size, size))]))


def tiny_png(width: int, height: int) -> bytes:
    pixels = np.full((height, width, 3), 255, dtype=np.uint8)
    pixels[::2, ::2] = (200, 20, 20)
    return png_bytes(Image.fromarray(pixels))


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["code"] == code and body["error"], body
    assert "object at 0x" not in body["error"] and "Traceback" not in body["error"], body
    return body


# ---- 1. one legal image must not take the service down --------------------------------------------------

def test_a_runaway_conversion_is_killed_at_its_budget_and_frees_its_worker(tmp_path):
    app = ready_app(make_settings(tmp_path, REQUEST_TIMEOUT_S="4", MAX_INFLIGHT="1", MAX_QUEUE="0"))
    heavy = noise_png(1024)  # 16 random colours at 1024x1024: minutes of work, inside every documented limit
    with TestClient(app) as client:
        started = time.monotonic()
        assert_error(client.post("/api/convert", json={"image": b64(heavy), "converter": "potrace_color",
                                                       "parameters": {"colors": 16}}), 504, "timeout")
        assert time.monotonic() - started < 30  # the budget ended it, not the work
        assert app.state.limiter.pending == 0  # its only work slot is free again, not in 14 minutes
        assert app.state.workers.killed == 1
        # The next request, even with the only slot, is served straight away.
        ok = client.post("/api/convert", json={"image": b64(tiny_png(8, 8)), "converter": "potrace"})
        assert ok.status_code == 200, ok.text
        assert client.get("/ready").status_code == 200


def test_sigterm_stops_the_process_whatever_its_workers_are_doing(tmp_path):
    heavy = b64(noise_png(2048))
    with server_process(tmp_path, REQUEST_TIMEOUT_S="600", DRAIN_TIMEOUT_S="3", DRAIN_NOTICE_S="0") as (process, base):
        answers: list = []
        client = threading.Thread(target=lambda: answers.append(_post_or_error(base, {
            "image": heavy, "converter": "potrace_color", "parameters": {"colors": 16}})), daemon=True)
        client.start()
        wait_until_in_flight(base, 1)
        deadline = time.time() + 60
        while time.time() < deadline:  # until the conversion holds its work slot (body parsed, work started)
            if get_json(base + "/api/ai-health")[1].get("work_pending", 0) >= 1:
                break
            threading.Event().wait(0.05)
        else:
            raise AssertionError("the conversion never started")
        process.send_signal(signal.SIGTERM)
        # DRAIN_TIMEOUT_S (3 s) plus the hard-exit grace; the conversion alone would take minutes.
        process.wait(20)
        client.join(20)
    assert "drain deadline reached" in process.log_text


def _post_or_error(base: str, payload: dict):
    try:
        return post_json(base + "/api/convert", payload, timeout=60)[0]
    except OSError as exc:  # the connection was cut at the drain deadline
        return type(exc).__name__


# ---- 8. readiness tells the truth during drain -------------------------------------------------------------

def test_ready_answers_503_while_draining_then_the_process_exits(tmp_path):
    with server_process(tmp_path, DRAIN_NOTICE_S="20", DRAIN_TIMEOUT_S="25") as (process, base):
        process.send_signal(signal.SIGTERM)
        status, body = 200, {}
        while status == 200:  # until the signal is handled; the listener stays open during the notice period
            status, body = get_json(base + "/ready")
        assert status == 503 and body["ready"] is False and "draining" in body["reason"]
        assert get_json(base + "/health")[0] == 200  # alive: ECS must not restart a draining task
        process.send_signal(signal.SIGTERM)  # a second signal ends the notice period
        assert process.wait(20) == 0


# ---- 2. 1-px images ------------------------------------------------------------------------------------

@pytest.mark.parametrize("width, height", [(1, 1), (1, 40), (40, 1), (2, 1)])
@pytest.mark.parametrize("path, extra", [
    ("/api/convert-ai", {"tier": 2}),
    ("/api/convert", {"converter": "smart_auto"}),
    ("/api/convert", {"converter": "potrace"}),
    ("/api/convert", {"converter": "potrace_color"}),
    ("/api/classify-logo", {}),
])
def test_one_pixel_wide_or_tall_images_convert(client, width, height, path, extra):
    response = client.post(path, json={"image": b64(tiny_png(width, height)), **extra})
    assert response.status_code == 200, response.text
    if path != "/api/classify-logo":
        assert response.json()["svg"].startswith("<svg")


# ---- 3. garbage multipart ------------------------------------------------------------------------------

@pytest.mark.parametrize("content_type, body", [
    ("multipart/form-data; boundary=zz", b"garbage"),
    ("multipart/form-data", b"--zz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc"),
    ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data; name=\"file\"; "
                                         b"filename=\"a.png\"\r\n\r\n\x89PNG"),
])
def test_garbage_multipart_is_a_400(client, content_type, body):
    response = client.post("/api/upload", content=body, headers={"content-type": content_type})
    assert response.status_code == 400, response.text
    assert response.json()["code"] in {"invalid_multipart", "missing_file"}
    assert client.get("/health").status_code == 200


# ---- 4. NaN and silent coercion --------------------------------------------------------------------------

def _raw(client, path: str, text: str):
    return client.post(path, content=text.encode(), headers={"content-type": "application/json"})


@pytest.mark.parametrize("field, value, code", [
    ("colors", "NaN", "invalid_parameters"),
    ("colors", "Infinity", "invalid_parameters"),
    ("colors", '"4"', "invalid_parameters"),
    ("colors", "4.5", "invalid_parameters"),
    ("colors", "true", "invalid_parameters"),
    ("alphamax", "NaN", "invalid_parameters"),
    ("alphamax", '"1.0"', "invalid_parameters"),
    ("turdsize", "-Infinity", "invalid_parameters"),
    ("speed", "1", "invalid_parameters"),
])
def test_parameters_are_validated_strictly(client, field, value, code):
    text = '{"image": "%s", "converter": "potrace_color", "parameters": {"%s": %s}}' % (
        b64(tiny_png(8, 8)), field, value)
    assert_error(_raw(client, "/api/convert", text), 422, code)


@pytest.mark.parametrize("field, value, code", [
    ("tier", '"2"', "invalid_tier"),
    ("tier", "2.5", "invalid_tier"),
    ("tier", "2.0", "invalid_tier"),
    ("tier", "true", "invalid_tier"),
    ("tier", "0", "invalid_tier"),
    ("tier", "4", "invalid_tier"),
    ("target_quality", "NaN", "invalid_target_quality"),
    ("target_quality", '"0.9"', "invalid_target_quality"),
    ("target_quality", "1.5", "invalid_target_quality"),
    ("target_quality", "false", "invalid_target_quality"),
])
def test_convert_ai_fields_are_not_coerced(client, field, value, code):
    text = '{"image": "%s", "%s": %s}' % (b64(tiny_png(8, 8)), field, value)
    assert_error(_raw(client, "/api/convert-ai", text), 422, code)


def test_exact_values_still_pass(client):
    # An integer is a valid float (target_quality: 1), and the edges of every range are inside it.
    text = '{"image": "%s", "tier": 1, "target_quality": 1}' % b64(tiny_png(8, 8))
    assert _raw(client, "/api/convert-ai", text).status_code == 200
    text = ('{"image": "%s", "converter": "potrace_color", "parameters": {"colors": 16, "alphamax": 0, '
            '"opttolerance": 1, "turdsize": 100}}') % b64(tiny_png(8, 8))
    assert _raw(client, "/api/convert", text).status_code == 200


def test_wrong_types_for_the_image_fields(client):
    assert_error(client.post("/api/convert", json={"image": 12}), 422, "invalid_request")
    assert_error(client.post("/api/convert", json={"file_id": "ZZ"}), 422, "invalid_file_id")
    assert_error(client.post("/api/convert", json=[1, 2]), 422, "invalid_request")


# ---- 5. every 500 has the JSON error shape, and 7. no internals in messages --------------------------------

class BrokenStore:
    def put(self, data: bytes) -> str:
        raise RuntimeError(f"disk on fire at {object()!r}")

    def get(self, file_id: str):
        raise RuntimeError("unreachable bucket s3://secret-bucket")


def test_an_internal_failure_answers_the_json_error_shape_without_internals(tmp_path):
    from svgai.app import create_app

    app = create_app(make_settings(tmp_path), store=BrokenStore())
    assert app.state.service.start().wait(60)
    with TestClient(app, raise_server_exceptions=False) as client:
        upload = client.post("/api/upload", files={"file": ("a.png", tiny_png(4, 4), "image/png")})
        body = assert_error(upload, 500, "internal_error")
        assert "fire" not in body["error"] and body["request_id"]
        convert = client.post("/api/convert", json={"file_id": "a" * 64, "converter": "potrace"})
        body = assert_error(convert, 500, "internal_error")
        assert "secret-bucket" not in body["error"]
        assert client.get("/health").status_code == 200


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0" + b"garbage" * 10,
    b"\xff\xd8\xff\xe0" + b"\x13" * 100,
])
def test_corrupt_images_get_messages_without_internals(client, data):
    body = client.post("/api/convert", json={"image": b64(data), "converter": "potrace"}).json()
    assert body["code"] in {"bad_image", "not_an_image"}, body
    assert "0x" not in body["error"] and "BytesIO" not in body["error"] and "<" not in body["error"], body


# ---- 6. huge chunked bodies are a 413 -------------------------------------------------------------------

def test_a_huge_chunked_json_body_is_a_413(client):
    chunk = b" " * (1 << 20)

    def body():  # 100 MB of JSON, streamed without Content-Length
        yield b'{"image": "'
        for _ in range(100):
            yield chunk
        yield b'"}'

    response = client.post("/api/convert", content=body(), headers={"content-type": "application/json"})
    assert_error(response, 413, "body_too_large")
    assert client.get("/health").status_code == 200


def test_the_openapi_document_declares_strict_schemas(client):
    schema = client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    assert components["ConvertAiRequest"]["properties"]["tier"]["type"] == "integer"
    assert components["ConvertAiRequest"]["properties"]["tier"]["maximum"] == 3
    assert json.dumps(components["ConverterParameters"]).count('"maximum"') == 5
