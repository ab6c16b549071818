"""The service's background runner: takes queued jobs (from the API or handed over by
the CLI) and jobs whose runner died, up to `max_jobs` at a time so that one long job
does not hold up the others (they share the model's slots, YAKUBA_LLM_MAX_CONCURRENCY),
until the service stops.

Any job queue with a `claimable()` store and a `run(job_id, stop=…)` runner fits: the
knowledge-base updates (service.kb) run on it too, one job at a time."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from ._errors import JobStateError

POLL_S = 2.0
MAX_JOBS = 2

logger = logging.getLogger(__name__)


class JobQueue(Protocol):
    def claimable(self) -> list[str]:
        """Ids of the jobs a runner may take now, oldest first."""
        ...


class JobRun(Protocol):
    def run(self, job_id: str, *, stop: threading.Event | None = None) -> str:
        """Runs the job to its end (or until `stop`); raises JobStateError when another
        runner took it first."""
        ...


class JobWorker:
    def __init__(
        self,
        store: JobQueue,
        runner: JobRun,
        *,
        poll_s: float = POLL_S,
        max_jobs: int = MAX_JOBS,
        name: str = "faq",
    ) -> None:
        self._name = name
        self._store = store
        self._runner = runner
        self._poll_s = poll_s
        self._max_jobs = max_jobs
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._running: dict[str, threading.Thread] = {}

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"yakuba-{self._name}-worker", daemon=True
            )
            self._thread.start()

    def wake(self) -> None:
        """Look for work now (a job was just submitted)."""
        self._wake.set()

    def stop(self) -> None:
        """Finishes the rows in flight and hands the running jobs back to the queue."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=120)
            self._thread = None
        for thread in list(self._running.values()):
            thread.join(timeout=120)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._running = {j: t for j, t in self._running.items() if t.is_alive()}
            try:
                for job_id in self._store.claimable():
                    if self._stop.is_set() or len(self._running) >= self._max_jobs:
                        break
                    if job_id not in self._running:
                        thread = threading.Thread(
                            target=self._job,
                            args=(job_id,),
                            name=f"yakuba-{self._name}-{job_id[:8]}",
                        )
                        self._running[job_id] = thread
                        thread.start()
            except Exception:  # a database hiccup: try again at the next poll
                logger.exception("%s worker: a round failed", self._name)
            self._wake.wait(self._poll_s)
            self._wake.clear()

    def _job(self, job_id: str) -> None:
        try:
            self._runner.run(job_id, stop=self._stop)
        except JobStateError:
            pass  # another runner took it first
        except Exception:
            logger.exception("%s worker: job %s failed", self._name, job_id)
        finally:
            self._wake.set()  # a slot is free
