"""A `Reply` as Teams messages: an Adaptive Card with the answer, its sources and 👍/👎
(Action.Submit: Teams sends the button's data back as a message activity's `value`)."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import CardFactory, MessageFactory

from .._commands import FEEDBACK_LABELS, Rating, feedback_data
from .._pipeline import Reply
from .._text import card_markdown, source_lines, split_text

__all__ = ["FEEDBACK_KEY", "teams_activities"]

# Teams takes about 28 KB per message; a card of ~12,000 characters of Japanese (3 bytes
# each in UTF-8) stays well within it.
CARD_CHARS = 12_000
BLOCK_CHARS = 2_000
_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
FEEDBACK_KEY = "yakuba"  # the key of the vote in an Action.Submit's data


def teams_activities(reply: Reply) -> list[Activity]:
    """The messages that show `reply`: one card per part of the text, sources on the last."""
    parts = split_text(reply.text, CARD_CHARS)
    cards = [[_text(block) for block in split_text(part, BLOCK_CHARS)] for part in parts]
    answer = reply.answer
    if answer is not None and answer.citations:
        cards[-1].append(_text("**出典**", separator=True))
        cards[-1] += [_text(line, subtle=True) for line in source_lines(answer.citations)]
    if reply.notices:
        cards[-1] += [_text(f"※ {n}", subtle=True) for n in reply.notices]
    made = [_card(body) for body in cards]
    if reply.rated_audit_id is not None:
        made[-1]["actions"] = [_vote(reply.rated_audit_id, r) for r in ("up", "down")]
    return [MessageFactory.attachment(CardFactory.adaptive_card(card)) for card in made]


def _card(body: list[dict[str, Any]]) -> dict[str, Any]:
    return {"$schema": _SCHEMA, "type": "AdaptiveCard", "version": "1.5", "body": body}


def _vote(audit_id: int, rating: Rating) -> dict[str, Any]:
    data = {FEEDBACK_KEY: feedback_data(audit_id, rating)}
    return {"type": "Action.Submit", "title": FEEDBACK_LABELS[rating], "data": data}


def _text(text: str, *, subtle: bool = False, separator: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "TextBlock", "text": card_markdown(text), "wrap": True}
    if subtle:
        block["isSubtle"] = True
        block["size"] = "Small"
    if separator:
        block["separator"] = True
    return block
