"""A real local HTTP server standing in for the chat platforms' Web APIs (Slack's Web API
and response URLs, LINE WORKS' token endpoint and message API). It records every call so
tests and benchmarks can assert what a bot posted, where, and with which credentials::

    with ChatApiServer() as api:
        settings = Settings(slack_api_url=api.url(SLACK_API), ...)
        ...
        posts = api.wait_for("chat.postMessage", count=1)
        assert posts[0].body["thread_ts"] == "1700000000.000100"
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

__all__ = [
    "LINEWORKS_API",
    "LINEWORKS_AUTH",
    "SLACK_API",
    "TEAMS_SERVICE",
    "TEAMS_TOKEN",
    "ChatApiServer",
    "RecordedCall",
]

LINEWORKS_TOKEN = "lineworks-access-token"
# Paths of the stand-ins: Slack's Web API base, LINE WORKS' API base and token endpoint.
SLACK_API = "/api/"
LINEWORKS_API = "/lineworks/v1.0"
LINEWORKS_AUTH = "/lineworks/oauth2/v2.0/token"
# Teams: the Bot Connector service (an activity's serviceUrl) and the bot's token endpoint.
TEAMS_SERVICE = "/teams/"
TEAMS_TOKEN = "/teams-token"
TEAMS_TOKEN_VALUE = "teams-bot-token"


@dataclass(frozen=True)
class RecordedCall:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: Any  # parsed JSON or form fields (dict), else the text
    received_at: float

    @property
    def name(self) -> str:
        """The last path segment: `chat.postMessage`, `token`, `messages`."""
        return self.path.rstrip("/").rsplit("/", 1)[-1]


class ChatApiServer:
    def __init__(self) -> None:
        self.calls: list[RecordedCall] = []
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- addresses ---------------------------------------------------------------------
    def url(self, path: str = "") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def response_url(self, name: str = "cmd") -> str:
        """A Slack response URL (slash commands, buttons) that lands here as `name`."""
        return self.url(f"/hooks/{name}")

    # -- lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> ChatApiServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- assertions ----------------------------------------------------------------------
    def named(self, name: str) -> list[RecordedCall]:
        with self._cond:
            return [c for c in self.calls if c.name == name]

    def wait_for(self, name: str, *, count: int = 1, timeout: float = 15.0) -> list[RecordedCall]:
        """The calls of that name once there are at least `count` (AssertionError after
        `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.name == name]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    names = [c.name for c in self.calls]
                    raise AssertionError(f"{count} × {name} expected; calls so far: {names}")
                self._cond.wait(left)

    # -- the server ------------------------------------------------------------------------
    def _record(self, call: RecordedCall) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _answer(self, call: RecordedCall) -> tuple[int, Any]:
        body = call.body if isinstance(call.body, dict) else {}
        if call.name == "auth.test":
            return 200, {
                "ok": True,
                "team_id": "T0001",
                "user_id": "UBOT",
                "bot_id": "BBOT",
                "user": "yakuba",
                "team": "test",
                "url": "https://test.slack.com/",
            }
        if call.name == "chat.postMessage":
            ts = f"1800000000.{next(self._ts):06d}"
            return 200, {"ok": True, "channel": body.get("channel"), "ts": ts}
        if call.path.startswith("/api/"):
            return 200, {"ok": True, "message_ts": f"1800000000.{next(self._ts):06d}"}
        if call.path.startswith("/hooks/"):
            return 200, "ok"
        if call.path.endswith("/oauth2/v2.0/token"):
            return 200, {
                "access_token": LINEWORKS_TOKEN,
                "token_type": "Bearer",
                "expires_in": "86400",
                "scope": "bot",
            }
        if call.path.startswith("/lineworks/v1.0/bots/"):
            return 201, {}
        if call.path == TEAMS_TOKEN:
            return 200, {
                "access_token": TEAMS_TOKEN_VALUE,
                "token_type": "Bearer",
                "expires_in": 3600,
            }
        if call.path.startswith(f"{TEAMS_SERVICE}v3/conversations/"):
            return 200, {"id": f"activity-{next(self._ts)}"}
        return 404, {"error": "unknown path"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace")
                call = RecordedCall(
                    method="POST",
                    path=self.path.split("?", 1)[0],
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=_parse(raw, self.headers.get("content-type", "")),
                    received_at=time.time(),
                )
                server._record(call)
                status, payload = server._answer(call)
                data = (
                    payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        return Handler


def _parse(raw: str, content_type: str) -> Any:
    if "json" in content_type:
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    if "x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(raw, keep_blank_values=True))
    return raw
