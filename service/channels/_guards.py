"""What every bot callback passes before its content is read: a size limit, a signature
(HMAC-SHA256, compared in constant time), a freshness window, and a memory of the events
already handled (platforms resend an event they think was lost; a replayed signed request
must not run twice). Rejections are audited like failed sign-ins, at a bounded rate."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi import HTTPException, Request

from ..auth import AccessControl
from ..auth.errors import SignInFailure
from ..runtime import Runtime
from ._background import AnswerScheduler

__all__ = ["CallbackGate", "SeenIds", "hmac_sha256", "same_secret"]

_SEEN_MAX = 10_000


def hmac_sha256(secret: str, data: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), data, hashlib.sha256).digest()


def same_secret(expected: str | bytes, given: str | bytes) -> bool:
    """Constant-time comparison, so a forger learns nothing from response times."""
    a = expected.encode() if isinstance(expected, str) else expected
    b = given.encode() if isinstance(given, str) else given
    return hmac.compare_digest(a, b)


class SeenIds:
    """Ids handled in the last `ttl_s` seconds (bounded, oldest forgotten first)."""

    def __init__(self, ttl_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """True the first time `key` is offered within the window; remembers it."""
        now = self._clock()
        with self._lock:
            while self._seen:
                oldest, at = next(iter(self._seen.items()))
                if now - at < self.ttl_s and len(self._seen) < _SEEN_MAX:
                    break
                del self._seen[oldest]
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


class CallbackGate:
    """Reads a callback's body within the bots' size limit and audits what is refused;
    `answers` starts the answers of the callbacks it let through (shared by every bot)."""

    def __init__(self, runtime: Runtime, access: AccessControl) -> None:
        self.runtime = runtime
        self.access = access
        self.max_bytes = runtime.settings.bot_max_body_bytes
        self.answers = AnswerScheduler()

    async def body(self, request: Request, channel: str) -> bytes:
        """The raw body, or 413 (audited) beyond the limit; chunked bodies are counted."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self.reject(request, channel, "bot_request_too_large", status=413)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_bytes:
                raise self.reject(request, channel, "bot_request_too_large", status=413)
            chunks.append(chunk)
        return b"".join(chunks)

    def reject(
        self, request: Request, channel: str, kind: str, *, status: int = 401
    ) -> HTTPException:
        """The audit record of a refused callback (never its body or signature), and the
        HTTP error to raise."""
        message = _REASONS.get(kind, "署名を確認できない要求を拒否しました。")
        self.access.sign_ins.record(
            self.runtime.audit,
            SignInFailure(kind, channel=channel),
            message=f"{channel}: {message}",
            client=request.client.host if request.client else None,
            channel=channel,
        )
        detail = {"code": kind, "message": message, "audit_id": None}
        return HTTPException(status_code=status, detail=detail)


_REASONS = {
    "bot_signature_invalid": "署名がない、または正しくない要求を拒否しました。",
    "bot_request_stale": "時刻が古い（または未来の）要求を拒否しました（再送攻撃の防止）。",
    "bot_request_replayed": "処理済みの要求が再び送られたため拒否しました（再送攻撃の防止）。",
    "bot_request_too_large": "大きすぎる要求を拒否しました。",
}
