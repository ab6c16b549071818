"""The `yakuba` command (entry point `service.cli:app`): one module per command group —
`main` (ingest, search, ask, guard scan, serve), `audit` (yakuba audit …) and `apikeys`
(yakuba apikey …). Commands parse arguments, call the library and render output."""

from __future__ import annotations

from .main import app

__all__ = ["app"]
