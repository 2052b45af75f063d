"""The real server process: traffic, overload, and SIGTERM draining without losing in-flight requests."""
from __future__ import annotations

import base64
import json
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from PIL import Image

from conftest import get_json, png_bytes, server_process
from svgai import generator


def post_json(url: str, payload: dict, timeout: float = 30.0) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read()), {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), {k.lower(): v for k, v in exc.headers.items()}


def logo_b64(index: int, size: int | None = None) -> str:
    image = generator.generate_one(generator.EVAL_SEED, index).image
    if size:
        image = image.resize((size, size), Image.Resampling.NEAREST)
    return base64.b64encode(png_bytes(image)).decode()


def wait_until_in_flight(base: str, count: int) -> None:
    """Poll /metrics until `count` requests (besides the poll itself) are being served."""
    deadline = time.time() + 10
    while time.time() < deadline:
        with urllib.request.urlopen(base + "/metrics", timeout=5) as response:
            for line in response.read().decode().splitlines():
                if line.startswith("svgai_http_requests_in_flight ") and float(line.split()[1]) >= count + 1:
                    return
        time.sleep(0.05)
    raise AssertionError(f"{count} requests never got in flight")


def test_version_contract_and_traffic(tmp_path):
    with server_process(tmp_path, GIT_SHA="abc1234", IMAGE_TAG="svgai:test", MODEL_VERSION="9.9.9") as (_, base):
        status, version = get_json(base + "/version")
        assert status == 200
        assert (version["git_sha"], version["image"], version["model_version"]) == ("abc1234", "svgai:test", "9.9.9")
        assert set(version["models"]) == {"logo_classifier", "quality_predictor"}
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda i: post_json(base + "/api/convert", {"image": logo_b64(i)}), range(8)))
        assert [r[0] for r in results] == [200] * 8


def test_sigterm_drains_in_flight_requests(tmp_path):
    # Injected latency keeps every request in flight for 1.5 s, so SIGTERM surely lands mid-request.
    with server_process(tmp_path, SVGAI_FAULT_LATENCY_MS="1500") as (process, base):
        with ThreadPoolExecutor(6) as pool:
            futures = [pool.submit(post_json, base + "/api/convert",
                                   {"image": logo_b64(i), "converter": "potrace_color"}) for i in range(6)]
            wait_until_in_flight(base, 6)
            process.send_signal(signal.SIGTERM)
            results = [f.result(timeout=30) for f in futures]
        assert [r[0] for r in results] == [200] * 6, results
        assert all(r[1]["svg"].startswith("<svg") for r in results)
        assert process.wait(30) == 0
    assert "draining" in process.log_text


def test_overload_gives_fast_503_not_timeouts(tmp_path):
    with server_process(tmp_path, MAX_INFLIGHT="1", MAX_QUEUE="1", RETRY_AFTER_S="1") as (_, base):
        heavy = logo_b64(3, size=640)  # a complex logo, big enough that one conversion takes a while
        started = time.perf_counter()
        with ThreadPoolExecutor(10) as pool:
            results = list(pool.map(lambda _: post_json(base + "/api/convert", {
                "image": heavy, "converter": "potrace_color", "parameters": {"colors": 16}}), range(10)))
        elapsed = time.perf_counter() - started
        statuses = sorted(r[0] for r in results)
        assert set(statuses) <= {200, 503} and statuses.count(503) >= 1 and statuses.count(200) >= 1, statuses
        assert all(r[2].get("retry-after") == "1" for r in results if r[0] == 503)
        assert elapsed < 20
        assert get_json(base + "/ready")[0] == 200
