"""Every error the service raises; messages are Japanese and safe to show to staff.

YakubaError
├── InputError           the request itself is unacceptable (too long, empty, wrong file type)
├── NotFoundError        the thing a request refers to does not exist (or is not the user's)
├── ConfigurationError   a setting is missing or unsafe
├── LLMError             the language model failed or timed out
│   └── LLMNotConfiguredError
└── AuditError           the audit record could not be written (the request fails)
"""

from __future__ import annotations


class YakubaError(Exception):
    """Root of the service's errors. `code` is a stable machine-readable identifier."""

    code = "yakuba_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class InputError(YakubaError):
    code = "invalid_input"


class NotFoundError(YakubaError):
    code = "not_found"


class ConfigurationError(YakubaError):
    code = "configuration_error"


class LLMError(YakubaError):
    code = "llm_error"


class LLMNotConfiguredError(LLMError):
    code = "llm_not_configured"


class AuditError(YakubaError):
    code = "audit_error"
