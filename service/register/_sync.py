"""Keeps a guard's in-memory public register equal to the store.

The service loads the register when it starts, reloads it at once after a change it
made itself (an administrator's revocation), and checks the store's revision every
``interval_s`` from a daemon thread for changes other processes made (``yakuba ingest``,
``yakuba register revoke``, another worker). A reload replaces the whole register in one
step (``PublicRegister.replace_all``): the guard's ``config_version`` changes, so
verdicts cached under the old register expire.

When the store cannot be read the register keeps what it last loaded and the failure
is logged: the guard then over-blocks at worst (an empty register) and never treats a
revoked value as public longer than its last successful reload shows.
"""

from __future__ import annotations

import logging
import threading
import time

from guardrails import PublicRegister

from ._store import RegisterStore

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 2.0


class RegisterSync:
    """Loads ``store`` into ``register`` (see module)."""

    def __init__(
        self,
        store: RegisterStore,
        register: PublicRegister,
        *,
        interval_s: float = DEFAULT_INTERVAL_S,
    ) -> None:
        self._store = store
        self._register = register
        self._interval_s = interval_s
        self._seen: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def register(self) -> PublicRegister:
        return self._register

    def refresh(self, *, force: bool = False) -> bool:
        """Reload when the store changed since the last load (or ``force``); returns
        whether the register was reloaded (then its version grew). Raises the store's
        error."""
        with self._lock:
            if not force and self._seen is not None and self._store.revision() == self._seen:
                return False
            started = time.perf_counter()
            revision, entries = self._store.snapshot()
            self._register.replace_all(entries)
            self._seen = revision
        logger.info(
            "public register loaded: %d entries, revision %d, %.0f ms",
            len(entries),
            revision,
            (time.perf_counter() - started) * 1000,
        )
        return True

    def start(self) -> None:
        """Check for other processes' changes every ``interval_s`` until ``close``."""
        if self._thread is None and self._interval_s > 0:
            self._thread = threading.Thread(
                target=self._run, name="yakuba-register-sync", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            try:
                self.refresh()
            except Exception as exc:  # the next round tries again
                logger.warning("public register reload failed: %s", type(exc).__name__)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
