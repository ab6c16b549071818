"""`/v1/admin/register`: the public register — what the guard treats as public because
the city published it — listed with its provenance, and revoked or restored by an
administrator.

A revocation takes effect in this process before the response is sent (the guard's
register is reloaded, its `config_version` changes); other processes follow within
`YAKUBA_REGISTER_REFRESH_S`. Responses carry `Cache-Control: no-store` like the rest of
the console's reads.
"""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import Field, ValidationError

from ...auth import Permission, Principal
from ...register import (
    KIND_LABELS,
    EntryStatus,
    RegisterChange,
    RegisterPage,
    RegisterQuery,
    RegisterStore,
)
from ..access import require
from ..deps import RuntimeDep
from ..schemas import MAX_ID, ErrorResponse
from .admin_audit import invalid_query

__all__ = ["RegisterListing", "router"]

log = structlog.get_logger(__name__)


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"


router = APIRouter(
    prefix="/v1/admin/register",
    tags=["admin"],
    dependencies=[Depends(_no_store)],
    responses={
        401: {"model": ErrorResponse, "description": "ログインが必要"},
        403: {"model": ErrorResponse, "description": "権限がない"},
        422: {"model": ErrorResponse, "description": "条件の誤り（invalid_input）"},
    },
)


class RegisterListing(RegisterPage):
    kind_labels: dict[str, str] = Field(description="kind → Japanese label")


def register_query(
    kind: Annotated[str | None, Query(max_length=32, description="種類（ADDRESS など）")] = None,
    source: Annotated[
        str | None, Query(min_length=1, max_length=256, description="文書名の一部")
    ] = None,
    text: Annotated[str | None, Query(min_length=1, max_length=200, description="値の一部")] = None,
    status: Annotated[EntryStatus, Query(description="active / revoked / all")] = EntryStatus.ALL,
) -> RegisterQuery:
    try:
        return RegisterQuery(kind=kind, source=source, text=text, status=status)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = str(error.get("ctx", {}).get("error") or error["msg"])
        raise invalid_query("kind", message) from None


async def get_register_store(runtime: RuntimeDep) -> RegisterStore:  # a lookup
    return runtime.register_store


StoreDep = Annotated[RegisterStore, Depends(get_register_store)]
QueryDep = Annotated[RegisterQuery, Depends(register_query)]
EntryId = Annotated[int, Path(ge=1, le=MAX_ID, description="項目の番号")]


@router.get(
    "",
    summary="公開情報登録簿の一覧（種類・文書・値で絞り込み、ページ単位）",
    dependencies=[require(Permission.REGISTER_READ)],
)
def list_entries(
    store: StoreDep,
    query: QueryDep,
    limit: Annotated[int, Query(ge=1, le=500, description="1 ページの件数")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="先頭から飛ばす件数")] = 0,
) -> RegisterListing:
    page = store.search(query, limit=limit, offset=offset)
    return RegisterListing(**page.model_dump(), kind_labels=KIND_LABELS)


@router.post(
    "/{entry_id}/revoke",
    summary="値の取り消し（どの文書にあっても公開情報として扱わない。再取り込み後も有効）",
    responses={404: {"model": ErrorResponse, "description": "項目がない"}},
)
def revoke(
    store: StoreDep,
    runtime: RuntimeDep,
    entry_id: EntryId,
    principal: Annotated[Principal, require(Permission.REGISTER_MANAGE)],
) -> RegisterChange:
    change = store.revoke(entry_id, by=principal.user)
    runtime.register_sync.refresh()
    # The value itself stays out of the log: a wrongly registered one may be a resident's.
    log.info("register_revoked", entry=entry_id, kind=change.kind, user=principal.user)
    return change


@router.post(
    "/{entry_id}/restore",
    summary="取り消しの撤回（値を再び公開情報として扱う）",
    responses={404: {"model": ErrorResponse, "description": "項目がない"}},
)
def restore(
    store: StoreDep,
    runtime: RuntimeDep,
    entry_id: EntryId,
    principal: Annotated[Principal, require(Permission.REGISTER_MANAGE)],
) -> RegisterChange:
    change = store.restore(entry_id, by=principal.user)
    runtime.register_sync.refresh()
    log.info("register_restored", entry=entry_id, kind=change.kind, user=principal.user)
    return change
