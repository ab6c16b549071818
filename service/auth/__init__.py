"""Authentication, roles, departments and quotas (docs/auth.md).

`AccessControl` is built once per app from the settings; it authenticates a request's
credentials (JWT, trusted proxy headers, API key, or the local user of `none` mode) into
a `Principal`, checks a `Permission` of its roles, and meters requests against quotas.
"""

from __future__ import annotations

from .access import LOCAL_USER, AccessControl, Credentials
from .apikeys import ApiKeyInfo, ApiKeyStore, CreatedApiKey
from .errors import (
    AuthConfigurationError,
    AuthenticationError,
    AuthError,
    PermissionDeniedError,
    QuotaExceededError,
)
from .principal import AuthMethod, Principal
from .quota import QuotaLimits, QuotaManager, QuotaStatus, ScopeStatus
from .roles import ROLE_PERMISSIONS, Permission, Role

__all__ = [
    "LOCAL_USER",
    "ROLE_PERMISSIONS",
    "AccessControl",
    "ApiKeyInfo",
    "ApiKeyStore",
    "AuthConfigurationError",
    "AuthError",
    "AuthMethod",
    "AuthenticationError",
    "Credentials",
    "CreatedApiKey",
    "Permission",
    "PermissionDeniedError",
    "Principal",
    "QuotaExceededError",
    "QuotaLimits",
    "QuotaManager",
    "QuotaStatus",
    "Role",
    "ScopeStatus",
]
