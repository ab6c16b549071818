"""`POST /v1/tasks/{draft|summarize|translate|proofread|faq}` and the summarize upload."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from ...pipeline.placeholders import DocumentPreview, PlaceholderRequest, RequestPreview
from ...pipeline.prompting import Length, SummaryFormat
from ...pipeline.task_specs import TASKS, SummarizeOptions, TaskSpec
from ..deps import CurrentUser, TasksDep
from ..errors import ERROR_RESPONSES, UPLOAD_RESPONSES, raise_for_answer
from ..schemas import (
    TASK_REQUESTS,
    THREAD_ID_PATTERN,
    PlaceholderFields,
    PurposeField,
    TaskResponse,
)
from ..uploads import UploadRoute, read_capped

router = APIRouter(prefix="/v1/tasks", tags=["tasks"], responses=ERROR_RESPONSES)


def _task_route(spec: TaskSpec) -> None:
    """`POST /v1/tasks/<name>` for a declared task (task_specs.TASKS)."""

    def run(body: BaseModel, user: CurrentUser, tasks: TasksDep) -> TaskResponse:
        # The request model is the task's input model with the purpose and the
        # placeholder options added (schemas.PlaceholderFields).
        assert isinstance(body, PlaceholderFields) and isinstance(body, PurposeField)
        ctx = user.model_copy(update={"purpose": body.purpose})
        asked = PlaceholderRequest(thread=body.thread_id) if body.placeholders else None
        answer = tasks.run(spec.name, body, ctx, placeholders=asked)
        raise_for_answer(answer)
        return TaskResponse.of(answer)

    def preview(body: BaseModel, user: CurrentUser, tasks: TasksDep) -> RequestPreview:
        assert isinstance(body, PlaceholderFields) and isinstance(body, PurposeField)
        ctx = user.model_copy(update={"purpose": body.purpose})
        return tasks.preview(spec.name, body, ctx, thread=body.thread_id)

    # FastAPI reads the body's model from the signature: the declared request model.
    for route in (run, preview):
        route.__annotations__ = {**route.__annotations__, "body": TASK_REQUESTS[spec.name]}
    run.__name__ = spec.name
    run.__doc__ = spec.description or None
    router.post(f"/{spec.name}", summary=spec.summary)(run)
    preview.__name__ = f"{spec.name}_preview"
    preview.__doc__ = (
        "What the request would send with `placeholders: true`, without calling the model: "
        "each field's spans (offsets into the text typed), the placeholder or label each "
        "becomes, what would block, and the text to be sent. Nothing is stored."
    )
    router.post(f"/{spec.name}/preview", summary=f"{spec.summary}：仮名化のプレビュー")(preview)


# The upload has a route class of its own: its errors (not multipart, unparsable form,
# invalid fields) must keep the API's error body.
_uploads = APIRouter(route_class=UploadRoute)


@_uploads.post(
    "/summarize/file",
    summary="要約（ファイルのアップロード）",
    responses=UPLOAD_RESPONSES,
)
async def summarize_file(
    user: CurrentUser,
    tasks: TasksDep,
    file: Annotated[
        UploadFile, File(description="テキスト・PDF・Word（.docx）。形式は内容で判定します")
    ],
    length: Annotated[Length, Form(description="分量の目安")] = "標準",
    summary_format: Annotated[
        SummaryFormat, Form(alias="format", description="箇条書きか文章か")
    ] = "箇条書き",
    purpose: Annotated[
        str, Form(max_length=500, pattern=r"^[^\x00]*$", description="業務内容（任意）")
    ] = "",
    placeholders: Annotated[
        bool,
        Form(description="住民の氏名・住所・電話番号などを〈氏名1〉…に置き換えて送り、回答で戻す"),
    ] = False,
    thread_id: Annotated[
        str | None,
        Form(pattern=THREAD_ID_PATTERN, description="仮名の対応をスレッド内で共有する（任意）"),
    ] = None,
) -> TaskResponse:
    """A text, PDF or DOCX file (multipart field `file`), at most YAKUBA_MAX_UPLOAD_BYTES.
    Its type is decided by its content, never its name; its text is guarded like any
    prompt before the model sees it. `placeholders` as on `POST /v1/tasks/summarize`."""
    data = await read_capped(file, tasks.max_upload_bytes)
    options = SummarizeOptions(length=length, format=summary_format)
    ctx = user.model_copy(update={"purpose": purpose})
    asked = PlaceholderRequest(thread=thread_id) if placeholders else None
    answer = await run_in_threadpool(
        partial(tasks.summarize_document, size=file.size, placeholders=asked), data, options, ctx
    )
    raise_for_answer(answer)
    return TaskResponse.of(answer)


@_uploads.post(
    "/summarize/file/preview",
    summary="要約（ファイルのアップロード）：仮名化のプレビュー",
    responses=UPLOAD_RESPONSES,
)
async def summarize_file_preview(
    user: CurrentUser,
    tasks: TasksDep,
    file: Annotated[
        UploadFile, File(description="テキスト・PDF・Word（.docx）。形式は内容で判定します")
    ],
    purpose: Annotated[
        str, Form(max_length=500, pattern=r"^[^\x00]*$", description="業務内容（任意）")
    ] = "",
    thread_id: Annotated[
        str | None,
        Form(pattern=THREAD_ID_PATTERN, description="仮名の対応をスレッド内で共有する（任意）"),
    ] = None,
) -> DocumentPreview:
    """What `POST /v1/tasks/summarize/file` with `placeholders=true` would send, without
    calling the model: the file's text read on the server with the same loaders and limits
    (`document`), each span found in it (offsets into `document`), the placeholder or label
    each becomes and what would block. Nothing is stored or audited; the text goes back
    only to the caller who uploaded it. Other form fields (`length`, `format`) are
    accepted and ignored, so the page can send the same form twice."""
    data = await read_capped(file, tasks.max_upload_bytes)
    ctx = user.model_copy(update={"purpose": purpose})
    return await run_in_threadpool(
        partial(tasks.preview_document, size=file.size, thread=thread_id), data, ctx
    )


router.include_router(_uploads)


# Declared order, with the file upload after the text summary as before.
for _spec in TASKS:
    _task_route(_spec)
