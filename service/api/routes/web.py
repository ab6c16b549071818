"""The staff web page (`GET /`) and its assets (`/static/app/`), served from package data.

Plain HTML, CSS and JavaScript with nothing fetched from outside: the page works on a
closed municipal network (LGWAN). Its Content-Security-Policy lets it load and talk to
this server only, so even text that slipped into the page could not send data elsewhere.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ASSETS = "/static/app"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

router = APIRouter(include_in_schema=False)


@cache
def _page() -> str:
    return resources.files("service").joinpath("static", "index.html").read_text("utf-8")


@router.get("/")
def index() -> HTMLResponse:
    # no-cache: after an upgrade the page and its assets must come back together.
    return HTMLResponse(_page(), headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})


class _WithHeaders:
    """Adds the security headers to every response of the wrapped ASGI app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def mount(app: FastAPI) -> None:
    assets = StaticFiles(packages=[("service", "static")])
    app.mount(ASSETS, _WithHeaders(assets), name="web-assets")
    app.include_router(router)
