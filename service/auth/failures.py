"""Failed sign-ins in the audit log, at a bounded rate.

Each failed attempt (an invalid, expired or forged token, a wrong, revoked or expired API
key, identity headers from outside the SSO proxy or without its secret) becomes one audit
record: status `failed`, task `auth`, the failure kind as `error_code`, and a Japanese
description naming the client address, the claimed user and the API key's public id —
never the token, the key or a secret.

Someone guessing keys must not be able to fill the audit log (and its disk) at the speed of
the network: each client address gets `per_minute` records a minute and all addresses
together ten times that; beyond that, failures are only counted, and one summary record
per address (and one for the global limit) says how many were left out once the minute is
over. Counting is in memory, per process: a bound on flooding, not an exact tally.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ..audit import JST, AuditEntry, AuditStatus, AuditStore, Channel
from ..errors import AuditError
from .errors import SignInFailure

__all__ = ["AUTH_TASK", "SUPPRESSED_CODE", "SignInAuditor"]

AUTH_TASK = "auth"
SUPPRESSED_CODE = "auth_failed_suppressed"
WINDOW_S = 60.0
# Addresses tracked at once; beyond this, new addresses share one bucket (memory stays
# bounded when an attacker spreads over a whole IPv6 prefix).
MAX_CLIENTS = 10_000
# All addresses together may leave this many times the per-address records a minute.
GLOBAL_FACTOR = 10
_OTHER = "（その他の接続元）"
_ALL = "（全接続元の合計）"
_MAX_CLAIMED = 64

logger = logging.getLogger(__name__)

Clock = Callable[[], float]


@dataclass
class _Window:
    started: float  # monotonic seconds
    started_at: datetime  # wall time, for the summary's text
    written: int = 0
    suppressed: int = 0


class SignInAuditor:
    def __init__(self, per_minute: int, *, clock: Clock = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._lock = threading.Lock()
        self._clients: dict[str, _Window] = {}
        self._global: _Window | None = None
        # Old windows of other addresses are swept at most once a second: under a flood
        # each failure must not walk all 10,000 of them.
        self._next_sweep = 0.0

    def record(
        self,
        store: AuditStore,
        failure: SignInFailure,
        *,
        message: str,
        client: str | None,
        channel: str,
    ) -> int | None:
        """Writes the failure's audit record unless its address (or everyone together)
        is over the limit; returns the record's id, or None when it was only counted.
        0 as the limit turns the recording off."""
        if self.per_minute <= 0:
            return None
        address = client or "不明"
        with self._lock:
            now = self._clock()
            due = self._expired(now, only=None if now >= self._next_sweep else address)
            if now >= self._next_sweep:
                self._next_sweep = now + 1.0
            admitted = self._admit(address, now)
        for label, window in due:
            self._write_summary(store, label, window)
        if not admitted:
            return None
        return self._write(store, _entry(failure, message, address, channel))

    def pending(self) -> bool:
        """Whether any failures were left out (and await their summary)."""
        with self._lock:
            windows = [*self._clients.values(), *([self._global] if self._global else [])]
            return any(w.suppressed for w in windows)

    def flush(self, store: AuditStore) -> None:
        """Writes the summaries of every window with left-out failures (at shutdown)."""
        with self._lock:
            due = self._expired(float("inf"))
        for label, window in due:
            self._write_summary(store, label, window)

    # -- counting (under the lock) ------------------------------------------------------

    def _admit(self, address: str, now: float) -> bool:
        key = address
        if key not in self._clients and len(self._clients) >= MAX_CLIENTS:
            key = _OTHER
        window = self._clients.get(key)
        if window is None:
            window = self._clients[key] = _Window(now, datetime.now(UTC))
        if self._global is None:
            self._global = _Window(now, datetime.now(UTC))
        if window.written >= self.per_minute:
            window.suppressed += 1
            return False
        if self._global.written >= self.per_minute * GLOBAL_FACTOR:
            self._global.suppressed += 1
            return False
        window.written += 1
        self._global.written += 1
        return True

    def _expired(self, now: float, only: str | None = None) -> list[tuple[str, _Window]]:
        """Removes the windows a minute old (of every address, or `only` this one and the
        global one); returns those that left failures out."""
        due: list[tuple[str, _Window]] = []
        keys = list(self._clients) if only is None else [only, _OTHER]
        for key in keys:
            window = self._clients.get(key)
            if window is None or now - window.started < WINDOW_S:
                continue
            del self._clients[key]
            if window.suppressed:
                due.append((key, window))
        if self._global is not None and now - self._global.started >= WINDOW_S:
            if self._global.suppressed:
                due.append((_ALL, self._global))
            self._global = None
        return due

    # -- writing (outside the lock: an append waits for the database) ------------------

    def _write_summary(self, store: AuditStore, label: str, window: _Window) -> None:
        since = window.started_at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")
        text = (
            f"接続元 {label} からの認証失敗 {window.suppressed} 件は、1 分あたりの記録上限"
            f"（{self.per_minute} 件／接続元、全体で {self.per_minute * GLOBAL_FACTOR} 件）"
            f"を超えたため個別には記録していません（{since} JST からの 1 分間）。"
        )
        entry = AuditEntry(
            request_id=uuid.uuid4().hex,
            user="",
            channel=Channel.API,
            task=AUTH_TASK,
            status=AuditStatus.FAILED,
            prompt="",
            answer=text,
            error_code=SUPPRESSED_CODE,
        )
        self._write(store, entry)

    @staticmethod
    def _write(store: AuditStore, entry: AuditEntry) -> int | None:
        # A sign-in failure stays a 401 even when the audit log cannot be written.
        try:
            return store.append(entry).id
        except AuditError as exc:
            logger.warning("failed sign-in not audited: %s", exc)
            return None


def _entry(failure: SignInFailure, message: str, address: str, channel: str) -> AuditEntry:
    lines = [f"認証失敗: {message}", f"接続元: {address}"]
    if failure.claimed_user:
        lines.append(f"名乗った利用者（未確認）: {_printable(failure.claimed_user)}")
    if failure.key_id:
        lines.append(f"API キー ID: {failure.key_id}")
    return AuditEntry(
        request_id=uuid.uuid4().hex,
        user=failure.user,
        department=failure.department,
        role=failure.role,
        channel=_channel(failure.channel or channel),
        task=AUTH_TASK,
        status=AuditStatus.FAILED,
        prompt="",
        answer="\n".join(lines),
        error_code=failure.kind,
    )


def _channel(value: str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        return Channel.API


def _printable(value: str) -> str:
    # Attacker-written: no control characters (line breaks would forge lines), bounded.
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in value)
    return cleaned[:_MAX_CLAIMED] + ("…" if len(cleaned) > _MAX_CLAIMED else "")
