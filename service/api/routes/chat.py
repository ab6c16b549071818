"""OpenAI-compatible chat completions: guarded chat (`yakuba`) and RAG (`yakuba-rag`);
the protocol is service.channels.openai's."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, StreamingResponse

from ...channels import openai as channel
from ...channels.openai_schemas import (
    MODEL_CHAT,
    MODEL_RAG,
    ChatCompletion,
    ChatCompletionRequest,
    ModelCard,
    ModelList,
)
from ..deps import AssistantDep, CurrentUser, SettingsDep

router = APIRouter(prefix="/v1", tags=["openai"])


@router.get("/models")
def list_models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_CHAT), ModelCard(id=MODEL_RAG)])


@router.post("/chat/completions", response_model=ChatCompletion)
async def chat_completions(
    body: ChatCompletionRequest,
    user: CurrentUser,
    pipeline: AssistantDep,
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
    purpose = (body.metadata or {}).get("purpose") or unquote(x_yakuba_purpose or "")
    ctx = channel.context_for(user, purpose)
    reply = (
        ctx
        if isinstance(ctx, channel.OpenAIError)
        else await channel.complete(body, ctx, pipeline, max_tokens_cap=settings.llm_max_tokens)
    )
    if isinstance(reply, channel.OpenAIError):
        return JSONResponse(status_code=reply.status, content=reply.body())
    if isinstance(reply, channel.EventStream):
        return StreamingResponse(reply.events, media_type="text/event-stream")
    return reply
