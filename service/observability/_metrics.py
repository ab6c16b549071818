"""The service's Prometheus metrics, one registry per application (tests build many).

Two sources feed them: the HTTP layer (every request: route template, method, status,
duration — `AccessLog`) and the audit trail (every finished assistant request: channel,
task, outcome, guard findings, model tokens and errors — `observe`, called with each
audit entry). No label ever holds user text: routes are templates, finding types and
error codes come from fixed vocabularies.

Several worker processes (`yakuba serve --workers N`) each count their own requests, and a
scrape reaches one of them. With PROMETHEUS_MULTIPROC_DIR set in the environment before
prometheus_client is imported (serve sets it for N > 1), every process writes its values
to files there and a scrape of any worker reads them all (prometheus_client's
multiprocess mode): counters and histograms summed over every process that ran since the
folder was emptied, in-progress gauges summed over the living ones only."""

from __future__ import annotations

import glob
import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from ..audit import AuditEntry, AuditStatus

# Seconds: a blocked prompt takes milliseconds, a generated answer many seconds.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
logger = logging.getLogger(__name__)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# How often a process copies a value read by a function (its model queue) into its file
# in multiprocess mode, where a scrape cannot call another process's function.
GAUGE_REFRESH_S = 1.0
_LIVE_FILE = re.compile(r"gauge_live\w+?_(\d+)\.db$")


def multiprocess_dir() -> Path | None:
    """The shared folder of multiprocess mode, when the environment names one."""
    value = os.environ.get(MULTIPROC_ENV, "").strip()
    return Path(value) if value else None


def prepare_multiprocess_dir(folder: Path) -> None:
    """An empty folder for a new set of workers: values left by an earlier run would
    otherwise be added to this one's (prometheus_client's documented requirement)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.db"):
        old.unlink()


def mark_dead_processes(folder: Path) -> list[int]:
    """Drops the live gauges (requests in progress, model queue) of processes that are
    gone — a worker killed by SIGKILL or the OOM killer never says so itself; its counters
    stay, since what it counted did happen. Returns the dead process ids."""
    pids = {
        int(m.group(1))
        for name in glob.glob(str(folder / "gauge_live*.db"))
        if (m := _LIVE_FILE.search(name))
    }
    dead = [pid for pid in sorted(pids) if not _alive(pid)]
    for pid in dead:
        multiprocess.mark_process_dead(pid, str(folder))  # type: ignore[no-untyped-call]
    return dead


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


_M = TypeVar("_M", Counter, Histogram)


class Labelled(Generic[_M]):
    """A labelled metric whose children are kept by their label values: one dict look-up
    a request, where prometheus_client's own `labels()` checks and converts its
    arguments and takes a lock each time (~10 Python calls; six times a request). The
    label values come from fixed vocabularies, so the dict stays as small as the
    metric's series."""

    def __init__(self, metric: _M) -> None:
        self.metric: _M = metric
        self._children: dict[tuple[str, ...], _M] = {}

    def labels(self, *values: str) -> _M:
        child = self._children.get(values)
        if child is None:  # two threads may both ask: prometheus_client gives both one child
            child = self._children[values] = self.metric.labels(*values)
        return child


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.shared_dir = multiprocess_dir()
        count, time = self._counter, self._histogram
        self.http_requests = count(
            "yakuba_http_requests",
            "HTTP requests by route template, method and status",
            "route method status",
        )
        self.http_duration = time(
            "yakuba_http_request_duration_seconds",
            "HTTP request duration (until the response is complete, streams included)",
            "route method",
        )
        self.http_in_progress = Gauge(
            "yakuba_http_requests_in_progress",
            "HTTP requests being served",
            registry=self.registry,
            multiprocess_mode="livesum",  # ignored in one process
        )
        self.requests = count(
            "yakuba_requests",
            "Assistant requests (one per audit record) by channel, task and outcome",
            "channel task status",
        )
        self.request_duration = time(
            "yakuba_request_duration_seconds",
            "Assistant request latency as audited, by channel and task",
            "channel task",
        )
        self.guard_findings = count(
            "yakuba_guard_findings",
            "Personal or confidential data the guard found, by entity type and outcome",
            "type outcome",
        )
        self.guard_blocked = count(
            "yakuba_guard_blocked_requests",
            "Requests the guard refused, once per entity type that caused it",
            "type",
        )
        self.tokens = count(
            "yakuba_model_tokens",
            "Model tokens by direction (prompt, completion) and channel",
            "direction channel",
        )
        self.model_errors = count(
            "yakuba_model_errors", "Failed model calls by error code (llm_busy, …)", "code"
        )

    def _counter(self, name: str, documentation: str, labels: str) -> Labelled[Counter]:
        return Labelled(Counter(name, documentation, labels.split(), registry=self.registry))

    def _histogram(self, name: str, documentation: str, labels: str) -> Labelled[Histogram]:
        return Labelled(
            Histogram(name, documentation, labels.split(), buckets=_BUCKETS, registry=self.registry)
        )

    def observe(self, entry: AuditEntry) -> None:
        """One finished request, as the audit trail records it."""
        channel, task = str(entry.channel), entry.task or "-"
        status = str(entry.status)
        self.requests.labels(channel, task, status).inc()
        self.request_duration.labels(channel, task).observe(entry.latency_ms / 1000)
        blocked = entry.status is AuditStatus.BLOCKED
        outcome = "blocked" if blocked else "passed"
        for kind, count in entry.findings.items():
            self.guard_findings.labels(kind, outcome).inc(count)
            if blocked:
                self.guard_blocked.labels(kind).inc()
        if entry.tokens_in:
            self.tokens.labels("prompt", channel).inc(entry.tokens_in)
        if entry.tokens_out:
            self.tokens.labels("completion", channel).inc(entry.tokens_out)
        # Also when the answer degraded to quoting the passages (status allowed).
        if entry.error_code.startswith("llm_"):
            self.model_errors.labels(entry.error_code).inc()

    def gauge(self, name: str, documentation: str, read: Callable[[], float]) -> None:
        """A value read at scrape time (the model's queue, a job queue's depth); in
        multiprocess mode, copied every GAUGE_REFRESH_S and summed over living processes."""
        gauge = Gauge(name, documentation, registry=self.registry, multiprocess_mode="livesum")
        if self.shared_dir is None:
            gauge.set_function(read)
            return
        gauge.set(read())
        threading.Thread(
            target=_refresh, args=(gauge, read), name=f"yakuba-gauge-{name}", daemon=True
        ).start()

    def exposition(self) -> bytes:
        if self.shared_dir is None:
            return generate_latest(self.registry)
        mark_dead_processes(self.shared_dir)
        every_process = CollectorRegistry()
        multiprocess.MultiProcessCollector(every_process, path=str(self.shared_dir))  # type: ignore[no-untyped-call]
        return generate_latest(every_process)

    def process_exits(self) -> None:
        """This process is shutting down: its live gauges no longer count."""
        if self.shared_dir is not None:
            multiprocess.mark_process_dead(os.getpid(), str(self.shared_dir))  # type: ignore[no-untyped-call]


def _refresh(gauge: Gauge, read: Callable[[], float]) -> None:
    stop = threading.Event()  # never set: a daemon thread, as long as the process
    while not stop.wait(GAUGE_REFRESH_S):
        try:
            gauge.set(read())
        except Exception as exc:  # the next round tries again
            logger.warning("gauge refresh failed: %s", type(exc).__name__)
