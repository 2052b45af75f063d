"""Latency KPIs and overload behaviour of the real server on the real-logo corpus, in one run.

    cd service && $SVGAI_PYTHON bench/kpi.py [--duration 15] [--per-source 20] [--json out.json]

Starts ``python -m svgai.server`` (default configuration) on a free loopback port, then drives
``/api/convert`` (potrace_color, the 256 px logos of bench/corpus.py as base64 JSON) with closed-loop
clients at rising concurrency, each client on its own keep-alive connection. Prints:
  * the KPI table: p50/p95/p99 of successful conversions and goodput per concurrency, against the seed's
    goals (p50 < 100 ms and p95 < 200 ms at one client per core);
  * the overload table at 64 clients: goodput against the best goodput at any lower concurrency (goal
    >= 90 %), successful p99 (goal < 500 ms), share refused and how fast the refusals come.
"""
from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Dict, List

SERVICE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402


def pct(values: List[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, env: Dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "svgai.server"], cwd=SERVICE_DIR,
                               env={**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "WARNING",
                                    **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not become ready")


def probe_before_body(port: int, stop_at: float, found: Dict[str, int]) -> None:
    """Send only the headers of a convert request (a Content-Length, no body) until the server answers one
    with 503: a refusal decided before the body is read. Probes the server admits wait for a body that
    never comes; they are closed after a second and counted as admitted."""
    head = (f"POST /api/convert HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: 100000\r\n\r\n").encode()
    while time.perf_counter() < stop_at and not found["refused"]:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as sock:
            sock.sendall(head)
            try:
                status_line = sock.recv(64).split(b"\r\n", 1)[0]
            except socket.timeout:
                status_line = b""
        key = "refused" if status_line.startswith(b"HTTP/1.1 503") else "admitted"
        found[key] += 1


def drive(port: int, bodies: List[bytes], clients: int, duration_s: float, probe: bool = False) -> Dict:
    """Closed loop: each client sends the next body as soon as its previous answer arrived."""
    samples: List[tuple] = []  # (status, ms)
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration_s
    probes = {"refused": 0, "admitted": 0}

    def client(offset: int) -> None:
        conn = None
        i = offset
        while time.perf_counter() < stop_at:
            body = bodies[i % len(bodies)]
            i += 1
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("POST", "/api/convert", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                status = 0
                conn = None
            with lock:
                samples.append((status, (time.perf_counter() - started) * 1000))
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    if probe:
        threads.append(threading.Thread(target=probe_before_body, args=(port, stop_at, probes)))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ok = [ms for status, ms in samples if status == 200]
    refused = [ms for status, ms in samples if status == 503]
    return {"clients": clients, "requests": len(samples), "ok": len(ok), "refused": len(refused),
            "other": len(samples) - len(ok) - len(refused), "p50": pct(ok, 50), "p95": pct(ok, 95),
            "p99": pct(ok, 99), "goodput": len(ok) / elapsed, "refused_p50": pct(refused, 50),
            "refused_p99": pct(refused, 99), "probes": probes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per concurrency level")
    parser.add_argument("--per-source", type=int, default=20, help="logos per npm package")
    parser.add_argument("--levels", default="1,2,4,8,64", help="client counts (the last one is the overload)")
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="server setting to try instead of its default (e.g. MAX_QUEUE=2); repeatable")
    parser.add_argument("--baseline-env", action="append", default=[], metavar="NAME=VALUE",
                        help="also measure a second server with these settings in the same run (e.g. the "
                             "previous default, MAX_QUEUE_WAIT_S=3600) and print the ratios; repeatable")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    logos = corpus.load(args.per_source)
    bodies = [json.dumps({"image": base64.b64encode(logo.png()).decode(), "converter": "potrace_color"}).encode()
              for logo in logos]
    cores = os.cpu_count() or 1
    levels = [int(level) for level in args.levels.split(",")]
    server_env = dict(item.split("=", 1) for item in args.server_env)
    setups = [("new", server_env)]
    if args.baseline_env:
        setups.append(("baseline", {**server_env, **dict(item.split("=", 1) for item in args.baseline_env)}))
    results: Dict[str, List[Dict]] = {name: [] for name, _ in setups}
    servers = {}
    try:
        for name, env in setups:
            port = free_port()
            servers[name] = (port, start_server(port, env))
            drive(port, bodies, 1, min(3.0, args.duration))  # warm every path before measuring
        # Level by level, the setups alternate, so both see the same machine load.
        for level in levels:
            for name, _ in setups:
                results[name].append(drive(servers[name][0], bodies, level, args.duration,
                                           probe=level == levels[-1]))
    finally:
        for _, process in servers.values():
            process.terminate()
            process.wait(60)

    print(f"machine: {cores} CPUs, load average {os.getloadavg()[0]:.1f}; {len(bodies)} real logos at "
          f"{corpus.SIZE} px, POST /api/convert potrace_color, closed loop, {args.duration:g} s per level; "
          "latencies of successful requests (ms)")
    verdicts = {name: report(name, env, results[name], cores) for name, env in setups}
    if args.baseline_env:
        new, old = verdicts["new"], verdicts["baseline"]
        print("\nnew / baseline, same run:")
        for key in new:
            print(f"  {key:<24} {new[key]:>9.2f} / {old[key]:>9.2f} = {new[key] / old[key]:.2f}" if old[key] else
                  f"  {key:<24} {new[key]:>9.2f} / {old[key]:>9.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


def report(name: str, env: Dict[str, str], rows: List[Dict], cores: int) -> Dict[str, float]:
    print(f"\n[{name}] server settings: {env or 'defaults'}")
    print(f"{'clients':>7}{'requests':>9}{'ok':>7}{'503':>6}{'other':>6}{'p50':>8}{'p95':>8}{'p99':>8}"
          f"{'goodput/s':>10}{'503 p50':>9}{'503 p99':>9}")
    for r in rows:
        print(f"{r['clients']:>7}{r['requests']:>9}{r['ok']:>7}{r['refused']:>6}{r['other']:>6}{r['p50']:>8.1f}"
              f"{r['p95']:>8.1f}{r['p99']:>8.1f}{r['goodput']:>10.2f}{r['refused_p50']:>9.1f}{r['refused_p99']:>9.1f}")
    kpi = next((r for r in rows if r["clients"] == cores), rows[0])
    print(f"KPI (one client per core = {kpi['clients']}): p50 {kpi['p50']:.1f} ms (goal < 100: "
          f"{'met' if kpi['p50'] < 100 else 'NOT met'}), p95 {kpi['p95']:.1f} ms (goal < 200: "
          f"{'met' if kpi['p95'] < 200 else 'NOT met'})")
    overload, lower = rows[-1], rows[:-1]
    best = max(r["goodput"] for r in lower) if lower else float("nan")
    share = overload["goodput"] / best if best else float("nan")
    print(f"Overload ({overload['clients']} clients): goodput {overload['goodput']:.2f}/s = {share:.0%} of the best "
          f"lower-concurrency goodput {best:.2f}/s (goal >= 90%: {'met' if share >= 0.9 else 'NOT met'}); "
          f"successful p99 {overload['p99']:.1f} ms (goal < 500: {'met' if overload['p99'] < 500 else 'NOT met'}); "
          f"refused {overload['refused'] / max(1, overload['requests']):.0%}, refusal p99 {overload['refused_p99']:.1f} ms")
    probes = overload["probes"]
    print(f"Refusals decided before the body is read: {'met' if probes['refused'] else 'NOT met'} "
          f"({probes['refused']} request sent without its body answered 503; {probes['admitted']} such probes "
          "admitted first, i.e. left waiting for their body)")
    return {f"p50 at {kpi['clients']} clients": kpi["p50"], f"p95 at {kpi['clients']} clients": kpi["p95"],
            "overload goodput/s": overload["goodput"], "overload goodput share": share,
            "overload p99": overload["p99"]}


if __name__ == "__main__":
    raise SystemExit(main())
