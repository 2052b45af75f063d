"""Bounded concurrency for CPU work: a fixed worker pool plus a bounded queue, then fast 503s.

Refusing early keeps latency for admitted requests flat under overload instead of letting every request
time out. The slot is held until the worker thread really finishes, even if the client got a timeout,
so a slow request can never let more CPU work pile up than the limits allow.

The queue is bounded twice: by ``max_queue`` places, and by the wait a newly queued request can expect,
``(queued + 1) x recent service time / slots``, which must stay within ``max_wait_s``. A fixed number of
places is the wrong unit: when each job takes longer (a busier host, heavier images) the same eight places
mean a longer wait, and a request that waits past its latency budget only wastes the CPU it then gets.
The recent service time is a moving average of how long admitted jobs held their slot.
"""
from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

T = TypeVar("T")


class Overloaded(Exception):
    """No work slot or queue place is free."""


class WorkTimeout(Exception):
    """The work did not finish within the request timeout."""


_SMOOTHING = 0.2  # weight of the newest job in the moving average of service times


class Limiter:
    def __init__(self, max_inflight: int, max_queue: int, timeout_s: float, max_wait_s: float = float("inf")
                 ) -> None:
        self.capacity = max_inflight + max_queue
        self.timeout_s = timeout_s
        self.max_inflight = max_inflight
        self.max_wait_s = max_wait_s
        self._executor = ThreadPoolExecutor(max_workers=max_inflight, thread_name_prefix="work")
        self._pending = 0
        self._service_s = 0.0  # moving average; 0 until the first job finished (then only places count)
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        return self._pending

    @property
    def service_s(self) -> float:
        """Recent service time: the moving average of how long a job held its work slot."""
        return self._service_s

    def expected_wait_s(self) -> float:
        """The queueing wait a request admitted now can expect before a slot is free for it."""
        queued = self._pending - self.max_inflight
        return 0.0 if queued < 0 else (queued + 1) * self._service_s / self.max_inflight

    def saturated(self) -> bool:
        """True when a new request would be refused: every place taken, or the expected wait too long.

        Cheap and lock-free (one racy read is fine: ``run`` decides again under the lock), so the gate
        can ask it before reading a request's body."""
        return self._pending >= self.capacity or self.expected_wait_s() > self.max_wait_s

    def _release(self, _future: object) -> None:
        with self._lock:
            self._pending -= 1

    def _timed(self, fn: Callable[..., T], *args: object) -> T:
        started = time.perf_counter()
        try:
            return fn(*args)
        finally:
            took = time.perf_counter() - started
            with self._lock:
                self._service_s = took if self._service_s == 0.0 else (
                    (1 - _SMOOTHING) * self._service_s + _SMOOTHING * took)

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        with self._lock:
            if self.saturated():
                raise Overloaded()
            self._pending += 1
        # Carry the request's context (its request id) into the worker thread for logs and EMF records.
        future = self._executor.submit(contextvars.copy_context().run, self._timed, fn, *args)
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.timeout_s)
        except asyncio.TimeoutError as exc:
            future.cancel()  # drops it if still queued; a running thread finishes and then frees its slot
            raise WorkTimeout() from exc

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
