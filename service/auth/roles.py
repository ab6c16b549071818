"""Roles, the permissions each grants, and the mapping from IdP role/group names."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from .errors import AuthConfigurationError

__all__ = [
    "ROLE_PERMISSIONS",
    "Permission",
    "Role",
    "RoleMap",
    "parse_role",
    "permissions_for",
    "primary_role",
]


class Role(StrEnum):
    STAFF = "staff"
    FAQ_EDITOR = "faq_editor"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    ASK = "ask"  # /v1/ask
    TASKS = "tasks"  # /v1/tasks/*
    CHAT = "chat"  # /v1/chat/completions, /v1/models
    FEEDBACK = "feedback"
    HISTORY_OWN = "history:own"  # one's own requests
    FAQ_BULK = "faq:bulk"  # bulk FAQ drafting
    AUDIT_READ = "audit:read"  # everyone's audit records (read-only)
    AUDIT_EXPORT = "audit:export"
    USAGE_READ = "usage:read"  # quota status of every user and department
    REGISTER_READ = "register:read"  # the public register (what the guard lets through)
    REGISTER_MANAGE = "register:manage"  # revoke and restore its values
    API_KEYS = "apikeys:manage"
    DOCUMENTS = "documents:manage"  # add, replace and remove knowledge-base documents


_STAFF = frozenset(
    {Permission.ASK, Permission.TASKS, Permission.CHAT, Permission.FEEDBACK, Permission.HISTORY_OWN}
)

# The auditor reviews, it does not use the assistant: separation of duties, and an
# audit account that cannot generate cannot leak through the model either. A person who
# is both gets both roles (several roles/groups in the token).
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.STAFF: _STAFF,
    Role.FAQ_EDITOR: _STAFF | {Permission.FAQ_BULK},
    Role.AUDITOR: frozenset(
        {
            Permission.AUDIT_READ,
            Permission.AUDIT_EXPORT,
            Permission.USAGE_READ,
            Permission.REGISTER_READ,
            Permission.HISTORY_OWN,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}

_ROLE_NAMES = frozenset(r.value for r in Role)

# Which role a principal with several shows in the audit log: the most powerful.
_RANK = [Role.ADMIN, Role.AUDITOR, Role.FAQ_EDITOR, Role.STAFF]


def permissions_for(roles: Iterable[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def primary_role(roles: Iterable[Role]) -> Role:
    present = set(roles)
    return next((r for r in _RANK if r in present), Role.STAFF)


class RoleMap:
    """IdP role or group names → Yakuba roles.

    `YAKUBA_AUTH_ROLE_MAP` is `name:role` pairs separated by `,` (e.g.
    `yakuba-admins:admin,情報政策課監査:auditor`). A value that already is a role name
    (`staff`, `admin`, …) maps to itself; anything else is ignored, so an IdP's unrelated
    groups never grant anything.
    """

    def __init__(self, spec: str = "") -> None:
        self._map: dict[str, Role] = {}
        for raw in spec.replace("、", ",").split(","):
            item = raw.strip()
            if not item:
                continue
            name, sep, role = item.rpartition(":")
            if not sep or not name.strip():
                raise AuthConfigurationError(
                    f"YAKUBA_AUTH_ROLE_MAP の「{item}」は「名前:ロール」の形式にしてください。"
                )
            self._map[name.strip()] = parse_role(role.strip(), setting="YAKUBA_AUTH_ROLE_MAP")

    def roles(self, values: Iterable[str]) -> frozenset[Role]:
        found: set[Role] = set()
        for value in values:
            value = value.strip()
            if value in self._map:
                found.add(self._map[value])
            elif value in _ROLE_NAMES:
                found.add(Role(value))
        return frozenset(found)


def parse_role(value: str, *, setting: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        names = " / ".join(Role)
        raise AuthConfigurationError(
            f"{setting}: ロール「{value}」はありません（{names}）。"
        ) from None
