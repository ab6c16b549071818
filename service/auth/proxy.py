"""Trusted reverse-proxy mode: an SSO proxy in front of Yakuba authenticates staff and
passes who they are in headers.

Those headers are believed only from the proxy's own addresses (the TCP peer, never an
X-Forwarded-For someone could write) and, when a shared secret is configured, only with
that secret — so a request that bypasses the proxy cannot claim to be anyone.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from urllib.parse import unquote

from .directory import UserDirectory
from .errors import AuthConfigurationError, AuthenticationError, SignInFailure
from .principal import AuthMethod, Principal, vouched_for
from .roles import Role, RoleMap

__all__ = ["HeaderNames", "ProxyAuthenticator", "parse_networks"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(spec: str) -> tuple[Network, ...]:
    networks: list[Network] = []
    for raw in spec.replace("、", ",").split(","):
        item = raw.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise AuthConfigurationError(
                f"YAKUBA_AUTH_TRUSTED_PROXIES の「{item}」は IP アドレスか CIDR ではありません。"
            ) from None
    return tuple(networks)


class HeaderNames:
    def __init__(self, *, user: str, department: str, role: str, secret: str) -> None:
        self.user = user.lower()
        self.department = department.lower()
        self.role = role.lower()
        self.secret = secret.lower()


class ProxyAuthenticator:
    def __init__(
        self,
        *,
        trusted: tuple[Network, ...],
        headers: HeaderNames,
        secret: str | None,
        role_map: RoleMap,
        directory: UserDirectory | None = None,
        default_role: Role = Role.STAFF,
    ) -> None:
        if not trusted:
            raise AuthConfigurationError(
                "YAKUBA_AUTH_MODE=header には YAKUBA_AUTH_TRUSTED_PROXIES（プロキシの IP/CIDR）が必要です。"
            )
        self.trusted = trusted
        self.headers = headers
        self._secret = secret.encode() if secret else None
        self.role_map = role_map
        self.directory = directory
        self.default_role = default_role

    def is_trusted(self, client_host: str | None) -> bool:
        try:
            address = ipaddress.ip_address(client_host or "")
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    def authenticate(self, client_host: str | None, headers: Mapping[str, str]) -> Principal:
        """`headers` with lower-case names."""
        claimed = _decoded(headers.get(self.headers.user, ""))
        if not self.is_trusted(client_host):
            # Identity headers from elsewhere are an attempt to pass as someone (audited);
            # a request without any is just not signed in.
            names = (self.headers.user, self.headers.secret, self.headers.role)
            attempt = any(name in headers for name in names)
            raise AuthenticationError(
                "認証プロキシを経由していない接続です。組織のポータルからアクセスしてください。",
                failure=SignInFailure("auth_untrusted_proxy", claimed_user=claimed)
                if attempt
                else None,
            )
        if self._secret is not None:
            presented = headers.get(self.headers.secret, "").encode()
            if not hmac.compare_digest(presented, self._secret):
                raise AuthenticationError(
                    "認証プロキシの確認に失敗しました。管理者に連絡してください。",
                    failure=SignInFailure("auth_proxy_secret", claimed_user=claimed),
                )
        user = claimed
        if not user:
            raise AuthenticationError(
                "利用者を確認できません。組織のポータルからログインしてください。",
                failure=SignInFailure("auth_proxy_no_user"),
            )
        department = _decoded(headers.get(self.headers.department, ""))
        roles = self.role_map.roles(_decoded(headers.get(self.headers.role, "")).split(","))
        return vouched_for(
            user,
            department,
            roles,
            method=AuthMethod.HEADER,
            default_role=self.default_role,
            directory=self.directory,
        )


def _decoded(value: str) -> str:
    # Header values arrive decoded as Latin-1. A proxy sends a Japanese department name
    # either as raw UTF-8 bytes (re-decoded here) or percent-encoded UTF-8 (unquoted).
    try:
        value = value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return unquote(value).strip()
