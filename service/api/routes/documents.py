"""`/v1/admin/documents`: knowledge-base updates while the service runs (permission
`documents:manage`, administrators).

An upload is checked here — size (YAKUBA_MAX_UPLOAD_BYTES), name, and type as the
loaders judge it — then queued; the service's knowledge-base worker (started with the
app) indexes it through the same loaders and personal-data screen as `yakuba ingest`,
one document at a time, while the index keeps answering searches. The job id is polled
for progress. A removal answers at once (404 `document_not_found` when there is no such
document). Every change and every failed attempt is an audit record (`kb_add`,
`kb_replace`, `kb_remove`); `yakuba ingest` / `yakuba remove` hand their work to the
same worker through the same job table.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, File, Form, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from ingest import DocType

from ...auth import Permission
from ...faq import JobWorker
from ...kb import (
    DocumentView,
    KbJobView,
    KbUpdates,
    open_kb_updates,
    source_name,
    staged_name,
    upload_name,
)
from ...pipeline.contracts import RequestContext
from ..access import require
from ..background import run_alongside
from ..deps import CurrentUser
from ..uploads import UploadRoute, read_capped

# A document at a time, picked up within a second of being queued by the CLI.
_POLL_S = 1.0

router = APIRouter(prefix="/v1/admin/documents", tags=["admin"])
uploads = APIRouter(prefix="/v1/admin/documents", tags=["admin"], route_class=UploadRoute)


async def get_updates(request: Request) -> KbUpdates:
    updates: KbUpdates = request.app.state.kb_updates
    return updates


UpdatesDep = Annotated[KbUpdates, Depends(get_updates)]


def _who(user: RequestContext) -> dict[str, str]:
    return {
        "user": user.user,
        "department": user.department,
        "role": user.role,
        "channel": user.channel,
    }


@router.get("", summary="索引にある文書の一覧")
def list_documents(updates: UpdatesDep) -> list[DocumentView]:
    return updates.documents()


@uploads.post(
    "",
    status_code=202,
    summary="文書の追加・差し替え（ジョブとして登録し、進み具合は jobs/{id} で確認）",
)
async def add_document(
    request: Request,
    updates: UpdatesDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="PDF、Word、Excel、テキスト、HTML、e-Gov法令XML")],
    source: Annotated[
        str,
        Form(
            max_length=1024,
            description="差し替える文書の名前（一覧の source）。省略時はファイル名",
        ),
    ] = "",
    department: Annotated[
        str, Form(max_length=256, description="担当課（検索で絞り込めます）")
    ] = "",
    doc_type: Annotated[DocType | None, Form(description="文書の種類（自動判定を上書き）")] = None,
) -> KbJobView:
    name = source_name(source) if source.strip() else upload_name(file.filename or "")
    data = await read_capped(file, updates.max_bytes)
    job = await run_in_threadpool(
        lambda: updates.submit_add(
            data,
            source=name,
            who=_who(user),
            department=department,
            doc_type=doc_type,
            checked_as=staged_name(name),
        )
    )
    request.app.state.kb_worker.wake()
    return job


class Removed(BaseModel):
    source: str
    message: str
    audit_id: int = Field(description="the removal's audit record")


@router.delete("", summary="文書の削除（索引から外します）")
def remove_document(
    updates: UpdatesDep,
    user: CurrentUser,
    source: Annotated[str, Query(max_length=1024, description="文書の名前（一覧の source）")],
) -> Removed:
    name = source_name(source)
    audit_id, message = updates.remove_now(name, who=_who(user))
    return Removed(source=name, message=message, audit_id=audit_id)


@router.get("/jobs", summary="取り込みジョブの一覧（新しい順）")
def list_jobs(
    updates: UpdatesDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[KbJobView]:
    return updates.jobs(limit=limit)


@router.get("/jobs/{job_id}", summary="取り込みジョブの状態")
def job_status(
    updates: UpdatesDep,
    job_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="ジョブID")],
) -> KbJobView:
    return updates.view(job_id)


def mount(app: FastAPI) -> None:
    """The routes and the worker that applies queued updates while the app serves."""
    updates = open_kb_updates(app.state.runtime)
    worker = JobWorker(updates.store, updates.updater, poll_s=_POLL_S, max_jobs=1, name="kb")
    app.state.kb_updates = updates
    app.state.kb_worker = worker
    guarded = [require(Permission.DOCUMENTS)]
    app.include_router(router, dependencies=guarded)
    app.include_router(uploads, dependencies=guarded)

    def stop() -> None:
        worker.stop()
        updates.store.close()

    run_alongside(app, worker.start, stop)
