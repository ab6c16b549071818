"""A `Reply` as Slack messages: mrkdwn sections within Slack's limits, the sources as a
block, and the 👍/👎 buttons that carry the answer's audit id."""

from __future__ import annotations

from typing import Any

from .._commands import FEEDBACK_LABELS, Rating, feedback_data
from .._pipeline import Reply
from .._text import slack_mrkdwn, source_lines, split_text

__all__ = ["FEEDBACK_ACTION", "slack_messages"]

FEEDBACK_ACTION = "yakuba_feedback"
# Slack: a section's text holds 3,000 characters, a message 50 blocks.
SECTION_CHARS = 3_000
MESSAGE_BLOCKS = 50
_FALLBACK_CHARS = 300  # the notification's text; the blocks carry the whole answer

Block = dict[str, Any]


def slack_messages(reply: Reply, *, feedback: bool = True) -> list[dict[str, Any]]:
    """The messages (`text` + `blocks`) that show `reply`, in order."""
    sections = [_section(part) for part in _mrkdwn_parts(reply.text, SECTION_CHARS)]
    tail: list[Block] = []
    answer = reply.answer
    if answer is not None and answer.citations:
        lines = source_lines(answer.citations)
        heading = "*出典*\n"
        for part in _mrkdwn_parts("\n".join(lines), SECTION_CHARS - len(heading)):
            tail.append(_section(heading + part))
            heading = ""
    if feedback and reply.rated_audit_id is not None:
        tail.append(_feedback_buttons(reply.rated_audit_id))
    room = MESSAGE_BLOCKS - len(tail)
    groups = [sections[i : i + room] for i in range(0, len(sections), room)] or [[]]
    groups[-1] = groups[-1] + tail
    return [{"text": _fallback(reply.text), "blocks": blocks} for blocks in groups]


def notice_text(notices: list[str]) -> str:
    return slack_mrkdwn("\n\n".join(f"※ {n}" for n in notices))


def _mrkdwn_parts(text: str, limit: int) -> list[str]:
    """Converted parts no longer than `limit`: escaping lengthens the text (`&` → `&amp;`),
    so a part that grew past the limit is split again, smaller."""
    parts: list[str] = []
    for raw in split_text(text, limit):
        converted = slack_mrkdwn(raw)
        if len(converted) > limit and len(raw) > 1:
            parts += _mrkdwn_parts(raw, max(1, limit // 2))
        else:
            parts.append(converted)
    return parts


def _section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn or " "}}


def _fallback(text: str) -> str:
    short = text if len(text) <= _FALLBACK_CHARS else text[: _FALLBACK_CHARS - 1] + "…"
    return slack_mrkdwn(short)


def _feedback_buttons(audit_id: int) -> Block:
    def button(rating: Rating) -> Block:
        return {
            "type": "button",
            "action_id": f"{FEEDBACK_ACTION}_{rating}",
            "text": {"type": "plain_text", "text": FEEDBACK_LABELS[rating], "emoji": True},
            "value": feedback_data(audit_id, rating),
        }

    return {
        "type": "actions",
        "block_id": FEEDBACK_ACTION,
        "elements": [button("up"), button("down")],
    }
