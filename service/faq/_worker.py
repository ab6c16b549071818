"""The service's background runner: takes queued jobs (from the API or handed over by
the CLI) and jobs whose runner died, one at a time, until the service stops."""

from __future__ import annotations

import logging
import threading

from ._errors import JobStateError
from ._runner import JobRunner
from ._store import JobStore

POLL_S = 2.0

logger = logging.getLogger(__name__)


class JobWorker:
    def __init__(self, store: JobStore, runner: JobRunner, *, poll_s: float = POLL_S) -> None:
        self._store = store
        self._runner = runner
        self._poll_s = poll_s
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="yakuba-faq-worker", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Look for work now (a job was just submitted)."""
        self._wake.set()

    def stop(self) -> None:
        """Finishes the rows in flight and hands the running job back to the queue."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=120)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for job_id in self._store.claimable():
                    if self._stop.is_set():
                        break
                    try:
                        self._runner.run(job_id, stop=self._stop)
                    except JobStateError:
                        continue  # another runner took it first
            except Exception:  # a database hiccup: try again at the next poll
                logger.exception("faq worker: a round failed")
            self._wake.wait(self._poll_s)
            self._wake.clear()
