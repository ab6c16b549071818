"""Every error the guardrails package raises.

    GuardrailsError          root; also raised for invalid input (e.g. a non-str prompt)
    ├── GuardConfigError     policy / recognizer configuration is missing or invalid
    ├── GuardTimeoutError    a scan did not finish within the configured time budget
    └── PlaceholderError     a placeholder mapping cannot be used
        ├── PlaceholderLimitError    it would grow past its bounds (entries, bytes)
        └── PlaceholderExpiredError  it expired or was cleared (its values are gone)

``Guard.scan`` itself never lets a scanning failure escape as an allow: failures and
timeouts become a *blocked* ``ScanResult`` carrying ``error``. The exceptions exist for
configuration time (``build_guard``), programming errors (wrong argument types) and
callers that prefer raising (``ScanResult.raise_for_error``). Likewise
``placeholder_prompt`` turns a mapping that is full or expired into a blocked plan; only
restoring raises ``PlaceholderExpiredError`` (the values needed are gone).
"""

from __future__ import annotations

from pathlib import Path


class GuardrailsError(Exception):
    """Root of the guardrails package's errors."""

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail


class GuardConfigError(GuardrailsError):
    """The policy or recognizer configuration is missing or invalid."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        key: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message, detail=detail)
        self.path = str(path) if path is not None else None
        self.key = key


class GuardTimeoutError(GuardrailsError):
    """A scan exceeded its time budget (the request must be refused)."""

    def __init__(
        self, message: str, *, timeout_s: float | None = None, detail: str | None = None
    ) -> None:
        super().__init__(message, detail=detail)
        self.timeout_s = timeout_s


class PlaceholderError(GuardrailsError):
    """A placeholder mapping cannot be used for this request."""


class PlaceholderLimitError(PlaceholderError):
    """The mapping would hold more entries or bytes than its bounds allow."""

    def __init__(self, message: str, *, limit: str, value: int, detail: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.limit = limit
        self.value = value


class PlaceholderExpiredError(PlaceholderError):
    """The mapping expired or was cleared: its values were wiped and cannot come back."""
