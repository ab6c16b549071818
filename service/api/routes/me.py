"""`GET /v1/me`: who the caller is, what their role allows, and their quota status."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ...auth import AuthMethod, QuotaStatus
from ..access import AccessDep, PrincipalDep

router = APIRouter(prefix="/v1", tags=["auth"])


class Me(BaseModel):
    user: str
    department: str
    role: str = Field(description="the most powerful of `roles`; recorded in the audit log")
    roles: list[str]
    method: AuthMethod
    channel: str
    permissions: list[str]
    quota: QuotaStatus | None = Field(
        default=None, description="null for the local user of YAKUBA_AUTH_MODE=none (unmetered)"
    )


@router.get("/me", summary="ログイン中の利用者・ロール・利用上限の状況")
def me(principal: PrincipalDep, access: AccessDep) -> Me:
    return Me(
        user=principal.user,
        department=principal.department,
        role=principal.role,
        roles=sorted(principal.roles),
        method=principal.method,
        channel=principal.channel,
        permissions=principal.scopes,
        quota=None if principal.method is AuthMethod.NONE else access.quota.status(principal),
    )
