"""`/v1/admin/apikeys`: API keys for bots and batch jobs (admins only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from ...audit import Channel
from ...auth import ApiKeyInfo, Permission, Role
from ..access import AccessDep, require
from ..errors import http_error

router = APIRouter(
    prefix="/v1/admin/apikeys", tags=["admin"], dependencies=[require(Permission.API_KEYS)]
)


class ApiKeyCreate(BaseModel):
    user: str = Field(min_length=1, max_length=256, description="the bot's user id (audit log)")
    role: Role = Role.STAFF
    department: str = Field(default="", max_length=256)
    channel: Channel = Field(default=Channel.API, description="recorded in the audit log")
    expires_days: int | None = Field(default=None, ge=1, le=3650)
    note: str = Field(default="", max_length=256)


class ApiKeyCreated(BaseModel):
    key: str = Field(description="shown only now: store it in the bot's secret store")
    info: ApiKeyInfo


@router.get("", summary="API キーの一覧（秘密部分は表示しません）")
def list_keys(access: AccessDep) -> list[ApiKeyInfo]:
    return access.api_keys.list()


@router.post("", status_code=201, summary="API キーの発行（キーは一度だけ表示）")
def create_key(body: ApiKeyCreate, access: AccessDep) -> ApiKeyCreated:
    created = access.api_keys.create(
        user=body.user,
        role=body.role,
        department=body.department,
        channel=body.channel,
        expires_days=body.expires_days,
        note=body.note,
    )
    return ApiKeyCreated(key=created.key, info=created.info)


@router.delete("/{key_id}", status_code=204, summary="API キーの失効")
def revoke_key(
    key_id: Annotated[
        str, Path(pattern=r"^[0-9a-f]{16}$", description="the key's public id (16 hex digits)")
    ],
    access: AccessDep,
) -> None:
    if not access.api_keys.revoke(key_id):
        raise http_error("not_found", f"有効な API キー {key_id} はありません。")
