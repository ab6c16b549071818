"""`/v1/admin/chat-users`: which chat account is which staff member, for the bots
(docs/bots.md). Administrators (the `apikeys:manage` permission that already governs the
bots' other credentials) list, add, change and remove mappings; every change is audited
(task `admin`, the administrator as its user).

These registrations win over the directory file (YAKUBA_BOT_DIRECTORY_FILE), which is not
shown or changed here. Errors reach the app's YakubaError handler (the API's error body:
404 `not_found`, 409 `chat_user_exists`); a malformed id or field is 422 `invalid_input`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from ...audit import Channel
from ...auth import Permission, Principal
from ...auth.chat_users import (
    CHAT_ID_PATTERN,
    BotPlatform,
    ChatUserKey,
    ChatUserMapping,
    StaffFields,
    not_found,
)
from ..access import require
from ..deps import RuntimeDep
from ..schemas import ErrorResponse

__all__ = ["ChatUserCreate", "router"]

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse, "description": "ログインが必要"},
    403: {"model": ErrorResponse, "description": "権限がない（apikeys:manage）"},
    404: {"model": ErrorResponse, "description": "登録がない（not_found）"},
    409: {"model": ErrorResponse, "description": "すでに登録済み（chat_user_exists）"},
    422: {"model": ErrorResponse, "description": "入力の誤り（invalid_input、日本語の説明）"},
}


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"


router = APIRouter(
    prefix="/v1/admin/chat-users",
    tags=["admin"],
    dependencies=[Depends(_no_store)],
    responses=_ERRORS,
)
AdminDep = Annotated[Principal, require(Permission.API_KEYS)]
PlatformParam = Annotated[BotPlatform, Path(description="slack / teams / lineworks / webhook")]
ChatUserParam = Annotated[
    str, Path(pattern=CHAT_ID_PATTERN, description="チャットツールの利用者 ID")
]
ITEM = "/{platform}/{chat_user:path}"


class ChatUserCreate(StaffFields, ChatUserKey):
    """A new mapping: the chat account and the staff member behind it."""


@router.get("", summary="チャット利用者の対応の一覧（管理 API で登録したもの）")
def list_chat_users(
    admin: AdminDep,
    runtime: RuntimeDep,
    platform: Annotated[BotPlatform | None, Query(description="経路で絞り込み")] = None,
) -> list[ChatUserMapping]:
    return runtime.chat_users.list(platform)


@router.get(ITEM, summary="チャット利用者の対応")
def get_chat_user(
    platform: PlatformParam, chat_user: ChatUserParam, admin: AdminDep, runtime: RuntimeDep
) -> ChatUserMapping:
    found = runtime.chat_users.get(platform, chat_user)
    if found is None:
        raise not_found(platform, chat_user)
    return found


@router.post("", status_code=201, summary="チャット利用者の対応を追加")
def add_chat_user(body: ChatUserCreate, admin: AdminDep, runtime: RuntimeDep) -> ChatUserMapping:
    staff = StaffFields(user=body.user, department=body.department, role=body.role)
    return runtime.chat_users.put(
        body.platform, body.chat_user, staff, by=admin.user, channel=Channel.API, expect="new"
    ).subject


@router.put(ITEM, summary="チャット利用者の対応を変更")
def update_chat_user(
    platform: PlatformParam,
    chat_user: ChatUserParam,
    body: StaffFields,
    admin: AdminDep,
    runtime: RuntimeDep,
) -> ChatUserMapping:
    return runtime.chat_users.put(
        platform, chat_user, body, by=admin.user, channel=Channel.API, expect="existing"
    ).subject


@router.delete(ITEM, status_code=204, summary="チャット利用者の対応を削除")
def remove_chat_user(
    platform: PlatformParam, chat_user: ChatUserParam, admin: AdminDep, runtime: RuntimeDep
) -> None:
    runtime.chat_users.remove(platform, chat_user, by=admin.user, channel=Channel.API)
