"""Who is calling: the authenticated principal and the request context built from it."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from ..pipeline.contracts import RequestContext
from .roles import Permission, Role, permissions_for, primary_role

if TYPE_CHECKING:
    from .directory import UserDirectory

__all__ = ["AuthMethod", "Principal", "vouched_for"]


class AuthMethod(StrEnum):
    NONE = "none"  # YAKUBA_AUTH_MODE=none: the one local user
    JWT = "jwt"
    HEADER = "header"  # trusted reverse proxy
    API_KEY = "api_key"
    BOT = "bot"  # a chat-tool bot maps its platform's user (service.channels)


class Principal(BaseModel):
    """An authenticated caller. Immutable: built once per request by the authenticator."""

    model_config = ConfigDict(frozen=True)

    user: str = Field(min_length=1, max_length=256)
    department: str = Field(default="", max_length=256)
    roles: frozenset[Role] = frozenset({Role.STAFF})
    method: AuthMethod
    channel: str = Field(default="api", max_length=32)
    key_id: str = Field(default="", description="the API key used, if any (never the secret)")

    @property
    def role(self) -> Role:
        return primary_role(self.roles)

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_for(self.roles)

    @property
    def scopes(self) -> list[str]:
        return sorted(p.value for p in self.permissions)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def context(self) -> RequestContext:
        return RequestContext(
            user=self.user, department=self.department, role=self.role, channel=self.channel
        )


def vouched_for(
    user: str,
    department: str,
    roles: frozenset[Role],
    *,
    method: AuthMethod,
    default_role: Role,
    directory: UserDirectory | None,
) -> Principal:
    """The principal an identity provider (a token or the SSO proxy) vouches for; the
    directory fills in a department or roles the provider does not send."""
    entry = directory.lookup(user) if directory else None
    if entry is not None:
        department = department or entry.department
        roles = roles or entry.roles
    return Principal(
        user=user[:256],
        department=department[:256],
        roles=roles or frozenset({default_role}),
        method=method,
    )
