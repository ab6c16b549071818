"""The OpenAI-compatible chat completions: `yakuba` (guarded pass-through chat,
`pipeline.chat.ChatPipeline`) and `yakuba-rag` (grounded answers, `Pipeline.aask`).

`complete` returns what the route sends: a `ChatCompletion`, an `OpenAIError` (the
OpenAI error body and its HTTP status), or an `EventStream` of Server-Sent Events;
`preview` what `complete` would send with placeholders, without calling the model."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import anyio
from pydantic import ValidationError

from ..errors import InputError
from ..offload import run_sized
from ..pipeline.chat import ChatPipeline, PreparedChat
from ..pipeline.contracts import Answer, RequestContext
from ..pipeline.core import Pipeline
from ..pipeline.placeholders import PlaceholderRequest, RequestPreview
from .openai_schemas import (
    MODEL_CHAT,
    MODEL_RAG,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    ResponseMessage,
    Usage,
    chunk,
)


@dataclass(frozen=True)
class OpenAIError:
    """An error reply: its code (the HTTP status and the body are service.api.errors'
    one table) and its Japanese message."""

    code: str
    message: str


@dataclass(frozen=True)
class EventStream:
    events: AsyncGenerator[str, None]


Reply = ChatCompletion | OpenAIError | EventStream


def context_for(user: RequestContext, purpose: str) -> RequestContext | OpenAIError:
    """The caller with the declared purpose (業務内容), or the error for a bad one."""
    try:
        return RequestContext.model_validate({**user.model_dump(), "purpose": purpose.strip()})
    except ValidationError:
        return OpenAIError("invalid_input", "業務内容は500文字以内で指定してください。")


def unknown_model(body: ChatCompletionRequest) -> OpenAIError | None:
    if body.model in (MODEL_CHAT, MODEL_RAG):
        return None
    message = f"モデル {body.model} はありません（{MODEL_CHAT}, {MODEL_RAG}）。"
    return OpenAIError("model_not_found", message)


async def preview(
    body: ChatCompletionRequest, ctx: RequestContext, pipeline: Pipeline
) -> RequestPreview | OpenAIError:
    """Each message as `complete` would send it with `"yakuba": {"placeholders": true}`:
    its spans, their placeholders, what blocks. Only the chat model takes placeholders."""
    if (unknown := unknown_model(body)) is not None:
        return unknown
    if body.model != MODEL_CHAT:
        message = (
            f"仮名化のプレビューは {MODEL_CHAT} モデルだけです（{body.model} は仮名化しません）。"
        )
        return OpenAIError("invalid_input", message)
    messages = [(m.plain_role, m.text()) for m in body.messages]
    chars = sum(len(text) for _, text in messages) + len(ctx.purpose)
    thread = body.yakuba.thread_id if body.yakuba is not None else None
    try:
        return await run_sized(chars, ChatPipeline(pipeline).preview, messages, ctx, thread=thread)
    except InputError as exc:
        return OpenAIError(exc.code, str(exc))


async def complete(
    body: ChatCompletionRequest, ctx: RequestContext, pipeline: Pipeline, *, max_tokens_cap: int
) -> Reply:
    if (unknown := unknown_model(body)) is not None:
        return unknown
    if body.model == MODEL_RAG:
        question = next(m.text() for m in reversed(body.messages) if m.role == "user")
        return _finished(await pipeline.aask(question, ctx), body)
    chat = ChatPipeline(pipeline)
    messages = [(m.plain_role, m.text()) for m in body.messages]
    chars = sum(len(text) for _, text in messages) + len(ctx.purpose)
    options = body.yakuba
    asked = (
        PlaceholderRequest(thread=options.thread_id)
        if options is not None and options.placeholders
        else None
    )
    prepared = await run_sized(chars, chat.prepare, messages, ctx, placeholders=asked)
    if isinstance(prepared, Answer):
        return _finished(prepared, body)
    if body.max_tokens is not None:
        prepared.max_tokens = min(body.max_tokens, max_tokens_cap)
    if pipeline.chat_model is None:
        answer = await chat.acomplete(prepared)  # audits the failure
        return OpenAIError(answer.error_code or "llm_not_configured", answer.text)
    if body.stream:
        return EventStream(_stream_chat(chat, prepared, body.model))
    answer = await chat.acomplete(prepared)
    if answer.status == "failed":
        return OpenAIError(answer.error_code or "failed", answer.text)
    entry = prepared.entry
    usage = Usage(
        prompt_tokens=entry.tokens_in,
        completion_tokens=entry.tokens_out,
        total_tokens=entry.tokens_in + entry.tokens_out,
    )
    return completion_from(answer, body.model, usage)


def _finished(answer: Answer, body: ChatCompletionRequest) -> Reply:
    """An answer that ended before (or without) a chat stream: as one completion or event;
    a failure or a restricted purpose as an error."""
    if answer.status == "failed" or answer.error_code == "restricted_purpose":
        return OpenAIError(answer.error_code or "failed", answer.text)
    if body.stream:
        finish = "content_filter" if answer.status == "blocked" else "stop"
        events = _stream_pieces(
            f"chatcmpl-{answer.request_id}", body.model, _one(render_answer(answer)), finish
        )
        return EventStream(events)
    return completion_from(answer, body.model)


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
            # Only when asked for: a plain OpenAI call's extension stays as it was.
            **(
                {"placeholders": answer.placeholders.model_dump(mode="json")}
                if answer.placeholders is not None
                else {}
            ),
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
        # A client that goes away ends this generator: the pipeline's stream is closed
        # now, which frees the model and writes the audit record.
        with anyio.CancelScope(shield=True):
            await pieces.aclose()


async def _one(text: str) -> AsyncGenerator[str, None]:
    yield text


def _stream_chat(
    chat: ChatPipeline, prepared: PreparedChat, model: str
) -> AsyncGenerator[str, None]:
    return _stream_pieces(
        f"chatcmpl-{prepared.entry.request_id}", model, chat.astream(prepared), "stop"
    )
