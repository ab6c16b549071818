"""The service's Prometheus metrics, one registry per application (tests build many).

Two sources feed them: the HTTP layer (every request: route template, method, status,
duration — `AccessLog`) and the audit trail (every finished assistant request: channel,
task, outcome, guard findings, model tokens and errors — `observe`, called with each
audit entry). No label ever holds user text: routes are templates, finding types and
error codes come from fixed vocabularies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from ..audit import AuditEntry, AuditStatus

# Seconds: a blocked prompt takes milliseconds, a generated answer many seconds.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

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
            "yakuba_http_requests_in_progress", "HTTP requests being served", registry=self.registry
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
        """A value read at scrape time (the model's queue, a job queue's depth)."""
        Gauge(name, documentation, registry=self.registry).set_function(read)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
