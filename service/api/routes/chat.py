"""OpenAI-compatible chat completions: guarded chat (`yakuba`) and RAG (`yakuba-rag`)."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Annotated, Any
from urllib.parse import unquote

import anyio
from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError

from ...assistant import Answer, ChatAssistant, PreparedChat, RequestContext
from ...offload import run_sized
from ..deps import AssistantDep, ChatAssistantDep, CurrentUser, SettingsDep
from ..errors import error_response
from ..openai_schemas import (
    MODEL_CHAT,
    MODEL_RAG,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    ModelCard,
    ModelList,
    ResponseMessage,
    Usage,
    chunk,
)
from ..validation import unreadable

router = APIRouter(prefix="/v1", tags=["openai"])


@router.get("/models")
def list_models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_CHAT), ModelCard(id=MODEL_RAG)])


_PATH = "/v1/chat/completions"  # this route, for the error body of its API


def openai_error(code: str, message: str) -> JSONResponse:
    """OpenAI's error body, with the status of `code` in service.api.errors' one table."""
    return error_response(code, message, path=_PATH)


def render_answer(answer: Answer) -> str:
    if not answer.citations:
        return answer.text
    refs = "\n".join(f"[{c.number}] {c.label} — {c.source}" for c in answer.citations)
    return f"{answer.text}\n\n出典:\n{refs}"


def completion_from(answer: Answer, model: str, usage: Usage | None = None) -> ChatCompletion:
    finish = "content_filter" if answer.status == "blocked" else "stop"
    return ChatCompletion(
        id=f"chatcmpl-{answer.request_id}",
        model=model,
        choices=[
            Choice(message=ResponseMessage(content=render_answer(answer)), finish_reason=finish)
        ],
        usage=usage or Usage(),
        yakuba={
            "status": answer.status,
            "mode": answer.mode,
            "guard_action": answer.guard_action,
            "findings": answer.findings,
            "citations": [c.model_dump(mode="json") for c in answer.citations],
            "audit_id": answer.audit_id,
        },
    )


def _sse(obj: dict[str, Any] | str) -> str:
    data = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    return f"data: {data}\n\n"


async def _stream_pieces(
    completion_id: str, model: str, pieces: AsyncGenerator[str, None], finish: str
) -> AsyncGenerator[str, None]:
    try:
        yield _sse(chunk(completion_id, model, {"role": "assistant", "content": ""}, None))
        async for piece in pieces:
            yield _sse(chunk(completion_id, model, {"content": piece}, None))
        yield _sse(chunk(completion_id, model, {}, finish))
        yield _sse("[DONE]")
    finally:
        # A client that goes away ends this generator: the assistant's stream is closed
        # now, which frees the model and writes the audit record.
        with anyio.CancelScope(shield=True):
            await pieces.aclose()


async def _one(text: str) -> AsyncGenerator[str, None]:
    yield text


def _stream_answer(answer: Answer, model: str) -> StreamingResponse:
    finish = "content_filter" if answer.status == "blocked" else "stop"
    body = _stream_pieces(
        f"chatcmpl-{answer.request_id}", model, _one(render_answer(answer)), finish
    )
    return StreamingResponse(body, media_type="text/event-stream")


@router.post("/chat/completions", response_model=ChatCompletion)
async def chat_completions(
    body: ChatCompletionRequest,
    user: CurrentUser,
    assistant: AssistantDep,
    chat: ChatAssistantDep,
    settings: SettingsDep,
    x_yakuba_purpose: Annotated[
        str | None,
        Header(description="業務内容, percent-encoded UTF-8 (or `metadata.purpose`)"),
    ] = None,
) -> Any:
    """Every message passes the guard before the model sees it; every call is audited.
    A purpose (業務内容) comes in `metadata.purpose` or the `X-Yakuba-Purpose` header and
    is checked against the restricted purposes; `max_tokens` may lower the model's limit.
    Runs on the event loop and awaits the model (see routes.ask)."""
    if body.model not in (MODEL_CHAT, MODEL_RAG):
        return openai_error(
            "model_not_found", f"モデル {body.model} はありません（{MODEL_CHAT}, {MODEL_RAG}）。"
        )
    purpose = (body.metadata or {}).get("purpose") or unquote(x_yakuba_purpose or "")
    if unreadable(purpose):  # the header's %00 (the body's is refused before the route)
        return openai_error("invalid_input", "業務内容に使えない文字（NUL など）が含まれています。")
    try:
        ctx = RequestContext.model_validate({**user.model_dump(), "purpose": purpose.strip()})
    except ValidationError:
        return openai_error("invalid_input", "業務内容は500文字以内で指定してください。")

    if body.model == MODEL_RAG:
        question = next(m.text() for m in reversed(body.messages) if m.role == "user")
        plan = await run_sized(len(question) + len(purpose), assistant.plan_ask, question, ctx)
        answer = plan if isinstance(plan, Answer) else await assistant.acomplete(plan)
        if answer.status == "failed" or answer.error_code == "restricted_purpose":
            return openai_error(answer.error_code or "failed", answer.text)
        return (
            _stream_answer(answer, body.model)
            if body.stream
            else completion_from(answer, body.model)
        )

    messages = [(m.plain_role, m.text()) for m in body.messages]
    chars = sum(len(text) for _, text in messages) + len(purpose)
    prepared = await run_sized(chars, chat.prepare, messages, ctx)  # see service.offload
    if isinstance(prepared, Answer):
        if prepared.status == "failed" or prepared.error_code == "restricted_purpose":
            return openai_error(prepared.error_code or "failed", prepared.text)
        return (
            _stream_answer(prepared, body.model)
            if body.stream
            else completion_from(prepared, body.model)
        )
    if body.max_tokens is not None:
        prepared.max_tokens = min(body.max_tokens, settings.llm_max_tokens)
    if assistant.chat_model is None:
        answer = await chat.acomplete(prepared)  # audits the failure
        return openai_error(answer.error_code or "llm_not_configured", answer.text)
    if body.stream:
        return StreamingResponse(
            _stream_chat(chat, prepared, body.model), media_type="text/event-stream"
        )
    answer = await chat.acomplete(prepared)
    if answer.status == "failed":
        return openai_error(answer.error_code or "failed", answer.text)
    entry = prepared.entry
    usage = Usage(
        prompt_tokens=entry.tokens_in,
        completion_tokens=entry.tokens_out,
        total_tokens=entry.tokens_in + entry.tokens_out,
    )
    return completion_from(answer, body.model, usage)


def _stream_chat(
    chat: ChatAssistant, prepared: PreparedChat, model: str
) -> AsyncGenerator[str, None]:
    return _stream_pieces(
        f"chatcmpl-{prepared.entry.request_id}", model, chat.astream(prepared), "stop"
    )
