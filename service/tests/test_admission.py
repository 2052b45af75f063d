"""Admission: the queue is bounded by places and by the wait a new request can expect; workers run
single-threaded numerics."""
from __future__ import annotations

import asyncio
import threading
import time

import pytest

from svgai.limiter import Limiter, Overloaded
from svgai.workers import ONE_THREAD, WorkerPool


def _fill(limiter: Limiter, release: threading.Event, count: int) -> list:
    """Start ``count`` jobs that hold their slot (or queue place) until ``release``; wait until admitted."""
    threads = [threading.Thread(target=lambda: asyncio.run(limiter.run(release.wait, 10))) for _ in range(count)]
    for thread in threads:
        thread.start()
    while limiter.pending < count:
        time.sleep(0.005)
    return threads


def _teach_service_time(limiter: Limiter, seconds: float) -> None:
    for _ in range(30):  # the moving average converges to the service time of these jobs
        asyncio.run(limiter.run(lambda: time.sleep(seconds)))


def test_the_queue_admits_only_what_can_start_within_the_wait_budget():
    limiter = Limiter(max_inflight=2, max_queue=8, timeout_s=10, max_wait_s=0.3)
    _teach_service_time(limiter, 0.1)
    assert limiter.service_s == pytest.approx(0.1, abs=0.05)
    release = threading.Event()
    threads = _fill(limiter, release, 2)  # both slots busy: the queue is empty
    try:
        assert not limiter.saturated()
        admitted = 0
        while not limiter.saturated():
            worker = threading.Thread(target=lambda: asyncio.run(limiter.run(release.wait, 10)))
            worker.start()
            threads.append(worker)
            admitted += 1
            while limiter.pending < 2 + admitted:
                time.sleep(0.005)
        # (queued + 1) x service / slots <= 0.3 s with a service time near 0.1 s: a handful, never all 8
        assert 1 <= admitted < 8
        expected = limiter.expected_wait_s()
        assert expected > 0.3 and expected == pytest.approx(
            (admitted + 1) * limiter.service_s / 2)
        with pytest.raises(Overloaded):
            asyncio.run(limiter.run(lambda: None))
    finally:
        release.set()
        for thread in threads:
            thread.join(5)
    assert limiter.pending == 0 and not limiter.saturated()


def test_without_a_wait_budget_the_places_alone_bound_the_queue():
    limiter = Limiter(max_inflight=1, max_queue=2, timeout_s=10)  # max_wait_s unbounded
    _teach_service_time(limiter, 0.05)
    release = threading.Event()
    threads = _fill(limiter, release, 3)
    try:
        assert limiter.saturated()
        with pytest.raises(Overloaded):
            asyncio.run(limiter.run(lambda: None))
    finally:
        release.set()
        for thread in threads:
            thread.join(5)


def test_a_free_slot_is_always_used_however_slow_recent_jobs_were():
    limiter = Limiter(max_inflight=1, max_queue=4, timeout_s=10, max_wait_s=0.0)
    _teach_service_time(limiter, 0.02)
    assert not limiter.saturated()
    assert asyncio.run(limiter.run(lambda: 42)) == 42


def test_conversion_workers_run_numpy_single_threaded():
    pool = WorkerPool(1)
    try:
        assert pool.call("thread_settings", (), time.monotonic() + 60) == ONE_THREAD
    finally:
        pool.close()
