"""The staff web page: the page itself and its security headers, and the Server-Sent
Events in which /v1/ask streams an answer to it (and to any API client).

Plain HTML, CSS and JavaScript with nothing fetched from outside: the page works on a
closed municipal network (LGWAN). Its Content-Security-Policy lets it load and talk to
this server only, so even text that slipped into the page could not send data elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from functools import cache
from importlib import resources
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..pipeline.contracts import Answer
from ..pipeline.task_specs import TASKS

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


_TASK_OPTIONS = (
    "        <!-- task options: one per declared task (service.pipeline.task_specs) -->\n"
)


@cache
def page() -> str:
    """The page, with one option per declared task."""
    html = resources.files("service").joinpath("static", "index.html").read_text("utf-8")
    options = "".join(
        f'        <label><input type="radio" name="task" value="{t.name}"> {t.title}</label>\n'
        for t in TASKS
    )
    return html.replace(_TASK_OPTIONS, options)


class WithSecurityHeaders:
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


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def ask_events(
    items: AsyncGenerator[str | Answer, None], done: Callable[[Answer], dict[str, Any]]
) -> AsyncIterator[str]:
    """`delta` events for the streamed text, then one `done` event (`done(answer)`: the
    response body of the finished answer)."""

    async def body() -> AsyncIterator[str]:
        try:
            async for item in items:
                if isinstance(item, Answer):
                    yield _event("done", done(item))
                elif item:
                    yield _event("delta", {"text": item})
        finally:
            # A client that goes away ends this generator; closing the pipeline's
            # stream too releases the model and writes the audit record now.
            with anyio.CancelScope(shield=True):
                await items.aclose()

    return body()
