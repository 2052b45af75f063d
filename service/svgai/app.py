"""The FastAPI application: ``create_app()`` wires the service, the routers, the lifespan and the gate."""
from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable

import torch
from fastapi import FastAPI

from . import __version__, errors
from .config import Settings
from .middleware import Gate
from .routes import api, platform
from .s3 import s3_client
from .service import Service
from .store import UploadStore


def create_app(settings: Settings | None = None, store: UploadStore | None = None,
               s3_client_factory: Callable[[], Any] = s3_client) -> FastAPI:
    settings = settings or Settings.from_env()
    torch.set_num_threads(settings.torch_threads)  # a Fargate task sees the host's cores: set it explicitly
    service = Service(settings, store, s3_client_factory)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        service.start()  # models load in the background: /health answers at once, /ready tells progress
        yield

    app = FastAPI(title="SVG-AI inference service", version=__version__, lifespan=lifespan,
                  description="PNG logos to SVG with potrace, helped by a logo-type classifier and a "
                              "quality predictor (TorchScript).")
    app.state.service = service
    app.state.settings, app.state.limiter, app.state.workers = settings, service.limiter, service.workers
    errors.install(app)
    app.include_router(platform)
    app.include_router(api)
    app.add_middleware(Gate, settings=settings, metrics=service.metrics,
                       routes=lambda: {route.path for route in app.routes},
                       saturated=service.limiter.saturated,
                       identity=lambda: (service.identity.image_id or service.identity.image, service.model_version()))
    return app
