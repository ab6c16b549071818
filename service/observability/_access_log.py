"""An ASGI middleware that counts and logs each HTTP request by its route *template*.

uvicorn's own access log prints the path with its query string, and an administrator's
audit search (`/v1/admin/audit/records?q=山田`) carries a resident's name there; the
service turns that log off (`yakuba serve`) and writes this one instead: one JSON line per
request with the template (`/v1/admin/audit/records/{record_id}`), never the values."""

from __future__ import annotations

import time
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._metrics import Metrics

log = structlog.get_logger("yakuba.access")
# Paths that match no route are not echoed either (a scanner's guesses, typos with names).
UNMATCHED = "<unmatched>"


class AccessLog:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app raises before answering

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.http_in_progress.inc()
        try:
            await self.app(scope, receive, send_status)
        finally:
            self.metrics.http_in_progress.dec()
            elapsed = time.perf_counter() - started
            route = _template(scope)
            method = scope.get("method", "")
            self.metrics.http_requests.labels(route, method, str(status)).inc()
            self.metrics.http_duration.labels(route, method).observe(elapsed)
            log.info(
                "request",
                route=route,
                method=method,
                status=status,
                duration_ms=round(elapsed * 1000, 1),
            )


def _template(scope: Scope) -> str:
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED
