"""`POST /webhook/v1/messages`: a signed message in, a signed reply out (synchronously:
the reply is the response). Unsigned, forged, stale, replayed or oversized requests are
refused (401/409/413) and audited; nothing of the message is read before that."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import ValidationError

from .._commands import USAGE, parse_task
from .._guards import CallbackGate, SeenIds
from .._identity import ChatUser
from .._pipeline import BotPipeline, Reply
from .._text import split_text
from ._schemas import WebhookCitation, WebhookMessage, WebhookReply
from ._signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, fresh, signed_headers, valid

__all__ = ["webhook_router"]

CHANNEL = "webhook"
PART_CHARS = 4_000


def webhook_router(pipeline: BotPipeline, gate: CallbackGate) -> APIRouter:
    settings = pipeline.runtime.settings
    assert settings.webhook_secret is not None
    secret = settings.webhook_secret.get_secret_value()
    window = settings.bot_replay_window_s
    # A signature outlives its window by nothing: remembering it twice as long suffices.
    signatures = SeenIds(2 * window)
    message_ids = SeenIds(2 * window)
    router = APIRouter(tags=["bots"])

    @router.post("/webhook/v1/messages", include_in_schema=False)
    async def webhook_message(request: Request) -> Response:
        body = await gate.body(request, CHANNEL)
        timestamp = request.headers.get(TIMESTAMP_HEADER, "")
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not valid(secret, timestamp, body, signature):
            raise gate.reject(request, CHANNEL, "bot_signature_invalid")
        if not fresh(timestamp, window):
            raise gate.reject(request, CHANNEL, "bot_request_stale")
        if not signatures.first_time(signature):
            raise gate.reject(request, CHANNEL, "bot_request_replayed")
        try:
            message = WebhookMessage.model_validate_json(body)
        except ValidationError as exc:
            detail = {"code": "invalid_payload", "message": _invalid(exc), "audit_id": None}
            raise HTTPException(status_code=422, detail=detail) from None
        if not message_ids.first_time(message.message_id):
            raise gate.reject(request, CHANNEL, "bot_request_replayed", status=409)
        reply = await _handle(pipeline, message)
        data = reply.model_dump_json().encode()
        headers = signed_headers(secret, data)
        return Response(content=data, media_type="application/json", headers=headers)

    return router


async def _handle(pipeline: BotPipeline, message: WebhookMessage) -> WebhookReply:
    chat = ChatUser(
        CHANNEL,
        message.user,
        vouched_user=message.staff_id or "",
        vouched_department=message.department,
    )
    thread = message.thread or message.message_id
    if message.task is None:
        reply = await pipeline.ask(chat, message.text, thread=thread, purpose=message.purpose)
    elif (command := parse_task(f"{message.task} {message.text}")) is None:
        reply = Reply(USAGE, private=True)
    else:
        reply = await pipeline.task(chat, command, purpose=message.purpose)
    return _reply(message, reply, thread)


def _reply(message: WebhookMessage, reply: Reply, thread: str) -> WebhookReply:
    answer = reply.answer
    return WebhookReply(
        message_id=message.message_id,
        status=answer.status if answer else "refused",
        private=reply.private,
        text=reply.text,
        parts=split_text(reply.text, PART_CHARS),
        citations=[WebhookCitation.of(c) for c in answer.citations] if answer else [],
        notices=reply.notices,
        audit_id=reply.audit_id,
        thread=thread,
    )


def _invalid(exc: ValidationError) -> str:
    fields = "、".join(".".join(str(p) for p in e["loc"]) or "本文" for e in exc.errors()[:5])
    return f"送信されたデータの形式が正しくありません（{fields}）。docs/bots.md の形式で送ってください。"
