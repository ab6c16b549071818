"""`POST /v1/ask`: grounded answers with numbered citations, multi-turn, optionally streamed."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from ...channels.web import ask_events
from ...offload import run_sized
from ...pipeline.contracts import Answer
from ..deps import AssistantDep, ConversationsDep, CurrentUser
from ..errors import ERROR_RESPONSES, raise_for_answer
from ..schemas import AskRequest, AskResponse

router = APIRouter(prefix="/v1", tags=["ask"])

_SSE_DOC = {
    "content": {
        "text/event-stream": {
            "schema": {"type": "string"},
            "example": 'event: delta\ndata: {"text": "審査基準は…"}\n\n'
            'event: done\ndata: {"status": "answered", "citations": [...], "audit_id": 12, ...}\n\n',
        }
    },
    "description": "stream=true のとき: delta イベント（本文の断片）と最後の done イベント（AskResponse 全体）",
}


@router.post(
    "/ask",
    response_model=AskResponse,
    responses={**ERROR_RESPONSES, 200: _SSE_DOC},
    summary="資料に基づく質問応答（出典付き）",
)
async def ask(
    body: AskRequest,
    user: CurrentUser,
    assistant: AssistantDep,
    conversations: ConversationsDep,
) -> Any:
    """The question passes the guard before anything else; the answer cites the retrieved
    passages as [n]. With `thread_id`, earlier guarded turns of the thread go to the model
    too (bounded by YAKUBA_THREAD_MAX_TURNS / _CHARS)."""
    # The model call is awaited, so a request waiting for the model holds no worker
    # thread; the guard and retrieval leave the event loop only for a long question.
    ctx = user.model_copy(update={"purpose": body.purpose})
    # Threads live in the database: an earlier thread is read off the event loop, a new
    # one has nothing to read.
    if body.thread_id:
        thread_id = body.thread_id
        thread = await anyio.to_thread.run_sync(conversations.get, ctx.user, thread_id)
    else:
        thread_id = uuid.uuid4().hex
        thread = conversations.new(ctx.user, thread_id)
    chars = len(body.question) + len(body.purpose) + sum(len(t.question) for t in thread.turns[-1:])
    plan = await run_sized(chars, assistant.plan_ask, body.question, ctx, thread=thread)
    if isinstance(plan, Answer):
        raise_for_answer(plan)
        if body.stream:
            return _event_stream(_items(plan.text, plan), thread_id)
        return AskResponse.of(plan, thread_id)
    if not body.stream:
        answer = await assistant.acomplete(plan)
        raise_for_answer(answer)
        return AskResponse.of(answer, thread_id)
    events = assistant.astream(plan)
    # The first item is pulled here so that a model that fails before saying anything
    # still gets a proper HTTP error instead of a 200 stream carrying a failure.
    first = await anext(events)
    if isinstance(first, Answer):
        await events.aclose()
        raise_for_answer(first)
    return _event_stream(_chain(first, events), thread_id)


async def _items(*items: str | Answer) -> AsyncGenerator[str | Answer, None]:
    for item in items:
        yield item


async def _chain(
    first: str | Answer, rest: AsyncGenerator[str | Answer, None]
) -> AsyncGenerator[str | Answer, None]:
    yield first
    async for item in rest:
        yield item


def _event_stream(items: AsyncGenerator[str | Answer, None], thread_id: str) -> StreamingResponse:
    def done(answer: Answer) -> dict[str, Any]:
        return AskResponse.of(answer, thread_id).model_dump(mode="json")

    return StreamingResponse(
        ask_events(items, done),
        media_type="text/event-stream",
        # Proxies must pass events on as they come.
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
