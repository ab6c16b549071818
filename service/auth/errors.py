"""The access-control errors; every message is Japanese and safe to show to staff.

YakubaError (service.errors)
└── AuthError
    ├── AuthenticationError      no or invalid credentials            → 401
    ├── PermissionDeniedError    authenticated, but the role may not  → 403
    ├── QuotaExceededError       a quota or the rate limit is used up → 429
    └── AuthConfigurationError   an auth setting is missing or unsafe (start-up)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import YakubaError

__all__ = [
    "AuthConfigurationError",
    "AuthError",
    "AuthenticationError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "SignInFailure",
]


@dataclass(frozen=True)
class SignInFailure:
    """What the audit record of a failed sign-in may say (service.auth.failures). Never
    the token, the key or a secret: only who was verified, who was claimed, the key id."""

    kind: str  # the record's error_code, e.g. "auth_token_expired"
    # Verified identity: the credential was genuine but is expired or revoked.
    user: str = ""
    department: str = ""
    role: str = ""
    channel: str = ""
    # Presented but not verified (anyone can write it): kept apart from `user`, so a
    # forged name never shows up as that user's activity.
    claimed_user: str = ""
    key_id: str = ""  # an API key's public id


class AuthError(YakubaError):
    code = "auth_error"
    status = 500

    def __init__(
        self, message: str, *, code: str | None = None, failure: SignInFailure | None = None
    ) -> None:
        super().__init__(message, code=code)
        # Set on failed sign-ins with credentials presented; None for a request without
        # any (not an attempt) and for other auth errors.
        self.failure = failure


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
