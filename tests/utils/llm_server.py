"""A real, local OpenAI-compatible chat-completions server that records what reached it.

Tests point Yakuba (or the ``openai`` client) at :attr:`RecordingLLMServer.base_url` and then
assert on the request bodies the "model" actually received::

    with RecordingLLMServer() as llm:
        client = openai.OpenAI(base_url=llm.base_url, api_key="x")
        client.chat.completions.create(model="test-model", messages=[...])
        assert "123456789012" not in llm.all_prompt_text()

It is a plain standard-library ``ThreadingHTTPServer`` speaking HTTP/1.1 with keep-alive,
``Content-Length`` bodies and chunked ``text/event-stream`` for ``"stream": true``.

Endpoints (``/v1`` prefix):

* ``GET  /v1/models`` and ``GET /v1/models/{id}``
* ``POST /v1/chat/completions`` (non-streaming and streaming)
* ``POST /openai/deployments/{deployment}/chat/completions`` (Azure OpenAI layout; use
  :attr:`RecordingLLMServer.azure_endpoint`)
* ``POST /v1/embeddings`` and ``POST /openai/deployments/{deployment}/embeddings``:
  deterministic vectors of hashed character bigrams (:func:`hashed_embedding`), so texts
  that share words are close — enough to exercise a configured embedding endpoint end to
  end (``bench/retrieval.py --embedders openai:test-model --embedding-base-url …``)

Run it as a separate process for benchmarks::

    python -m tests.utils.llm_server --port 8900 --latency-ms 200 [--timings FILE]

``--timings`` (``timings_path=``) appends one JSON line per answered chat completion with
the server's own wall-clock times, so a benchmark can subtract the model's time from what
a client in front of a proxy measured.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import re
import signal
import socket
import socketserver
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import IO, Any, Final, TypeAlias, cast
from urllib.parse import unquote, urlsplit

__all__ = [
    "CHAT_PATH",
    "DEFAULT_MODEL",
    "EMBEDDINGS_PATH",
    "EMBEDDING_DIMENSION",
    "DEFAULT_REPLY_PREFIX",
    "DIGEST_CHARS",
    "RecordedRequest",
    "RecordingLLMServer",
    "ReplySpec",
    "content_text",
    "count_tokens",
    "default_reply",
    "hashed_embedding",
    "main",
]

log = logging.getLogger(__name__)

DEFAULT_MODEL: Final = "test-model"
DEFAULT_REPLY_PREFIX: Final = "【テスト応答】"
#: How many characters of the last user message the default reply echoes.
DIGEST_CHARS: Final = 40
CHAT_PATH: Final = "/v1/chat/completions"
EMBEDDINGS_PATH: Final = "/v1/embeddings"
#: Dimension of the test embeddings.
EMBEDDING_DIMENSION: Final = 64
MODELS_PATH: Final = "/v1/models"
#: Request bodies larger than this are refused with 413.
MAX_BODY_BYTES: Final = 32 * 1024 * 1024
#: How many characters of the prompt's end a timings line carries.
TIMING_TAIL_CHARS: Final = 64

_AZURE_CHAT_RE: Final = re.compile(r"^/openai/deployments/([^/]+)/chat/completions$")
_AZURE_EMBEDDINGS_RE: Final = re.compile(r"^/openai/deployments/([^/]+)/embeddings$")

#: A fixed reply, or a function of the parsed request body that returns the reply.
ReplySpec: TypeAlias = str | Callable[[dict[str, Any]], str]


# --------------------------------------------------------------------------- helpers


def hashed_embedding(text: str, dimension: int = EMBEDDING_DIMENSION) -> list[float]:
    """A unit vector of the text's character bigrams hashed into `dimension` buckets."""
    vector = [0.0] * dimension
    padded = f" {text} "
    for i in range(len(padded) - 1):
        bucket = int.from_bytes(padded[i : i + 2].encode("utf-8"), "little") % 1_000_003
        vector[bucket % dimension] += 1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return [v / norm for v in vector]


def count_tokens(text: str) -> int:
    """Deterministic stand-in for a tokenizer: one token per two characters, rounded up."""
    return (len(text) + 1) // 2


def content_text(content: object) -> str:
    """The text of a message ``content``: a string, or a list of parts (``{"text": ...}``)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts: list[str] = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, Mapping):
                text = part.get("text")
                if isinstance(text, str):
                    texts.append(text)
        return "\n".join(texts)
    return ""


def _message_texts(message: object) -> list[str]:
    """Every piece of text a message carries: its content and any tool-call arguments."""
    if not isinstance(message, Mapping):
        return []
    texts = [content_text(message.get("content"))]
    tool_calls = message.get("tool_calls")
    if isinstance(tool_calls, list):
        for call in tool_calls:
            function = call.get("function") if isinstance(call, Mapping) else None
            if isinstance(function, Mapping) and isinstance(function.get("arguments"), str):
                texts.append(function["arguments"])
    return [t for t in texts if t]


def _messages_of(body: object) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return []
    messages = body.get("messages")
    if not isinstance(messages, list):
        return []
    return [m for m in messages if isinstance(m, dict)]


def default_reply(body: Mapping[str, Any]) -> str:
    """``DEFAULT_REPLY_PREFIX`` + the first ``DIGEST_CHARS`` characters of the last user message."""
    messages = body.get("messages")
    last_user = ""
    if isinstance(messages, list):
        for message in reversed(messages):
            if isinstance(message, Mapping) and message.get("role") == "user":
                last_user = content_text(message.get("content"))
                break
    return DEFAULT_REPLY_PREFIX + last_user[:DIGEST_CHARS]


def _error_body(
    message: str, type_: str, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


_DEFAULT_FAILURES: Final[dict[int, tuple[str, str, str | None]]] = {
    400: ("Injected bad request.", "invalid_request_error", None),
    401: ("Injected authentication failure.", "invalid_request_error", "invalid_api_key"),
    403: ("Injected permission failure.", "invalid_request_error", None),
    404: ("Injected not found.", "invalid_request_error", "model_not_found"),
    408: ("Injected request timeout.", "server_error", None),
    429: ("Rate limit reached (injected by the test server).", "requests", "rate_limit_exceeded"),
    500: (
        "The server had an error while processing your request (injected).",
        "server_error",
        None,
    ),
    502: ("Bad gateway (injected).", "server_error", None),
    503: ("The engine is currently overloaded (injected).", "server_error", None),
    504: ("Gateway timeout (injected).", "server_error", None),
}


def _default_failure_body(status: int) -> dict[str, Any]:
    message, type_, code = _DEFAULT_FAILURES.get(
        status, (f"Injected failure with status {status}.", "server_error", None)
    )
    return _error_body(message, type_, code)


def _has_content(event: Mapping[str, Any]) -> bool:
    choices = event.get("choices") or []
    return any(isinstance(c, Mapping) and (c.get("delta") or {}).get("content") for c in choices)


def _dumps(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it, and the status it answered with."""

    method: str
    #: The URL path without the query string, e.g. ``/v1/chat/completions``.
    path: str
    query: str
    #: Every request header, names lower-cased (repeated headers joined with ``", "``).
    headers: dict[str, str]
    #: The parsed JSON body; ``None`` when the body was empty or not valid JSON.
    body: Any
    raw_body: bytes
    status: int
    #: ``time.time()`` when the request arrived.
    received_at: float
    #: The client's source port: the same port for several requests means keep-alive.
    client_port: int

    @property
    def is_chat(self) -> bool:
        """A chat-completions call (OpenAI or Azure layout)."""
        return self.method == "POST" and (
            self.path == CHAT_PATH or _AZURE_CHAT_RE.match(self.path) is not None
        )

    @property
    def stream(self) -> bool:
        return isinstance(self.body, dict) and self.body.get("stream") is True

    @property
    def model(self) -> str | None:
        model = self.body.get("model") if isinstance(self.body, dict) else None
        return model if isinstance(model, str) else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return _messages_of(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def prompt_text(self) -> str:
        """All message contents (and tool-call arguments) of this request, one per line."""
        return "\n".join(t for m in self.messages for t in _message_texts(m))


# --------------------------------------------------------------------------- server


@dataclass
class _Failure:
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str]


@dataclass
class _Outcome:
    """What to answer: a JSON body, or (``stream``) a chat-completion to send as SSE."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    stream: bool = False
    chat: dict[str, Any] | None = None  # for successful chats: id, created, model, reply, usage
    include_usage: bool = False


class _BadBody(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class RecordingLLMServer:
    """An OpenAI-compatible chat-completions server on 127.0.0.1 that records every request.

    All knobs are plain attributes and may be changed while the server runs; each request
    reads them when it arrives.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        model: str = DEFAULT_MODEL,
        reply: ReplySpec | None = None,
        latency_s: float = 0.0,
        first_token_latency_s: float = 0.0,
        inter_chunk_delay_s: float = 0.0,
        stream_chunk_chars: int = 4,
        api_key: str | None = None,
        record: bool = True,
        timings_path: str | os.PathLike[str] | None = None,
    ) -> None:
        """
        Args:
            host: interface to bind; keep the loopback default.
            port: 0 lets the OS choose a free port.
            model: the id ``GET /v1/models`` lists (chat answers echo the requested model).
            reply: a fixed reply string or ``(request_body) -> str``; default
                :func:`default_reply`.
            latency_s: sleep before answering a chat completion (streaming: before the
                response headers and the first chunk); errors are answered at once.
            first_token_latency_s: streaming only, extra sleep between the role chunk and
                the first content chunk.
            inter_chunk_delay_s: streaming only, sleep between later chunks.
            stream_chunk_chars: characters of the reply per streamed content delta.
            api_key: when set, requests need ``Authorization: Bearer <key>`` (or Azure's
                ``api-key: <key>``) and get 401 otherwise.
            record: keep a record of each request (turn off for long benchmark runs).
            timings_path: append a JSON line per answered chat completion to this file:
                ``id``, ``stream``, wall-clock (``time.time()``) ``received`` (request
                read), ``first_token`` (first content chunk written; streaming only) and
                ``done`` (response written), and ``prompt_tail``, the last
                ``TIMING_TAIL_CHARS`` characters of the prompt, to pair the line with the
                request that caused it.
        """
        if stream_chunk_chars < 1:
            raise ValueError("stream_chunk_chars must be at least 1")
        self.host = host
        self.port = port
        self.model = model
        self.reply: ReplySpec | None = reply
        self.latency_s = latency_s
        self.first_token_latency_s = first_token_latency_s
        self.inter_chunk_delay_s = inter_chunk_delay_s
        self.stream_chunk_chars = stream_chunk_chars
        self.api_key = api_key
        self.record = record
        self.timings_path = timings_path
        self._timings: IO[str] | None = None

        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._failures: deque[_Failure] = deque()
        self._errors: list[BaseException] = []
        self._chat_ids = itertools.count(1)
        self._request_ids = itertools.count(1)

        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: dict[socket.socket, threading.Thread] = {}

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> RecordingLLMServer:
        """Bind and serve in a background thread; returns ``self``."""
        with self._lock:
            if self._server is not None:
                raise RuntimeError("RecordingLLMServer is already running")
            self._stopping = threading.Event()
            server = _Server((self.host, self.port), self)
            if self.timings_path is not None:
                self._timings = open(self.timings_path, "a", encoding="utf-8", buffering=1)
            self.port = server.server_port
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"RecordingLLMServer:{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, drop open keep-alive connections and wait for handler threads."""
        with self._lock:
            server, thread = self._server, self._thread
            self._server, self._thread = None, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections.items())
        for conn, _ in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        if thread is not None:
            thread.join(max(0.0, deadline - time.monotonic()))
        for _, handler_thread in connections:
            if handler_thread is not threading.current_thread():
                handler_thread.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            timings, self._timings = self._timings, None
        if timings is not None:
            timings.close()

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> RecordingLLMServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ addresses

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no path)."""
        if self.port == 0:
            raise RuntimeError("RecordingLLMServer has not been started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The OpenAI ``base_url``: ``http://127.0.0.1:PORT/v1``."""
        return f"{self.url}/v1"

    @property
    def azure_endpoint(self) -> str:
        """The ``azure_endpoint`` for ``AzureOpenAI`` / ``AzureChatOpenAI`` clients."""
        return self.url

    # ------------------------------------------------------------------ records

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of every recorded request, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The recorded chat-completions requests (whatever the server answered)."""
        return [r for r in self.requests if r.is_chat]

    @property
    def last_chat_request(self) -> RecordedRequest:
        chats = self.chat_requests
        if not chats:
            raise AssertionError("the LLM server received no chat-completions request")
        return chats[-1]

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised by a ``reply`` callable (each answered with 500)."""
        with self._lock:
            return list(self._errors)

    def clear(self) -> None:
        """Forget the recorded requests and errors (pending injected failures stay)."""
        with self._lock:
            self._requests.clear()
            self._errors.clear()

    def all_prompt_text(self) -> str:
        """Every message content of every recorded chat request, one per line.

        List-of-parts contents contribute their text parts; assistant tool-call arguments
        are included too, so ``secret not in llm.all_prompt_text()`` is a strict check.
        """
        return "\n".join(t for r in self.chat_requests if (t := r.prompt_text()))

    # ------------------------------------------------------------------ failures

    def fail_next(
        self,
        status: int,
        times: int = 1,
        body: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer the next ``times`` chat-completions requests with ``status``.

        The body is an OpenAI-style error (or ``body``); 429 carries ``Retry-After: 0``.
        ``headers`` adds or overrides response headers, e.g. ``{"retry-after-ms": "1"}``
        makes the ``openai`` client retry at once instead of backing off.
        """
        if not 400 <= status <= 599:
            raise ValueError(f"fail_next needs an error status (400-599), got {status}")
        if times < 1:
            raise ValueError("times must be at least 1")
        extra = {"Retry-After": "0"} if status == 429 else {}
        extra.update(headers or {})
        with self._lock:
            for _ in range(times):
                self._failures.append(_Failure(status, body, dict(extra)))

    def cancel_failures(self) -> None:
        """Drop the injected failures not used yet."""
        with self._lock:
            self._failures.clear()

    @property
    def pending_failures(self) -> int:
        with self._lock:
            return len(self._failures)

    # ------------------------------------------------------------------ internals

    def _record(self, request: RecordedRequest) -> None:
        if self.record:
            with self._lock:
                self._requests.append(request)

    def _log_timing(
        self, request: RecordedRequest, chat_id: str, done: float, first_token: float | None
    ) -> None:
        line = json.dumps(
            {
                "id": chat_id,
                "stream": request.stream,
                "received": request.received_at,
                "first_token": first_token,
                "done": done,
                "prompt_tail": request.prompt_text()[-TIMING_TAIL_CHARS:],
            },
            ensure_ascii=False,
        )
        with self._lock:
            if self._timings is not None:
                self._timings.write(line + "\n")

    def _track(self, conn: socket.socket, thread: threading.Thread | None) -> None:
        with self._lock:
            if thread is None:
                self._connections.pop(conn, None)
            else:
                self._connections[conn] = thread

    def _next_id(self, kind: str = "chat") -> int:
        with self._lock:
            return next(self._chat_ids if kind == "chat" else self._request_ids)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops first; False when it is stopping."""
        if seconds > 0:
            return not self._stopping.wait(seconds)
        return not self._stopping.is_set()

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        key = self.api_key
        if key is None:
            return True
        return headers.get("authorization") == f"Bearer {key}" or headers.get("api-key") == key

    def _decide(self, method: str, path: str, headers: Mapping[str, str], raw: bytes) -> _Outcome:
        azure = _AZURE_CHAT_RE.match(path)
        azure_embeddings = _AZURE_EMBEDDINGS_RE.match(path)
        embeddings = path == EMBEDDINGS_PATH or azure_embeddings is not None
        if path == CHAT_PATH or azure is not None or embeddings:
            allowed = "POST"
        elif path == MODELS_PATH or path.startswith(MODELS_PATH + "/"):
            allowed = "GET"
        else:
            return _Outcome(
                404, _error_body(f"Invalid URL ({method} {path})", "invalid_request_error")
            )
        if method != allowed:
            return _Outcome(
                405,
                _error_body(f"Method {method} not allowed on {path}", "invalid_request_error"),
                {"Allow": allowed},
            )
        if not self._authorized(headers):
            return _Outcome(
                401,
                _error_body(
                    "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"
                ),
            )
        if allowed == "GET":
            return self._models(path)

        with self._lock:
            failure = self._failures.popleft() if self._failures else None
        if failure is not None:
            return _Outcome(
                failure.status,
                failure.body if failure.body is not None else _default_failure_body(failure.status),
                failure.headers,
            )
        if embeddings:
            return self._embeddings(raw, azure_embeddings.group(1) if azure_embeddings else None)
        return self._chat(raw, azure.group(1) if azure else None)

    def _embeddings(self, raw: bytes, deployment: str | None) -> _Outcome:
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return _Outcome(
                400, _error_body(f"Invalid JSON body. ({exc})", "invalid_request_error")
            )
        texts = body.get("input") if isinstance(body, dict) else None
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return _Outcome(
                400,
                _error_body(
                    "input must be a string or a list of strings.", "invalid_request_error"
                ),
            )
        data = [
            {"object": "embedding", "index": i, "embedding": hashed_embedding(t)}
            for i, t in enumerate(texts)
        ]
        tokens = sum(count_tokens(t) for t in texts)
        return _Outcome(
            200,
            {
                "object": "list",
                "data": data,
                "model": body.get("model", deployment) or self.model,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    def _models(self, path: str) -> _Outcome:
        entry = {"id": self.model, "object": "model", "created": 0, "owned_by": "yakuba-tests"}
        if path == MODELS_PATH:
            return _Outcome(200, {"object": "list", "data": [entry]})
        wanted = unquote(path[len(MODELS_PATH) + 1 :])
        if wanted == self.model:
            return _Outcome(200, entry)
        return _Outcome(
            404,
            _error_body(
                f"The model `{wanted}` does not exist.", "invalid_request_error", "model_not_found"
            ),
        )

    def _chat(self, raw: bytes, deployment: str | None) -> _Outcome:
        def bad(message: str, param: str | None = None) -> _Outcome:
            return _Outcome(400, _error_body(message, "invalid_request_error", None, param))

        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return bad(f"We could not parse the JSON body of your request. ({exc})")
        if not isinstance(body, dict):
            return bad("The request body must be a JSON object.")
        model = body.get("model", deployment)
        if not isinstance(model, str) or not model:
            return bad("You must provide a model parameter.", "model")
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return bad("'messages' must be a non-empty array.", "messages")
        if not all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in messages):
            return bad("Each message must be an object with a 'role'.", "messages")

        spec = self.reply
        try:
            text = (
                default_reply(body)
                if spec is None
                else spec
                if isinstance(spec, str)
                else spec(body)
            )
            if not isinstance(text, str):
                raise TypeError(f"reply callable returned {type(text).__name__}, not str")
        except Exception as exc:  # a broken reply callable is a test bug: surface it
            log.exception("reply callable failed")
            with self._lock:
                self._errors.append(exc)
            return _Outcome(
                500,
                _error_body(f"reply callable raised {exc!r}", "server_error", "test_server_bug"),
            )

        prompt_tokens = count_tokens("".join(t for m in messages for t in _message_texts(m)))
        completion_tokens = count_tokens(text)
        chat = {
            "id": f"chatcmpl-test{self._next_id():06d}",
            "created": int(time.time()),
            "model": model,
            "reply": text,
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
        if body.get("stream") is True:
            options = body.get("stream_options")
            include_usage = isinstance(options, dict) and options.get("include_usage") is True
            return _Outcome(200, stream=True, chat=chat, include_usage=include_usage)
        completion = {
            "id": chat["id"],
            "object": "chat.completion",
            "created": chat["created"],
            "model": model,
            "system_fingerprint": "fp_yakuba_test",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": chat["usage"],
        }
        return _Outcome(200, completion, chat=chat)

    def _stream_events(self, outcome: _Outcome) -> list[tuple[float, dict[str, Any] | None]]:
        """(delay before it, event) pairs; ``None`` is the ``[DONE]`` sentinel."""
        chat = outcome.chat
        assert chat is not None

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            event: dict[str, Any] = {
                "id": chat["id"],
                "object": "chat.completion.chunk",
                "created": chat["created"],
                "model": chat["model"],
                "system_fingerprint": "fp_yakuba_test",
                "choices": [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }
            if outcome.include_usage:
                event["usage"] = None
            return event

        text: str = chat["reply"]
        size = self.stream_chunk_chars
        gap = self.inter_chunk_delay_s
        events: list[tuple[float, dict[str, Any] | None]] = [
            (0.0, chunk({"role": "assistant", "content": "", "refusal": None}))
        ]
        for i, start in enumerate(range(0, len(text), size)):
            delay = self.first_token_latency_s if i == 0 else gap
            events.append((delay, chunk({"content": text[start : start + size]})))
        events.append((gap if text else self.first_token_latency_s, chunk({}, "stop")))
        if outcome.include_usage:
            usage_event = chunk({})
            usage_event["choices"] = []
            usage_event["usage"] = chat["usage"]
            events.append((0.0, usage_event))
        events.append((0.0, None))
        return events


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # RecordingLLMServer.stop joins its handler threads with a timeout
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], recorder: RecordingLLMServer) -> None:
        self.recorder = recorder
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.socket.getsockname()[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return  # the client went away; nothing to report
        log.exception("RecordingLLMServer: error while handling %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "YakubaRecordingLLM/1.0"
    disable_nagle_algorithm = True  # small SSE chunks must not wait for delayed ACKs
    timeout = 120  # idle keep-alive connections are dropped after this

    @property
    def _recorder(self) -> RecordingLLMServer:
        return cast(_Server, self.server).recorder

    def setup(self) -> None:
        super().setup()
        self._recorder._track(self.connection, threading.current_thread())
        if self._recorder._stopping.is_set():
            self.close_connection = True

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._recorder._track(self.connection, None)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    # ------------------------------------------------------------------ request

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return b""
        try:
            length = int(length_header)
        except ValueError:
            raise _BadBody(400, "Invalid Content-Length header.") from None
        if length < 0:
            raise _BadBody(400, "Invalid Content-Length header.")
        if length > MAX_BODY_BYTES:
            raise _BadBody(413, "Request body too large.")
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        data = bytearray()
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise _BadBody(400, "Malformed chunked request body.") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(data)
            if len(data) + size > MAX_BODY_BYTES:
                raise _BadBody(413, "Request body too large.")
            data += self.rfile.read(size)
            self.rfile.readline(1024)  # CRLF after the chunk

    def _handle(self) -> None:
        recorder = self._recorder
        received_at = time.time()
        split = urlsplit(self.path)
        path = split.path
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value

        try:
            raw = self._read_body()
        except _BadBody as exc:
            self.close_connection = True  # the rest of the body is unread
            outcome = _Outcome(exc.status, _error_body(str(exc), "invalid_request_error"))
            raw = b""
        else:
            outcome = recorder._decide(self.command, path, headers, raw)

        try:
            body: Any = json.loads(raw) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = None
        request = RecordedRequest(
            method=self.command,
            path=path,
            query=split.query,
            headers=headers,
            body=body,
            raw_body=raw,
            status=outcome.status,
            received_at=received_at,
            client_port=int(self.client_address[1]),
        )
        recorder._record(request)

        first_token: float | None = None
        try:
            if outcome.chat is not None and not recorder._sleep(recorder.latency_s):
                self.close_connection = True
                return
            if outcome.stream:
                first_token = self._send_stream(outcome)
            else:
                self._send_json(outcome)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
            return
        if outcome.chat is not None and recorder._timings is not None:
            recorder._log_timing(request, outcome.chat["id"], time.time(), first_token)

    # ------------------------------------------------------------------ response

    def _send_json(self, outcome: _Outcome) -> None:
        payload = _dumps(outcome.body)
        self.send_response(outcome.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-request-id", f"req_test{self._recorder._next_id('request'):06d}")
        for name, value in outcome.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)

    def _send_stream(self, outcome: _Outcome) -> float | None:
        """Returns when (``time.time()``) the first content chunk was written."""
        recorder = self._recorder
        first_token: float | None = None
        chunked = self.request_version == "HTTP/1.1"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("x-request-id", f"req_test{recorder._next_id('request'):06d}")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.close_connection = True  # HTTP/1.0: the body ends when the connection does
            self.send_header("Connection", "close")
        self.end_headers()

        for delay, event in recorder._stream_events(outcome):
            if not recorder._sleep(delay):
                self.close_connection = True
                return first_token
            data = b"data: [DONE]\n\n" if event is None else b"data: " + _dumps(event) + b"\n\n"
            if chunked:
                data = b"%x\r\n%s\r\n" % (len(data), data)
                if event is None:  # the last chunk in the same packet: the client that stops
                    data += b"0\r\n\r\n"  # reading at [DONE] can still reuse the connection
            self.wfile.write(data)
            if first_token is None and event is not None and _has_content(event):
                first_token = time.time()
        return first_token


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.utils.llm_server",
        description="Serve a local, recording, OpenAI-compatible chat-completions API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="model id to list")
    parser.add_argument("--reply", default=None, help="fixed reply (default: echo digest)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay before answering")
    parser.add_argument(
        "--first-token-latency-ms", type=float, default=0.0, help="streaming: delay to 1st delta"
    )
    parser.add_argument(
        "--inter-chunk-delay-ms", type=float, default=0.0, help="streaming: delay between deltas"
    )
    parser.add_argument("--chunk-chars", type=int, default=4, help="characters per delta")
    parser.add_argument("--api-key", default=None, help="require this bearer token")
    parser.add_argument(
        "--timings", default=None, help="append a JSON line of timings per chat completion"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(message)s",
    )
    server = RecordingLLMServer(
        host=args.host,
        port=args.port,
        model=args.model,
        reply=args.reply,
        latency_s=args.latency_ms / 1000,
        first_token_latency_s=args.first_token_latency_ms / 1000,
        inter_chunk_delay_s=args.inter_chunk_delay_ms / 1000,
        stream_chunk_chars=args.chunk_chars,
        api_key=args.api_key,
        record=False,  # a long benchmark run must not grow without bound
        timings_path=args.timings,
    )
    done = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server.start()
    print(server.base_url, flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
