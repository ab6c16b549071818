"""`POST /v1/tasks/{draft|summarize|translate|proofread|faq}` and the summarize upload."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.concurrency import run_in_threadpool

from ...prompting import Length, SummaryFormat
from ...tasks import SummarizeOptions
from ..deps import CurrentUser, TasksDep
from ..errors import ERROR_RESPONSES, UPLOAD_RESPONSES, raise_for_answer
from ..schemas import (
    DraftRequest,
    FaqRequest,
    ProofreadRequest,
    SummarizeRequest,
    TaskResponse,
    TranslateRequest,
)
from ..uploads import UploadRoute, read_capped

router = APIRouter(prefix="/v1/tasks", tags=["tasks"], responses=ERROR_RESPONSES)


@router.post("/draft", summary="文書の下書き（挨拶文・お知らせ・通知文・メール）")
def draft(body: DraftRequest, user: CurrentUser, tasks: TasksDep) -> TaskResponse:
    """The draft ends with the AI label (YAKUBA_AI_LABEL) and the staff-check notice."""
    answer = tasks.draft(body, user.model_copy(update={"purpose": body.purpose}))
    raise_for_answer(answer)
    return TaskResponse.of(answer)


@router.post("/summarize", summary="要約（テキスト）")
def summarize(body: SummarizeRequest, user: CurrentUser, tasks: TasksDep) -> TaskResponse:
    answer = tasks.summarize(body, user.model_copy(update={"purpose": body.purpose}))
    raise_for_answer(answer)
    return TaskResponse.of(answer)


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
) -> TaskResponse:
    """A text, PDF or DOCX file (multipart field `file`), at most YAKUBA_MAX_UPLOAD_BYTES.
    Its type is decided by its content, never its name; its text is guarded like any
    prompt before the model sees it."""
    data = await read_capped(file, tasks.max_upload_bytes)
    options = SummarizeOptions(length=length, format=summary_format)
    ctx = user.model_copy(update={"purpose": purpose})
    answer = await run_in_threadpool(
        partial(tasks.summarize_document, size=file.size), data, options, ctx
    )
    raise_for_answer(answer)
    return TaskResponse.of(answer)


router.include_router(_uploads)


@router.post("/translate", summary="翻訳・やさしい日本語への書き換え")
def translate(body: TranslateRequest, user: CurrentUser, tasks: TasksDep) -> TaskResponse:
    answer = tasks.translate(body, user.model_copy(update={"purpose": body.purpose}))
    raise_for_answer(answer)
    return TaskResponse.of(answer)


@router.post("/proofread", summary="公用文の校正（指摘と修正案）")
def proofread(body: ProofreadRequest, user: CurrentUser, tasks: TasksDep) -> TaskResponse:
    answer = tasks.proofread(body, user.model_copy(update={"purpose": body.purpose}))
    raise_for_answer(answer)
    return TaskResponse.of(answer)


@router.post("/faq", summary="FAQ回答案（資料に基づき出典付き）")
def faq(body: FaqRequest, user: CurrentUser, tasks: TasksDep) -> TaskResponse:
    """Works without a model too: the extractive mode quotes the sources."""
    answer = tasks.faq(body, user.model_copy(update={"purpose": body.purpose}))
    raise_for_answer(answer)
    return TaskResponse.of(answer)
