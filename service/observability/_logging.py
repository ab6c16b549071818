"""Logs as one JSON object per line (`yakuba serve`), for a log collector to parse.

structlog's own loggers and the standard library's (uvicorn's errors, SQLAlchemy, httpx)
go through the same processors and renderer. What the service logs is chosen so that no
record holds user text: event names, codes, counts, route templates (see `AccessLog`).

structlog's loggers write their lines themselves instead of handing each event to the
standard library's logging (a `LogRecord`, the handler chain and `ProcessorFormatter`):
the access log writes one line per request, and that way cost ~145 Python calls a line,
about as much as the rest of a chat request's own steps. The lines are the same."""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

import structlog

_SHARED: list[structlog.types.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=False),
]


class StderrLineLogger:
    """Writes each rendered line to the process's standard error as it is *now*: a
    logger cached before logging was set up again (tests do that) follows along."""

    _lock = threading.Lock()

    def __init__(self, name: str) -> None:
        self.name = name  # for add_logger_name

    def msg(self, message: str) -> None:
        stream = sys.stderr
        with self._lock:
            stream.write(message + "\n")
            stream.flush()

    log = debug = info = warn = warning = msg
    fatal = failure = err = error = critical = exception = msg


def stderr_line_logger(*args: Any) -> StderrLineLogger:
    """structlog's logger factory: `structlog.get_logger(name)` → a `StderrLineLogger`."""
    return StderrLineLogger(str(args[0]) if args else "yakuba")


def configure_logging(*, json_lines: bool = True, level: int = logging.INFO) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    # Levels below `level` cost one call (the filtering logger's methods are no-ops).
    structlog.configure(
        processors=[*_SHARED, structlog.processors.format_exc_info, renderer],
        logger_factory=stderr_line_logger,
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=_SHARED,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # The access log with paths and query strings stays off (AccessLog replaces it), and
    # so do the HTTP clients' request lines (URLs with query strings) below warnings.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("httpx", "httpx2", "httpcore", "openai"):
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
