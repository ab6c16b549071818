"""The access-control errors; every message is Japanese and safe to show to staff.

YakubaError (service.errors)
└── AuthError
    ├── AuthenticationError      no or invalid credentials            → 401
    ├── PermissionDeniedError    authenticated, but the role may not  → 403
    ├── QuotaExceededError       a quota or the rate limit is used up → 429
    └── AuthConfigurationError   an auth setting is missing or unsafe (start-up)
"""

from __future__ import annotations

from ..errors import YakubaError

__all__ = [
    "AuthConfigurationError",
    "AuthError",
    "AuthenticationError",
    "PermissionDeniedError",
    "QuotaExceededError",
]


class AuthError(YakubaError):
    code = "auth_error"
    status = 500


class AuthenticationError(AuthError):
    code = "unauthenticated"
    status = 401


class PermissionDeniedError(AuthError):
    code = "forbidden"
    status = 403


class QuotaExceededError(AuthError):
    code = "quota_exceeded"
    status = 429

    def __init__(self, message: str, *, retry_after_s: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        # Whole seconds, at least one: the value of the Retry-After header.
        self.retry_after_s = max(1, int(retry_after_s))


class AuthConfigurationError(AuthError):
    code = "auth_configuration_error"
