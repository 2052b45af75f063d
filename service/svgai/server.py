"""Process entry: ``python -m svgai.server`` runs uvicorn on $HOST:$PORT (default 0.0.0.0:8080).

On SIGTERM the listening socket closes, /ready turns 503, in-flight requests finish, then the process
exits; after DRAIN_TIMEOUT_S (kept below ECS's 30 s stop timeout) remaining connections are cut.
One process per task: a 1-vCPU Fargate task gains nothing from more workers, only memory use.
"""
from __future__ import annotations

import logging
import os
import threading

import uvicorn
from fastapi import FastAPI

from . import logs
from .app import create_app
from .config import Settings

log = logging.getLogger("svgai.server")


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI, drain_timeout_s: float) -> None:
        super().__init__(config)
        self.service_app, self.drain_timeout_s = app, drain_timeout_s

    def handle_exit(self, sig: int, frame: object) -> None:
        if not self.should_exit:
            self.service_app.state.draining = True
            log.info("shutdown signal received: draining", extra={"signal": int(sig),
                                                                  "drain_timeout_s": self.drain_timeout_s})
            timer = threading.Timer(self.drain_timeout_s, self._deadline)
            timer.daemon = True
            timer.start()
        super().handle_exit(sig, frame)

    def _deadline(self) -> None:
        log.warning("drain deadline reached: closing remaining connections")
        self.force_exit = True


def main() -> None:
    logs.configure(os.environ.get("LOG_LEVEL", "INFO").upper())
    settings = Settings.from_env()
    app = create_app(settings)
    config = uvicorn.Config(
        app, host=os.environ.get("HOST", "0.0.0.0"), port=int(os.environ.get("PORT", "8080")),
        log_config=None, access_log=False,  # the app logs one JSON line per request itself
        timeout_keep_alive=65,  # longer than the ALB idle timeout (60 s), else the ALB sees resets as 502s
        limit_concurrency=int(os.environ.get("MAX_CONNECTIONS", "256")),
    )
    DrainingServer(config, app, settings.drain_timeout_s).run()


if __name__ == "__main__":
    main()
