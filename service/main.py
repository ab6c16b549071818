"""Builds the FastAPI application; routes live in `service/api/routes/`."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .api.access import require
from .api.errors import (
    database_error_handler,
    error_response,
    http_exception_handler,
    internal_error_handler,
    retry_headers,
)
from .api.hosts import HostOriginCheck, HostPolicy
from .api.limits import BodySizeLimit
from .api.routes import (
    admin_audit,
    admin_chat_users,
    admin_register,
    apikeys,
    ask,
    chat,
    console,
    docs,
    documents,
    faq,
    feedback,
    health,
    history,
    me,
    metrics,
    tasks,
    web,
)
from .api.validation import (
    document_validation_errors,
    reject_unreadable_text,
    validation_error_handler,
)
from .auth import AccessControl, Permission
from .channels.bots import mount_bots
from .errors import YakubaError
from .observability import AccessLog
from .runtime import Runtime
from .settings import Settings, get_settings

log = structlog.get_logger(__name__)

# Room for the multipart framing and form fields around the largest allowed file.
_BODY_SLACK_BYTES = 1024 * 1024
# Worker threads beyond those the model calls may hold: guard-only, extractive and
# blocked requests, feedback, streaming steps.
_THREAD_SLACK = 32


def create_app(settings: Settings | None = None) -> FastAPI:
    """Raises ConfigurationError for a broken prompt override, before serving anything."""
    settings = settings or get_settings()
    hosts = HostPolicy.from_setting(settings.trusted_hosts, settings.auth_mode)
    if hosts.any_host and not settings.trusted_hosts.strip():
        log.warning(
            "trusted_hosts_unset",
            hint="list the public host names in YAKUBA_TRUSTED_HOSTS (docs/security.md)",
        )
    runtime = Runtime(settings)
    runtime.prompts  # noqa: B018 - loads and checks every prompt template now
    # Checks the auth settings (keys, proxies, directory) now, before serving anything.
    access = AccessControl(runtime.settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The task routes are sync and run in anyio's worker threads (ask and chat await
        # the model on the loop); a model call holds its thread for the model's whole
        # latency, so the pool must outgrow the model concurrency, or requests would queue
        # for a thread (40 by default) before the model's own limit is reached.
        limiter = anyio.to_thread.current_default_thread_limiter()
        wanted = runtime.settings.llm_max_concurrency + _THREAD_SLACK
        limiter.total_tokens = max(limiter.total_tokens, wanted)
        # The ~650k objects that the imports created live as long as the process: out of
        # the collector's way, a full collection no longer stops every request for ~0.5 s
        # (4 such pauses in 30 s under load before, bench/service.py).
        gc.freeze()
        # Changes to the public register made by other processes (yakuba ingest,
        # yakuba register revoke, another worker) reach this process's guard.
        try:
            runtime.register_sync.start()
        except YakubaError as exc:
            log.error("register_sync_not_started", error=exc.code)
        yield
        gc.unfreeze()
        # Failures left out of the audit log by the flood limit are summarised now.
        if access.sign_ins.pending():
            access.sign_ins.flush(runtime.audit)
        runtime.close()
        access.close()
        runtime.metrics.process_exits()

    app = FastAPI(
        title="Yakuba API",
        summary="自治体職員のための安全な生成AIアシスタント",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served offline by routes.docs
        redoc_url=None,
        # Half a surrogate pair or a NUL in the path, query or JSON body is malformed input.
        dependencies=[Depends(reject_unreadable_text)],
    )
    app.state.runtime = runtime
    app.state.access = access
    app.add_middleware(
        BodySizeLimit, max_bytes=runtime.settings.max_upload_bytes + _BODY_SLACK_BYTES
    )
    # A request for another host name or from another site's page goes no further
    # (service.api.hosts).
    app.add_middleware(HostOriginCheck, policy=hosts)
    # Outermost: it times and counts every request, refused ones included.
    app.add_middleware(AccessLog, metrics=runtime.metrics)
    app.add_exception_handler(YakubaError, _yakuba_error)
    # The database unreachable (restarting) wherever a route or dependency reads it.
    app.add_exception_handler(OperationalError, database_error_handler)
    app.add_exception_handler(InterfaceError, database_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    document_validation_errors(app)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    app.add_exception_handler(Exception, internal_error_handler)
    # Every route but /healthz, the docs and the web page's files needs a permission
    # (service.auth.roles); requests that use the assistant count against the quotas.
    # The assistant's two busiest routes come first: a request is matched against each
    # router before its own in turn (~10 Python calls a router; no two routers share a
    # path, so the order decides nothing else).
    app.include_router(chat.router, dependencies=[require(Permission.CHAT, metered=True)])
    app.include_router(ask.router, dependencies=[require(Permission.ASK, metered=True)])
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(tasks.router, dependencies=[require(Permission.TASKS, metered=True)])
    app.include_router(feedback.router, dependencies=[require(Permission.FEEDBACK)])
    app.include_router(me.router)
    app.include_router(apikeys.router)
    app.include_router(admin_chat_users.router)  # the bots' chat users (apikeys:manage)
    # The console's reads: each route names its permission (audit:read, audit:export,
    # usage:read, history:own).
    app.include_router(admin_audit.router)
    # The public register: register:read lists, register:manage revokes and restores.
    app.include_router(admin_register.router)
    app.include_router(history.router)
    # Chat-tool bots check their platform's signature instead (service.channels).
    mount_bots(app, runtime, access)
    docs.mount(app)
    web.mount(app)
    console.mount(app)
    faq.mount(app)  # /v1/faq/* (faq:bulk), the /faq/ page, the job worker
    documents.mount(app)  # /v1/admin/documents (documents:manage), the knowledge-base worker
    return app


async def _yakuba_error(request: Request, exc: Exception) -> JSONResponse:
    # What escapes the routes is a service failure (the audit log could not be written,
    # a configuration problem): a Japanese message, never a traceback.
    code = exc.code if isinstance(exc, YakubaError) else "internal_error"
    return error_response(code, str(exc), path=request.url.path, headers=retry_headers(code))
