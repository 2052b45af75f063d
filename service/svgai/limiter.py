"""Bounded concurrency for CPU work: a fixed worker pool plus a bounded queue, then fast 503s.

Refusing early keeps latency for admitted requests flat under overload instead of letting every request
time out. The slot is held until the worker thread really finishes, even if the client got a timeout,
so a slow request can never let more CPU work pile up than the limits allow.
"""
from __future__ import annotations

import asyncio
import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

T = TypeVar("T")


class Overloaded(Exception):
    """No work slot or queue place is free."""


class WorkTimeout(Exception):
    """The work did not finish within the request timeout."""


class Limiter:
    def __init__(self, max_inflight: int, max_queue: int, timeout_s: float) -> None:
        self.capacity = max_inflight + max_queue
        self.timeout_s = timeout_s
        self.max_inflight = max_inflight
        self._executor = ThreadPoolExecutor(max_workers=max_inflight, thread_name_prefix="work")
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        return self._pending

    def _release(self, _future: object) -> None:
        with self._lock:
            self._pending -= 1

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        with self._lock:
            if self._pending >= self.capacity:
                raise Overloaded()
            self._pending += 1
        # Carry the request's context (its request id) into the worker thread for logs and EMF records.
        future = self._executor.submit(contextvars.copy_context().run, fn, *args)
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), self.timeout_s)
        except asyncio.TimeoutError as exc:
            future.cancel()  # drops it if still queued; a running thread finishes and then frees its slot
            raise WorkTimeout() from exc

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
