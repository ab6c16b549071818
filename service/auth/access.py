"""The access-control service of one app: authentication in the configured mode, API
keys, and quotas, built once from the settings."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from ..audit import AuditEntry
from ..pipeline.core import Pipeline
from ..settings import AuthMode, Settings
from .apikeys import ApiKeyStore, looks_like_api_key
from .db import open_engine
from .directory import UserDirectory
from .errors import (
    AuthConfigurationError,
    AuthenticationError,
    PermissionDeniedError,
    SignInFailure,
)
from .failures import SignInAuditor
from .jwks import KeySet
from .principal import AuthMethod, Principal
from .proxy import HeaderNames, ProxyAuthenticator, parse_networks
from .quota import QuotaLimits, QuotaManager
from .roles import Permission, Role, RoleMap
from .tokens import ClaimNames, JwtVerifier
from .usage import UsageStore

__all__ = ["LOCAL_USER", "AccessControl", "Credentials"]

LOCAL_USER = "local"


@dataclass(frozen=True)
class Credentials:
    """What a request presents, independent of the web framework."""

    client_host: str | None
    headers: Mapping[str, str]  # lower-case names

    @property
    def bearer(self) -> str | None:
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        token = token.strip()
        return token if scheme.lower() == "bearer" and token else None


class AccessControl:
    def __init__(self, settings: Settings) -> None:
        # AuthMode(...): settings copied with model_copy(update=…) may hold a plain string.
        self.mode = AuthMode(settings.auth_mode)
        self.engine = open_engine(settings.audit_database_url)
        self.api_keys = ApiKeyStore(self.engine)
        self.quota = QuotaManager(
            UsageStore(self.engine),
            QuotaLimits(
                user_requests_per_day=settings.quota_user_requests_per_day,
                department_requests_per_day=settings.quota_department_requests_per_day,
                user_tokens_per_month=settings.quota_user_tokens_per_month,
                department_tokens_per_month=settings.quota_department_tokens_per_month,
                requests_per_minute=settings.rate_limit_per_minute,
            ),
        )
        role_map = RoleMap(settings.auth_role_map)
        default_role = Role(settings.auth_default_role)
        directory = (
            UserDirectory(settings.auth_directory_file) if settings.auth_directory_file else None
        )
        self.jwt: JwtVerifier | None = None
        self.proxy: ProxyAuthenticator | None = None
        if self.mode is AuthMode.JWT:
            if not settings.auth_issuer or not settings.auth_audience:
                raise AuthConfigurationError(
                    "YAKUBA_AUTH_MODE=jwt には YAKUBA_AUTH_ISSUER と YAKUBA_AUTH_AUDIENCE が必要です。"
                )
            self.jwt = JwtVerifier(
                keys=KeySet(
                    file=settings.auth_jwks_file,
                    url=settings.auth_jwks_url,
                    refresh_s=settings.auth_jwks_refresh_s,
                ),
                issuer=settings.auth_issuer,
                audience=settings.auth_audience,
                claims=ClaimNames(
                    user=settings.auth_user_claim,
                    department=settings.auth_department_claim,
                    roles=settings.auth_role_claim,
                ),
                role_map=role_map,
                directory=directory,
                default_role=default_role,
                leeway_s=settings.auth_leeway_s,
            )
        elif self.mode is AuthMode.HEADER:
            secret = settings.auth_proxy_secret
            self.proxy = ProxyAuthenticator(
                trusted=parse_networks(settings.auth_trusted_proxies),
                headers=HeaderNames(
                    user=settings.auth_user_header,
                    department=settings.auth_department_header,
                    role=settings.auth_role_header,
                    secret=settings.auth_proxy_secret_header,
                ),
                secret=secret.get_secret_value() if secret else None,
                role_map=role_map,
                directory=directory,
                default_role=default_role,
            )
        self._attached: set[int] = set()
        self._attach_lock = threading.Lock()
        # Failed sign-ins are audited (service.api.access), at a bounded rate.
        self.sign_ins = SignInAuditor(settings.auth_failure_audit_per_minute)

    # -- authentication ---------------------------------------------------------------
    def authenticate(self, credentials: Credentials) -> Principal:
        bearer = credentials.bearer
        if bearer and looks_like_api_key(bearer):
            return self.api_keys.authenticate(bearer)
        if self.mode is AuthMode.JWT:
            assert self.jwt is not None
            if not bearer:
                raise AuthenticationError(
                    "ログインが必要です。認証トークンを付けて送信してください。"
                )
            return self.jwt.verify(bearer)
        if self.mode is AuthMode.HEADER:
            assert self.proxy is not None
            return self.proxy.authenticate(credentials.client_host, credentials.headers)
        # none: any other bearer (an OpenAI client's placeholder key) is ignored.
        if not _is_local(credentials.client_host):
            raise PermissionDeniedError(
                "認証なしの設定（YAKUBA_AUTH_MODE=none）では、このコンピューター上からの接続だけを受け付けます。",
                failure=SignInFailure("auth_not_local"),
            )
        return Principal(user=LOCAL_USER, roles=frozenset({Role.ADMIN}), method=AuthMethod.NONE)

    def authorize(self, principal: Principal, permission: Permission) -> None:
        if not principal.can(permission):
            raise PermissionDeniedError(
                f"この操作を行う権限がありません（現在のロール: {principal.role}）。"
                "必要な場合は所属長を通じて管理者に申請してください。"
            )

    # -- quotas -----------------------------------------------------------------------
    def admit(self, principal: Principal) -> None:
        """Counts a request that uses the assistant against the principal's quotas. The
        local user of `none` mode is the operator on their own machine: not metered."""
        if principal.method is not AuthMethod.NONE:
            self.quota.admit(principal)

    def attach(self, assistant: Pipeline) -> None:
        """Makes the assistant report the tokens of every finished request (once)."""
        if id(assistant) in self._attached:
            return
        with self._attach_lock:
            if id(assistant) not in self._attached:
                assistant.on_finish.append(self._record_tokens)
                self._attached.add(id(assistant))

    def _record_tokens(self, entry: AuditEntry) -> None:
        tokens = entry.tokens_in + entry.tokens_out
        if tokens and not (self.mode is AuthMode.NONE and entry.user == LOCAL_USER):
            self.quota.record_tokens(entry.user, entry.department, tokens)

    def close(self) -> None:
        self.engine.dispose()


def _is_local(host: str | None) -> bool:
    # Not an IP address (an in-process test client, a Unix socket): local by nature.
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return True
