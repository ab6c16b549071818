"""`GET /v1/history`: the caller's own requests from the audit log.

The user condition comes from the authenticated principal and nothing else: there is no
`user` parameter to forge, and the paging cursor only positions within the filtered
records, so a cursor taken from someone else's page cannot widen the filter either.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from ...audit import AuditPage
from ...auth import Permission, Principal
from ..access import require
from .admin_audit import (
    AuditDep,
    ChannelParam,
    CursorParam,
    LimitParam,
    SinceParam,
    StatusParam,
    TaskParam,
    TextParam,
    UntilParam,
    build_filter,
    search_page,
)

router = APIRouter(prefix="/v1", tags=["history"])


def _no_store(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"


@router.get(
    "/history",
    summary="自分の利用履歴（新しい順、ページ単位）",
    dependencies=[Depends(_no_store)],
)
def history(
    store: AuditDep,
    principal: Annotated[Principal, require(Permission.HISTORY_OWN)],
    since: SinceParam = None,
    until: UntilParam = None,
    channel: ChannelParam = None,
    status: StatusParam = None,
    task: TaskParam = None,
    text: TextParam = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> AuditPage:
    flt = build_filter(
        since=since,
        until=until,
        department=None,
        user=principal.user,  # the caller's own records, whatever else was asked
        channel=channel,
        status=status,
        task=task,
        text=text,
    )
    return search_page(store, flt, limit, cursor)
