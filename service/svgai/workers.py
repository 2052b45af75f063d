"""Conversions run in worker processes that can be killed, so every conversion has a wall-clock budget.

A thread cannot be stopped from outside: a conversion that runs away (potrace on a 2048x2048 noise image
makes millions of path segments, and rendering and scoring them takes minutes) would hold its worker
thread, its memory and a work slot long after the client got its 504. Here the CPU-heavy part of a
conversion (quantize, trace, render back, score) runs in a child process; when the budget is spent the
child is killed, its memory goes with it, a fresh child takes its place and the caller gets
``ConversionTimeout`` at once. On shutdown every child is killed, so no conversion can hold the process up.

The children come from a ``forkserver`` that preloads only the conversion modules: forking the server
process itself would copy torch's thread pools, and spawning afresh would import torch again. The
forkserver starts with OpenMP/BLAS limited to one thread: there are as many workers as work slots
(one per vCPU), so a worker that spread numpy's matrix products over every core would only make the
workers preempt each other.
"""
from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.forkserver
import os
import queue
import threading
import time
from typing import Any, Callable, Dict, List, Tuple

log = logging.getLogger("svgai.workers")


class ConversionTimeout(Exception):
    """The conversion's wall-clock budget was spent; its worker process was killed."""


class WorkerFailed(Exception):
    """The worker process died or the work raised; the message is for logs, not for clients."""


# Read by OpenBLAS, OpenMP and MKL when numpy loads them, i.e. in the forkserver, before any worker forks.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _thread_settings() -> Dict[str, str | None]:
    return {name: os.environ.get(name) for name in ONE_THREAD}


def _jobs() -> Dict[str, Callable[..., Any]]:
    from .conversion import convert

    return {"convert": convert, "thread_settings": _thread_settings}


def _serve(conn: Any) -> None:
    """Child process: run jobs from the pipe until it closes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when children stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    jobs = _jobs()
    while True:
        try:
            name, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: Tuple[str, Any] = ("ok", jobs[name](*args))
        except Exception as exc:  # reported to the parent, which logs it and answers 500
            reply = ("error", f"{type(exc).__name__}: {exc}")
        conn.send(reply)


class _Worker:
    def __init__(self, context: Any) -> None:
        parent, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), name="svgai-convert", daemon=True)
        self.process.start()
        child.close()
        self.conn = parent

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        finally:
            self.conn.close()


class WorkerPool:
    """``size`` worker processes; ``call`` borrows one for one job, within a deadline."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["svgai.conversion"])
        self._idle: "queue.Queue[_Worker | None]" = queue.Queue()  # None: shut down
        self._all: List[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self._started = False
        self.killed = 0  # workers killed for running over their budget (a metric for /ready and logs)

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context)
        with self._lock:
            self._all.append(worker)
        return worker

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        saved = _thread_settings()
        os.environ.update(ONE_THREAD)  # the forkserver inherits the environment when it starts, right here
        try:
            multiprocessing.forkserver.ensure_running()
        finally:
            for name, value in saved.items():  # the server process keeps its own settings
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        for _ in range(self.size):
            self._idle.put(self._spawn())

    @property
    def alive(self) -> bool:
        """False once closed or when a worker could not be started."""
        return not self._closed

    def call(self, name: str, args: tuple, deadline: float) -> Any:
        """Run job ``name`` in a worker; ``deadline`` is a ``time.monotonic()`` instant."""
        self.start()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ConversionTimeout()
        try:
            worker = self._idle.get(timeout=remaining)
        except queue.Empty:
            raise ConversionTimeout() from None
        if worker is None or self._closed:
            self._idle.put(None)  # wake the next waiter too
            raise WorkerFailed("the worker pool is shut down")
        healthy = False
        try:
            worker.conn.send((name, args))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self.killed += 1
                raise ConversionTimeout()
            status, payload = worker.conn.recv()
            healthy = True
        except (EOFError, OSError) as exc:
            raise WorkerFailed(f"worker process ended: {type(exc).__name__}") from None
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)
        if status != "ok":
            raise WorkerFailed(str(payload))
        return payload

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        worker.kill()
        if not self._closed:
            try:
                self._idle.put(self._spawn())
            except Exception:  # cannot start a worker: readiness turns false
                log.exception("could not start a conversion worker")
                self._closed = True

    def close(self) -> None:
        """Kill every worker; callers waiting on one get ``WorkerFailed`` at once."""
        self._closed = True
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:  # the pipes stay open: a thread waiting on one sees EOF and cleans up
            try:
                worker.process.kill()
            except Exception:
                pass
        self._idle.put(None)
