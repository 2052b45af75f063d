"""Shared fixtures: the real trained models, a TestClient app, and a real server process."""
from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, Iterator

import pytest
from PIL import Image

SERVICE_DIR = Path(__file__).resolve().parent.parent
MODEL_DIR = SERVICE_DIR / "models"
sys.path.insert(0, str(SERVICE_DIR))

from svgai.app import create_app  # noqa: E402
from svgai.config import Settings  # noqa: E402


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def make_settings(tmp_path: Path, **overrides: str) -> Settings:
    env = {"MODEL_DIR": str(MODEL_DIR), "UPLOAD_DIR": str(tmp_path / "uploads"), **overrides}
    return Settings.from_env(env)


def ready_app(settings: Settings):
    app = create_app(settings)
    assert app.state.service.start().wait(60), "model loading did not finish"
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    return ready_app(make_settings(tmp_path_factory.mktemp("app")))


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str, timeout: float = 5.0) -> tuple[int, Dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@contextlib.contextmanager
def server_process(tmp_path: Path, **env: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """Start `/usr/bin/python3 -m svgai.server` on a free port and wait until GET /ready answers 200."""
    port = free_port()
    full_env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "MODEL_DIR": str(MODEL_DIR),
                "UPLOAD_DIR": str(tmp_path / "uploads"), **env}
    log_path = tmp_path / f"server-{port}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen([sys.executable, "-m", "svgai.server"], cwd=SERVICE_DIR, env=full_env,
                                   stdout=log_file, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                if get_json(base + "/ready", timeout=1)[0] == 200:
                    break
            except OSError:
                pass
            assert time.time() < deadline, "server did not become ready:\n" + log_path.read_text()
            time.sleep(0.2)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        process.log_text = log_path.read_text()  # type: ignore[attr-defined]
