"""Process entry: ``python -m svgai.server`` runs uvicorn on $HOST:$PORT (default 0.0.0.0:8080).

Shutdown, all within DRAIN_TIMEOUT_S (kept below ECS's 30 s stop timeout):
1. SIGTERM: /ready answers 503 at once while the listener stays open for DRAIN_NOTICE_S, so a load
   balancer that still probes the task sees it drain rather than a refused connection;
2. the listener closes and in-flight requests finish (every conversion has its own wall-clock budget);
3. at DRAIN_TIMEOUT_S the remaining connections are cut, the conversion workers are killed and the
   process exits, whatever its threads are doing.
A second SIGTERM or SIGINT skips the notice period. One process per task: a 1-vCPU Fargate task gains
nothing from more uvicorn workers, only memory use.
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Any

import uvicorn

from . import logs
from .config import Settings

log = logging.getLogger("svgai.server")
_GRACE_S = 2.0  # after the drain deadline: time to close connections before the hard exit


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: Any, settings: Settings) -> None:
        super().__init__(config)
        self.service_app, self.settings = app, settings
        self._signalled = False

    def handle_exit(self, sig: int, frame: object) -> None:
        if self._signalled:  # a second signal: stop taking connections now
            self.should_exit = True
            return
        self._signalled = True
        self.service_app.state.service.draining = True
        notice = min(self.settings.drain_notice_s, self.settings.drain_timeout_s)
        log.info("shutdown signal received: draining", extra={
            "signal": int(sig), "drain_notice_s": notice, "drain_timeout_s": self.settings.drain_timeout_s})
        self._timer(notice, self._close_listener)
        self._timer(self.settings.drain_timeout_s, self._deadline)
        self._timer(self.settings.drain_timeout_s + _GRACE_S, self._hard_exit)

    @staticmethod
    def _timer(seconds: float, action: Any) -> None:
        timer = threading.Timer(seconds, action)
        timer.daemon = True
        timer.start()

    def _close_listener(self) -> None:
        self.should_exit = True  # uvicorn's loop closes the socket and waits for in-flight requests

    def _deadline(self) -> None:
        log.warning("drain deadline reached: closing remaining connections")
        self.force_exit = True
        self.service_app.state.workers.close()

    def _hard_exit(self) -> None:
        log.error("process did not stop after the drain deadline: exiting now")
        logging.shutdown()
        os._exit(1)


def main() -> None:
    settings = Settings.from_env()
    logs.configure(settings.log_level)
    from .app import create_app  # imported here: conversion workers import this module without torch

    app = create_app(settings)
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port,
        log_config=None, access_log=False,  # the app logs one JSON line per request itself
        timeout_keep_alive=65,  # longer than the ALB idle timeout (60 s), else the ALB sees resets as 502s
        limit_concurrency=settings.max_connections,
    )
    DrainingServer(config, app, settings).run()
    # Kill the conversion workers and leave without waiting for worker threads: each one is bounded by
    # its conversion budget, but the stop timeout is not.
    app.state.workers.close()
    log.info("stopped")
    logging.shutdown()
    os._exit(0)


if __name__ == "__main__":
    main()
