"""What an operator watches: Prometheus metrics (`/metrics`), readiness (`/readyz`) and an
access log that never holds a query string (audit searches carry names in them)."""

from __future__ import annotations

from ._access_log import AccessLog
from ._logging import configure_logging
from ._metrics import Metrics
from ._readiness import Readiness, ReadinessCheck

__all__ = ["AccessLog", "Metrics", "Readiness", "ReadinessCheck", "configure_logging"]
