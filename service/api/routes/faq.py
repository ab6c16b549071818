"""`/v1/faq/*`: bulk FAQ jobs for FAQ teams (permission `faq:bulk`), and their page `/faq/`.

Submitting stores the job; the service's worker (service.faq.JobWorker, started with the
app) runs it, and also takes jobs handed over by `yakuba faq generate` and jobs whose
runner died. The page is static like the console: its data comes from these routes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import (
    APIRouter,
    Depends,
    FastAPI,
    File,
    Form,
    Query,
    Request,
    UploadFile,
)
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from ...auth import Permission
from ...channels.web import SECURITY_HEADERS
from ...faq import (
    FaqInputError,
    FaqJobs,
    Group,
    JobView,
    JobWorker,
    Preview,
    Review,
    RowView,
    open_faq_jobs,
)
from ..access import require
from ..background import run_alongside
from ..deps import CurrentUser
from ..errors import error_content, status_for
from ..uploads import UploadRoute, read_capped

PAGE = "/faq/"
_EXPORT_CHUNK = 64 * 1024
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

router = APIRouter(prefix="/v1/faq", tags=["faq"])
uploads = APIRouter(prefix="/v1/faq", tags=["faq"], route_class=UploadRoute)
page = APIRouter(include_in_schema=False)


async def get_jobs(request: Request) -> FaqJobs:
    jobs: FaqJobs = request.app.state.faq_jobs
    return jobs


JobsDep = Annotated[FaqJobs, Depends(get_jobs)]


def _owner(user: Any) -> str | None:
    # An administrator sees every team's jobs; an FAQ editor their own.
    return None if user.role == "admin" else user.user


async def _faq_input_error(request: Request, exc: Exception) -> JSONResponse:
    """The app's shared error body, plus every problem found in the question file (line,
    column, message); every other error of the jobs reaches the app's YakubaError handler."""
    assert isinstance(exc, FaqInputError)
    problems = [p.model_dump() for p in exc.problems]
    return JSONResponse(
        status_code=status_for(exc.code),
        content=error_content(
            exc.code, str(exc), path=request.url.path, extra={"problems": problems}
        ),
    )


async def _file(jobs: FaqJobs, file: UploadFile) -> bytes:
    return await read_capped(file, jobs.limits.max_bytes)


@uploads.post("/preview", summary="質問ファイルの検査とプレビュー（生成はしない）")
async def preview(
    jobs: JobsDep, file: Annotated[UploadFile, File(description="質問の CSV / XLSX")]
) -> Preview:
    data = await _file(jobs, file)
    return await run_in_threadpool(jobs.preview, data, file.filename or "questions.csv")


@uploads.post("/jobs", status_code=201, summary="ジョブの登録（サービスが順に実行）")
async def submit(
    request: Request,
    jobs: JobsDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="質問の CSV / XLSX")],
    purpose: Annotated[str, Form(max_length=500, description="利用目的（任意）")] = "",
    concurrency: Annotated[int | None, Form(ge=1, le=64, description="同時に生成する行数")] = None,
) -> JobView:
    data = await _file(jobs, file)
    job = await run_in_threadpool(
        lambda: jobs.submit(
            data,
            file.filename or "questions.csv",
            user,
            purpose=purpose,
            concurrency=concurrency,
        )
    )
    request.app.state.faq_worker.wake()
    return jobs.view(job.id)


@router.get("/jobs", summary="ジョブの一覧")
def list_jobs(jobs: JobsDep, user: CurrentUser) -> list[JobView]:
    return jobs.jobs(owner=_owner(user))


@router.get("/jobs/{job_id}", summary="ジョブの状態")
def job_status(job_id: str, jobs: JobsDep, user: CurrentUser) -> JobView:
    return jobs.view(job_id, owner=_owner(user))


@router.post("/jobs/{job_id}/cancel", summary="ジョブの中止")
def cancel(job_id: str, jobs: JobsDep, user: CurrentUser) -> JobView:
    return jobs.cancel(job_id, owner=_owner(user))


@router.get("/jobs/{job_id}/rows", summary="行（結果）の一覧")
def rows(
    job_id: str,
    jobs: JobsDep,
    user: CurrentUser,
    status: Annotated[list[str] | None, Query()] = None,
    review: Annotated[list[str] | None, Query()] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[RowView]:
    return jobs.rows(
        job_id,
        owner=_owner(user),
        status=status or [],
        review=review or [],
        offset=offset,
        limit=limit,
    )


class RowUpdate(BaseModel):
    answer: str | None = Field(default=None, max_length=20_000, description="編集した回答")
    review: Review | None = Field(default=None, description="approved / rejected / pending")


@router.patch("/jobs/{job_id}/rows/{line}", summary="行の編集・承認・却下")
def update_row(
    job_id: str, line: int, body: RowUpdate, jobs: JobsDep, user: CurrentUser
) -> RowView:
    return jobs.review(
        job_id,
        line,
        reviewer=user.user,
        owner=_owner(user),
        answer=body.answer,
        decision=body.review,
    )


@router.post("/jobs/{job_id}/rows/{line}/regenerate", summary="1行だけ再生成")
def regenerate(job_id: str, line: int, jobs: JobsDep, user: CurrentUser) -> RowView:
    return jobs.regenerate(job_id, line, owner=_owner(user))


@router.get("/jobs/{job_id}/groups", summary="似た質問のグループ")
def groups(job_id: str, jobs: JobsDep, user: CurrentUser) -> list[Group]:
    return jobs.groups(job_id, owner=_owner(user))


class ShareRequest(BaseModel):
    source: int = Field(description="回答を使う行")
    lines: list[int] = Field(max_length=1000, description="同じ回答にする行")


@router.post("/jobs/{job_id}/share", summary="1つの回答を似た質問の行に使う")
def share(job_id: str, body: ShareRequest, jobs: JobsDep, user: CurrentUser) -> list[RowView]:
    return jobs.share_answer(
        job_id, body.source, body.lines, reviewer=user.user, owner=_owner(user)
    )


@router.get("/jobs/{job_id}/export", summary="結果の書き出し（CSV は UTF-8 BOM 付き）")
def export(
    job_id: str,
    jobs: JobsDep,
    user: CurrentUser,
    format: Literal["csv", "xlsx"] = "csv",  # noqa: A002 - the query parameter's name
    approved_only: bool = False,
) -> StreamingResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        jobs.export(job_id, spool, format, approved_only=approved_only, owner=_owner(user))
    except BaseException:
        spool.close()  # the error itself is answered by the app's YakubaError handler
        raise
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(_EXPORT_CHUNK):
                yield chunk

    suffix = "approved" if approved_only else "all"
    name = f"faq-{job_id[:8]}-{suffix}.{format}"
    return StreamingResponse(
        chunks(),
        media_type=_MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@cache
def _page() -> str:
    return resources.files("service").joinpath("static", "faq.html").read_text("utf-8")


@page.get(PAGE)
def faq_page() -> HTMLResponse:
    return HTMLResponse(_page(), headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})


def mount(app: FastAPI) -> None:
    """The routes, the page, and the worker that runs jobs while the app serves."""
    runtime = app.state.runtime
    jobs = open_faq_jobs(runtime)
    worker = JobWorker(jobs.store, jobs.runner)
    app.state.faq_jobs = jobs
    app.state.faq_worker = worker
    guarded = [require(Permission.FAQ_BULK)]
    app.include_router(router, dependencies=guarded)
    app.include_router(uploads, dependencies=guarded)
    app.include_router(page)
    app.add_exception_handler(FaqInputError, _faq_input_error)

    def stop() -> None:
        worker.stop()
        jobs.store.close()

    run_alongside(app, worker.start, stop)
