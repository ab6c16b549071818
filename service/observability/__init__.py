"""What an operator watches: Prometheus metrics (`/metrics`), readiness (`/readyz`) and an
access log that never holds a query string (audit searches carry names in them)."""

from __future__ import annotations

from ._access_log import AccessLog
from ._logging import configure_logging
from ._metrics import MULTIPROC_ENV, Metrics, prepare_multiprocess_dir
from ._readiness import Readiness, ReadinessCheck

__all__ = [
    "MULTIPROC_ENV",
    "AccessLog",
    "Metrics",
    "prepare_multiprocess_dir",
    "Readiness",
    "ReadinessCheck",
    "configure_logging",
]
