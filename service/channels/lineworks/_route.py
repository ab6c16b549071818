"""`POST /lineworks/callback`: LINE WORKS' callback, verified (X-WORKS-Signature: Base64 of
HMAC-SHA256 over the body with the Bot Secret, compared in constant time; the bot id; the
event's issuedTime within the replay window), acknowledged at once and answered through
the message API. Explanations of blocks and refusals go to the asker's 1:1 room only.

A text message is a question or a task command (`/要約 …`, parsed as on every platform);
an answer carries 👍/👎 quick-reply buttons whose postback (a message event's
`content.postback`, or a `postback` event's `data`) comes back as the vote."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import structlog
from fastapi import APIRouter, Request, Response

from .._commands import FEEDBACK_LABELS, FeedbackVote, Rating, feedback_data, parse_feedback
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
    router = APIRouter(tags=["bots"])

    @router.post("/lineworks/callback", include_in_schema=False)
    async def lineworks_callback(request: Request) -> Response:
        async with gate.answers.callback():
            return await _acknowledge(request)

    async def _acknowledge(request: Request) -> Response:
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
            message = _incoming(event)
            if message is not None:
                gate.answers.start(_answer(pipeline, api, message))
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


@dataclass(frozen=True)
class _Incoming:
    user: str
    room: str | None  # None: the user's 1:1 talk
    text: str = ""
    vote: FeedbackVote | None = None


def _incoming(event: dict[str, Any]) -> _Incoming | None:
    """A text message or a 👍/👎 postback; None for anything else (joins, stickers…)."""
    source, content = event.get("source"), event.get("content")
    if not isinstance(source, dict):
        return None
    user, room = source.get("userId"), source.get("channelId")
    if not isinstance(user, str) or not user:
        return None
    where = room if isinstance(room, str) and room else None
    if event.get("type") == "postback":
        vote = parse_feedback(event.get("data"))
        return _Incoming(user, where, vote=vote) if vote else None
    if event.get("type") != "message" or not isinstance(content, dict):
        return None
    if (vote := parse_feedback(content.get("postback"))) is not None:
        return _Incoming(user, where, vote=vote)
    text = content.get("text")
    if content.get("type") != "text" or not isinstance(text, str) or not text.strip():
        return None
    return _Incoming(user, where, text=text)


async def _answer(pipeline: BotPipeline, api: LineWorksClient, message: _Incoming) -> None:
    chat = ChatUser(CHANNEL, message.user)
    if message.vote is not None:
        reply = await pipeline.rate(chat, message.vote)
    else:
        reply = await pipeline.message(chat, message.text, thread=message.room or message.user)
    room = None if reply.private else message.room
    try:
        parts = lineworks_texts(reply)
        for n, part in enumerate(parts, start=1):
            buttons = _vote_buttons(reply.rated_audit_id) if n == len(parts) else None
            await api.send_text(part, user_id=message.user, channel_id=room, quick_reply=buttons)
        if reply.notices:
            notices = "\n\n".join(f"※ {n}" for n in reply.notices)
            await api.send_text(plain_text(notices), user_id=message.user)
    except httpx.HTTPError as exc:
        log.warning("lineworks_send_failed", error=type(exc).__name__)


def _vote_buttons(audit_id: int | None) -> list[dict[str, Any]] | None:
    """👍/👎 as quick replies: a message action that sends the label into the talk (so
    the asker sees what they chose) with the vote as its postback."""
    if audit_id is None:
        return None

    def item(rating: Rating) -> dict[str, Any]:
        label = FEEDBACK_LABELS[rating]
        action = {
            "type": "message",
            "label": label,
            "text": label,
            "postback": feedback_data(audit_id, rating),
        }
        return {"action": action}

    return [item("up"), item("down")]


def lineworks_texts(reply: Reply) -> list[str]:
    """The reply as LINE WORKS text messages: plain text, sources last, each part within
    the message limit."""
    text = plain_text(reply.text)
    if reply.answer is not None and reply.answer.citations:
        sources = "\n".join(plain_text(line) for line in source_lines(reply.answer.citations))
        text = f"{text}\n\n出典:\n{sources}"
    return split_text(text, MESSAGE_CHARS)
