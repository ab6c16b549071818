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
from ...pipeline.contracts import RequestContext
from ...pipeline.placeholders import RequestPreview
from ..deps import AssistantDep, CurrentUser, SettingsDep
from ..errors import error_response
from ..validation import unreadable

router = APIRouter(prefix="/v1", tags=["openai"])


@router.get("/models")
def list_models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_CHAT), ModelCard(id=MODEL_RAG)])


_PATH = "/v1/chat/completions"  # this route, for the error body of its API


def openai_error(error: channel.OpenAIError) -> JSONResponse:
    """OpenAI's error body, with the status of its code in service.api.errors' one table."""
    return error_response(error.code, error.message, path=_PATH)


# The declared purpose (業務内容), from the body or the header, as both routes take it.
PurposeHeader = Annotated[
    str | None,
    Header(description="業務内容, percent-encoded UTF-8 (or `metadata.purpose`)"),
]


def _caller(
    body: ChatCompletionRequest, user: RequestContext, header: str | None
) -> RequestContext | channel.OpenAIError:
    purpose = (body.metadata or {}).get("purpose") or unquote(header or "")
    if unreadable(purpose):  # the header's %00 (the body's is refused before the route)
        message = "業務内容に使えない文字（NUL など）が含まれています。"
        return channel.OpenAIError("invalid_input", message)
    return channel.context_for(user, purpose)


@router.post("/chat/completions", response_model=ChatCompletion)
async def chat_completions(
    body: ChatCompletionRequest,
    user: CurrentUser,
    pipeline: AssistantDep,
    settings: SettingsDep,
    x_yakuba_purpose: PurposeHeader = None,
) -> Any:
    """Every message passes the guard before the model sees it; every call is audited.
    A purpose (業務内容) comes in `metadata.purpose` or the `X-Yakuba-Purpose` header and
    is checked against the restricted purposes; `max_tokens` may lower the model's limit.
    Runs on the event loop and awaits the model (see routes.ask)."""
    if (unknown := channel.unknown_model(body)) is not None:
        return openai_error(unknown)
    ctx = _caller(body, user, x_yakuba_purpose)
    reply = (
        ctx
        if isinstance(ctx, channel.OpenAIError)
        else await channel.complete(body, ctx, pipeline, max_tokens_cap=settings.llm_max_tokens)
    )
    if isinstance(reply, channel.OpenAIError):
        return openai_error(reply)
    if isinstance(reply, channel.EventStream):
        return StreamingResponse(reply.events, media_type="text/event-stream")
    return reply


@router.post("/chat/completions/preview", response_model=RequestPreview)
async def chat_completions_preview(
    body: ChatCompletionRequest,
    user: CurrentUser,
    pipeline: AssistantDep,
    x_yakuba_purpose: PurposeHeader = None,
) -> Any:
    """What the same body would send with `"yakuba": {"placeholders": true}` (model
    `yakuba`), message by message, without calling the model: each span found, the
    placeholder or label it becomes, what would block. Nothing is stored or audited."""
    ctx = _caller(body, user, x_yakuba_purpose)
    reply = (
        ctx if isinstance(ctx, channel.OpenAIError) else await channel.preview(body, ctx, pipeline)
    )
    return openai_error(reply) if isinstance(reply, channel.OpenAIError) else reply
