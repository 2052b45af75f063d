"""Service benchmark: one run, all figures side by side.

    cd service && /usr/bin/python3 bench/benchmark.py [--quick] [--json out.json]

Measures (on whatever machine runs it):
  * model load time and process memory;
  * TorchScript vs eager forward latency for the same weights;
  * classify and convert latency p50/p95/p99 and throughput at concurrency 1, 2, 4 against the real server;
  * the tuned server vs a naive baseline (no concurrency limit, torch default threads) under overload
    (open-loop arrivals at twice the tuned capacity): error rate (503, 5xx or client timeout), goodput, p99.
"""
from __future__ import annotations

import argparse
import base64
import http.client
import io
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Tuple

SERVICE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SERVICE_DIR))

import torch  # noqa: E402

from svgai import generator  # noqa: E402
from svgai.features import classifier_input  # noqa: E402
from svgai.imaging import flatten  # noqa: E402
from svgai.inference import CANDIDATES  # noqa: E402
from svgai.metrics_eval import percentiles  # noqa: E402
from svgai.models import LogoClassifier, QualityPredictor  # noqa: E402
from svgai.registry import load_models  # noqa: E402

MODEL_DIR = Path(os.environ.get("MODEL_DIR", SERVICE_DIR / "models"))


def rss_mb(pid: int | str = "self") -> Tuple[float, float]:
    """(current RSS, peak RSS) in MiB from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def time_calls(fn, count: int) -> List[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def bench_models(repeats: int) -> Dict:
    torch.set_num_threads(1)
    before = rss_mb()[0]
    started = time.perf_counter()
    models = load_models(MODEL_DIR)
    load_ms = (time.perf_counter() - started) * 1000
    eager_classifier = LogoClassifier(len(models.classes))
    eager_classifier.load_state_dict(models.classifier.state_dict())
    eager_classifier.eval()
    n_inputs = models.predictor.state_dict()["mean"].shape[0]
    eager_predictor = QualityPredictor(n_inputs)
    eager_predictor.load_state_dict(models.predictor.state_dict())
    eager_predictor.eval()

    x = torch.from_numpy(classifier_input(flatten(generator.generate_one(generator.EVAL_SEED, 3).image))).unsqueeze(0)
    rows = torch.rand(len(CANDIDATES), n_inputs)  # one convert-ai call scores every candidate in one batch
    assert torch.allclose(eager_classifier(x), models.classifier(x), atol=1e-5)
    result: Dict = {"model_load_ms": round(load_ms, 1), "rss_after_load_mb": round(rss_mb()[0], 1),
                    "rss_models_delta_mb": round(rss_mb()[0] - before, 1)}
    with torch.no_grad():
        for name, scripted, eager, arg in (("classifier", models.classifier, eager_classifier, x),
                                           (f"predictor_x{len(CANDIDATES)}", models.predictor, eager_predictor, rows)):
            for _ in range(10):  # warm-up (TorchScript's profiling executor specializes on early runs)
                scripted(arg)
                eager(arg)
            result[f"{name}_torchscript_ms"] = percentiles(time_calls(lambda: scripted(arg), repeats))
            result[f"{name}_eager_ms"] = percentiles(time_calls(lambda: eager(arg), repeats))
    return result


class Server:
    def __init__(self, port: int, env: Dict[str, str]) -> None:
        self.port = port
        full_env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "MODEL_DIR": str(MODEL_DIR),
                    "UPLOAD_DIR": "/tmp/svgai-bench-uploads", "LOG_LEVEL": "WARNING", **env}
        self.process = subprocess.Popen([sys.executable, "-m", "svgai.server"], cwd=SERVICE_DIR, env=full_env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.perf_counter()
        while True:
            try:
                status, _ = request(port, "GET", "/ready", None, 1.0)
                if status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() - started > 60 or self.process.poll() is not None:
                raise RuntimeError("server did not become ready")
            time.sleep(0.1)
        self.ready_s = time.perf_counter() - started

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def request(port: int, method: str, path: str, body: bytes | None, timeout: float) -> Tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(port: int, path: str, bodies: List[bytes], concurrency: int, duration_s: float, timeout: float) -> Dict:
    """Closed-loop load: `concurrency` clients each send back-to-back requests for `duration_s`."""
    latencies: List[float] = []
    outcomes: Dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + duration_s

    def client(seed: int) -> None:
        i = seed
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status, _ = request(port, "POST", path, bodies[i % len(bodies)], timeout)
                outcome = str(status)
            except (TimeoutError, OSError):
                outcome = "timeout"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            i += concurrency

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    total = sum(outcomes.values())
    ok = outcomes.get("200", 0)
    return {"concurrency": concurrency, "requests": total, "outcomes": outcomes,
            "throughput_rps": round(ok / wall, 1), "error_rate": round(1 - ok / max(1, total), 3),
            **percentiles(latencies)}


def open_loop(port: int, path: str, bodies: List[bytes], rate: float, duration_s: float, timeout: float) -> Dict:
    """Open-loop load: requests arrive at `rate` per second whatever the server does, like real traffic.

    Latency percentiles are over successful requests; error rate counts 503s, 5xx and client timeouts.
    """
    latencies: List[float] = []
    outcomes: Dict[str, int] = {}
    lock = threading.Lock()

    def one(body: bytes) -> None:
        started = time.perf_counter()
        try:
            status, _ = request(port, "POST", path, body, timeout)
            outcome = str(status)
        except (TimeoutError, OSError):
            outcome = "timeout"
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == "200":
                latencies.append((time.perf_counter() - started) * 1000)

    total = int(rate * duration_s)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=256) as pool:
        for k in range(total):
            delay = started + k / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, bodies[k % len(bodies)])
    wall = time.perf_counter() - started
    ok = outcomes.get("200", 0)
    return {"offered_rps": round(rate, 1), "requests": total, "outcomes": outcomes,
            "goodput_rps": round(ok / wall, 1), "error_rate": round(1 - ok / max(1, total), 3),
            **percentiles(latencies or [0.0])}


def payloads(count: int, size: int | None = None) -> List[Tuple[int, str]]:
    items = []
    for index in range(count):
        image = generator.generate_one(generator.EVAL_SEED, index).image
        if size:
            image = image.resize((size, size))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        items.append((index % 4, base64.b64encode(buffer.getvalue()).decode()))
    return items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shorter runs (smoke test of the script)")
    parser.add_argument("--json", type=Path, help="also write all figures as JSON")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    args = parser.parse_args()
    if not args.port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            args.port = sock.getsockname()[1]
    seconds = 2.0 if args.quick else 6.0
    report: Dict = {"machine": {"cpus": os.cpu_count(), "torch": torch.__version__}}

    report["models"] = bench_models(100 if args.quick else 400)
    images = payloads(16)
    classify = [json.dumps({"image": b}).encode() for _, b in images]
    convert = [json.dumps({"image": b, "converter": "smart_auto"}).encode() for _, b in images]

    tuned_env = {"TORCH_THREADS": "1", "MAX_INFLIGHT": "2", "MAX_QUEUE": "4", "REQUEST_TIMEOUT_S": "10"}
    server = Server(args.port, tuned_env)
    report["server_ready_s"] = round(server.ready_s, 2)
    try:
        report["latency"] = {
            name: [load(args.port, path, bodies, c, seconds, 10.0) for c in (1, 2, 4)]
            for name, path, bodies in (("classify", "/api/classify-logo", classify),
                                       ("convert", "/api/convert", convert))}
        report["server_rss_mb"] = dict(zip(("current", "peak"), (round(v, 1) for v in rss_mb(server.process.pid))))
    finally:
        server.stop()

    # Overload: first measure what the tuned server sustains on heavier conversions, then offer twice
    # that rate open-loop to both configurations; clients give up after 2 s like an impatient caller.
    heavy = [json.dumps({"image": b, "converter": "potrace_color", "parameters": {"colors": 12}}).encode()
             for _, b in payloads(8, size=384)]
    server = Server(args.port, tuned_env)
    try:
        capacity = load(args.port, "/api/convert", heavy, 2, seconds, 10.0)["throughput_rps"]
    finally:
        server.stop()
    overload: Dict = {"capacity_rps": capacity}
    for name, env in (("tuned", tuned_env),
                      ("naive", {"MAX_INFLIGHT": "64", "MAX_QUEUE": "10000", "REQUEST_TIMEOUT_S": "600",
                                 "TORCH_THREADS": str(os.cpu_count())})):
        server = Server(args.port, env)
        try:
            overload[name] = open_loop(args.port, "/api/convert", heavy, 2 * capacity, seconds * 1.5, 2.0)
        finally:
            server.stop()
    report["overload"] = overload
    report["bench_process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


def print_report(report: Dict) -> None:
    m = report["models"]
    print(f"machine: {report['machine']['cpus']} CPUs, torch {report['machine']['torch']}")
    print(f"model load (sha256 verify + torch.jit.load, both models): {m['model_load_ms']} ms; "
          f"RSS after load {m['rss_after_load_mb']} MiB (+{m['rss_models_delta_mb']} MiB for the models)")
    print(f"server start to ready (import, load, warm-up): {report['server_ready_s']} s; "
          f"server RSS after load tests: {report['server_rss_mb']['current']} MiB "
          f"(peak {report['server_rss_mb']['peak']} MiB)")
    print("\nTorchScript vs eager, same weights, 1 thread (ms):")
    for name in ("classifier", f"predictor_x{len(CANDIDATES)}"):
        ts, eager = m[f"{name}_torchscript_ms"], m[f"{name}_eager_ms"]
        print(f"  {name:14s} torchscript p50 {ts['p50']:.3f} p95 {ts['p95']:.3f} p99 {ts['p99']:.3f} | "
              f"eager p50 {eager['p50']:.3f} p95 {eager['p95']:.3f} p99 {eager['p99']:.3f}")
    print("\nEnd-to-end over HTTP, tuned server (TORCH_THREADS=1, MAX_INFLIGHT=2):")
    print(f"  {'endpoint':9s} {'conc':>4s} {'req':>5s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'rps':>7s} "
          f"{'errors':>7s}")
    for name, rows in report["latency"].items():
        for row in rows:
            print(f"  {name:9s} {row['concurrency']:4d} {row['requests']:5d} {row['p50']:8.1f} {row['p95']:8.1f} "
                  f"{row['p99']:8.1f} {row['throughput_rps']:7.1f} {row['error_rate']:7.3f}")
    overload = report["overload"]
    print(f"\nOverload: open-loop arrivals at 2x the tuned capacity ({overload['capacity_rps']} rps) of 384 px "
          "potrace_color conversions, 2 s client timeout (p-values over successful requests):")
    for name in ("tuned", "naive"):
        row = overload[name]
        print(f"  {name:6s} offered {row['offered_rps']:6.1f} rps, goodput {row['goodput_rps']:6.1f} rps, "
              f"error rate {row['error_rate']:.3f}, p50 {row['p50']:.1f} ms, p99 {row['p99']:.1f} ms, "
              f"outcomes {row['outcomes']}")

if __name__ == "__main__":
    sys.exit(main())
