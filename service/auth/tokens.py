"""OIDC/JWT bearer tokens: signature (JWKS), issuer, audience and time checks, then the
configured claims become a principal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import jwt

from .directory import UserDirectory
from .errors import AuthenticationError, SignInFailure
from .jwks import ALLOWED_ALGORITHMS, KeySet
from .principal import AuthMethod, Principal, vouched_for
from .roles import Role, RoleMap

__all__ = ["ClaimNames", "JwtVerifier", "split_names"]

_INVALID = "認証トークンが無効です。再度ログインしてください。"
_EXPIRED = "認証トークンの有効期限が切れています。再度ログインしてください。"


def split_names(spec: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in spec.split(",") if n.strip())


class ClaimNames:
    """Where the user, department and roles are in the token. Each is a list of claim
    names tried in order; a dotted name reaches into objects (`realm_access.roles`)."""

    def __init__(self, *, user: str, department: str, roles: str) -> None:
        self.user = split_names(user)
        self.department = split_names(department)
        self.roles = split_names(roles)


class JwtVerifier:
    def __init__(
        self,
        *,
        keys: KeySet,
        issuer: str,
        audience: str,
        claims: ClaimNames,
        role_map: RoleMap,
        directory: UserDirectory | None = None,
        default_role: Role = Role.STAFF,
        leeway_s: float = 60,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.claims = claims
        self.role_map = role_map
        self.directory = directory
        self.default_role = default_role
        self.leeway_s = leeway_s

    def verify(self, token: str) -> Principal:
        try:
            return self._verify(token)
        except AuthenticationError as exc:
            if exc.failure is None:
                # Whatever the token claims is unverified: recorded as claimed only.
                exc.failure = SignInFailure(
                    "auth_token_invalid", claimed_user=self._claimed_user(token)
                )
            raise

    def _verify(self, token: str) -> Principal:
        payload = self.decode(token)
        user = _first_text(payload, self.claims.user)
        if not user:
            raise AuthenticationError(
                "認証トークンに利用者 ID がありません。",
                failure=SignInFailure("auth_token_no_user"),
            )
        department = _first_text(payload, self.claims.department)
        roles = self.role_map.roles(_all_texts(payload, self.claims.roles))
        return vouched_for(
            user,
            department,
            roles,
            method=AuthMethod.JWT,
            default_role=self.default_role,
            directory=self.directory,
        )

    def decode(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationError(_INVALID) from None
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
            raise AuthenticationError(
                "認証トークンの署名方式（alg）は RS256 か ES256 にしてください。"
            )
        kid = header.get("kid")
        key = self.keys.key_for(kid if isinstance(kid, str) else None, alg)
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_s,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationError(
                _EXPIRED, code="token_expired", failure=self._expired(token, key.key, alg)
            ) from None
        except jwt.PyJWTError:
            raise AuthenticationError(_INVALID) from None
        return payload

    def _expired(self, token: str, key: Any, alg: str) -> SignInFailure:
        """PyJWT checks the signature before `exp`: an expired token is genuine, so the
        record may name its user (issuer and audience are checked again here)."""
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                options={"verify_exp": False},
            )
        except jwt.PyJWTError:
            return SignInFailure("auth_token_expired")
        return SignInFailure(
            "auth_token_expired",
            user=_first_text(payload, self.claims.user)[:256],
            department=_first_text(payload, self.claims.department)[:256],
        )

    def _claimed_user(self, token: str) -> str:
        try:
            payload = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            return ""
        return _first_text(payload, self.claims.user) if isinstance(payload, dict) else ""


def _lookup(payload: dict[str, Any], name: str) -> Any:
    value: Any = payload
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))


def _first_text(payload: dict[str, Any], names: Sequence[str]) -> str:
    for name in names:
        for text in _texts(_lookup(payload, name)):
            if text.strip():
                return text.strip()
    return ""


def _all_texts(payload: dict[str, Any], names: Sequence[str]) -> list[str]:
    return [t for name in names for t in _texts(_lookup(payload, name))]
