"""Yakuba's app with its background pollers slowed to once an hour, for instruction counts.

`bench/instructions.py` starts uvicorn with `yakuba_quiet_pollers:create_app` (this folder
on PYTHONPATH, after the measured tree) instead of `service.main:create_app`. Under
valgrind a request takes seconds, and the pollers that wake every 1–2 s (the audit
database's WAL checkpoint, the FAQ and knowledge-base job queues, the metrics gauges)
would be counted with the requests, by wall time, not by request. Their intervals are
module defaults, not settings, and the older trees a comparison runs (2fe47da) cannot
gain settings: so the same defaults are raised here in whichever tree is measured, each
only where that tree has it. The public register's sync has a setting, which the bench
sets (YAKUBA_REGISTER_REFRESH_S=0: read once at start-up). Nothing a request does is
changed; only what runs between requests. Logging is set up as `yakuba serve` sets it
up (JSON lines), where the tree has that step, so that the access log is counted as it
costs in service rather than through structlog's development defaults.

It lives outside `bench/` as a top-level module because the measured tree has a `bench`
package of its own, which would shadow this checkout's.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

QUIET_S = 3600.0

# (module, attribute holding the interval, keyword of a function whose default it is)
_DEFAULTS = (
    ("service.audit._engine", "WalCheckpointer.__init__", "interval_s"),
    ("service.faq._worker", "JobWorker.__init__", "poll_s"),
)
_CONSTANTS = (
    ("service.api.routes.documents", "_POLL_S"),
    ("service.observability._metrics", "GAUGE_REFRESH_S"),
)


def _module(name: str) -> Any:
    """The tree's module, or None where the tree has none. The editable install's finder
    would supply a module missing from an older tree from the main checkout instead."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    package = Path(importlib.import_module("service").__file__ or "").parent
    return module if Path(module.__file__ or "").is_relative_to(package) else None


def quiet_pollers() -> list[str]:
    """Raises every poller interval this tree has; returns the names it raised."""
    raised: list[str] = []
    for module_name, function_path, keyword in _DEFAULTS:
        target = _module(module_name)
        for part in function_path.split("."):
            target = getattr(target, part, None)
        defaults = getattr(target, "__kwdefaults__", None)
        if defaults and keyword in defaults:
            defaults[keyword] = QUIET_S
            raised.append(f"{module_name}.{function_path}({keyword}=)")
    for module_name, attribute in _CONSTANTS:
        module = _module(module_name)
        if module is not None and hasattr(module, attribute):
            setattr(module, attribute, QUIET_S)
            raised.append(f"{module_name}.{attribute}")
    return raised


def production_logging() -> bool:
    """Logging as `yakuba serve` sets it up (JSON lines on stderr), where the tree has
    it: the access log's line per request is then counted as it costs in service."""
    observability = _module("service.observability")
    configure = getattr(observability, "configure_logging", None)
    if configure is None:
        return False
    configure(json_lines=True)
    return True


def create_app() -> Any:
    raised = quiet_pollers()
    print(f"pollers slowed to every {QUIET_S:.0f} s: {', '.join(raised)}", file=sys.stderr)
    if production_logging():
        print("logging configured as yakuba serve does", file=sys.stderr)
    from service.main import create_app as yakuba_app

    return yakuba_app()
