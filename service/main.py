"""Builds the FastAPI application; routes live in `service/api/routes/`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .api.routes import chat, docs, health
from .runtime import Runtime
from .settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    runtime = Runtime(settings or get_settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        runtime.close()

    app = FastAPI(
        title="Yakuba API",
        summary="自治体職員のための安全な生成AIアシスタント",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served offline by routes.docs
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.include_router(health.router)
    app.include_router(chat.router)
    docs.mount(app)
    return app
