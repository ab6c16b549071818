"""`POST /lineworks/callback`: LINE WORKS' callback, verified (X-WORKS-Signature: Base64 of
HMAC-SHA256 over the body with the Bot Secret, compared in constant time; the bot id; the
event's issuedTime within the replay window), acknowledged at once and answered through
the message API. Explanations of blocks and refusals go to the asker's 1:1 room only."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import structlog
from fastapi import APIRouter, Request, Response

from .._guards import CallbackGate, SeenIds, hmac_sha256, same_secret
from .._identity import ChatUser
from .._pipeline import BotPipeline, Reply
from .._text import plain_text, source_lines, split_text
from ._client import LineWorksClient

__all__ = ["lineworks_router"]

log = structlog.get_logger(__name__)

CHANNEL = "lineworks"
# LINE WORKS: a text message holds at most 2,000 characters.
MESSAGE_CHARS = 2_000


def lineworks_router(
    pipeline: BotPipeline, gate: CallbackGate, *, client: LineWorksClient | None = None
) -> APIRouter:
    settings = pipeline.runtime.settings
    assert settings.lineworks_bot_secret is not None
    secret = settings.lineworks_bot_secret.get_secret_value()
    window = settings.bot_replay_window_s
    api = client or LineWorksClient(settings)
    handled = SeenIds(2 * window)
    running: set[asyncio.Task[None]] = set()  # held, so a running answer is not collected
    router = APIRouter(tags=["bots"])

    @router.post("/lineworks/callback", include_in_schema=False)
    async def lineworks_callback(request: Request) -> Response:
        body = await gate.body(request, CHANNEL)
        expected = base64.b64encode(hmac_sha256(secret, body)).decode()
        if not same_secret(expected, request.headers.get("x-works-signature", "")):
            raise gate.reject(request, CHANNEL, "bot_signature_invalid")
        if not same_secret(api.bot_id, request.headers.get("x-works-botid", api.bot_id)):
            raise gate.reject(request, CHANNEL, "bot_signature_invalid")
        event = _event(body)
        if not _fresh(event.get("issuedTime"), window):
            raise gate.reject(request, CHANNEL, "bot_request_stale")
        # A resent callback (same body) is acknowledged again but answered once.
        if handled.first_time(hashlib.sha256(body).hexdigest()):
            message = _text_message(event)
            if message is not None:
                task = asyncio.create_task(_answer(pipeline, api, *message))
                running.add(task)
                task.add_done_callback(running.discard)
        return Response(status_code=200)

    return router


def _event(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body)
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def _fresh(issued: object, window_s: int) -> bool:
    if not isinstance(issued, str):
        return False
    try:
        moment = datetime.fromisoformat(issued.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo is None:
        return False
    return abs((datetime.now(UTC) - moment).total_seconds()) <= window_s


def _text_message(event: dict[str, Any]) -> tuple[str, str | None, str] | None:
    """(user id, room id or None for a 1:1 talk, text) of a text message event."""
    source, content = event.get("source"), event.get("content")
    if event.get("type") != "message" or not isinstance(source, dict):
        return None
    if not isinstance(content, dict) or content.get("type") != "text":
        return None
    user, room, text = source.get("userId"), source.get("channelId"), content.get("text")
    if not isinstance(user, str) or not user or not isinstance(text, str) or not text.strip():
        return None
    return user, room if isinstance(room, str) and room else None, text


async def _answer(
    pipeline: BotPipeline, api: LineWorksClient, user: str, room: str | None, text: str
) -> None:
    reply = await pipeline.ask(ChatUser(CHANNEL, user), text, thread=room or user)
    try:
        for part in lineworks_texts(reply):
            await api.send_text(part, user_id=user, channel_id=None if reply.private else room)
        if reply.notices:
            notices = "\n\n".join(f"※ {n}" for n in reply.notices)
            await api.send_text(plain_text(notices), user_id=user)
    except httpx.HTTPError as exc:
        log.warning("lineworks_send_failed", error=type(exc).__name__)


def lineworks_texts(reply: Reply) -> list[str]:
    """The reply as LINE WORKS text messages: plain text, sources last, each part within
    the message limit."""
    text = plain_text(reply.text)
    if reply.answer is not None and reply.answer.citations:
        sources = "\n".join(plain_text(line) for line in source_lines(reply.answer.citations))
        text = f"{text}\n\n出典:\n{sources}"
    return split_text(text, MESSAGE_CHARS)
