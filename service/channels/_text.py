"""Answer text for chat platforms: split to a platform's size limit, Markdown turned into
what the platform shows, and nothing left that the platform would act on.

Model output is untrusted text: in Slack `<!channel>` or `<@U…>` notify people and
`<https://…|here>` disguises a link; in LINE WORKS `<m userId="…">` mentions someone. Each
converter escapes or defuses those before adding the platform's own formatting."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..pipeline.contracts import Citation

__all__ = ["card_markdown", "plain_text", "slack_mrkdwn", "source_lines", "split_text"]

_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]\n]+)\]\((\S+?)\)")
_BULLET = re.compile(r"^(\s*)[-*+]\s+", re.MULTILINE)
_STRIKE = re.compile(r"~~(.+?)~~")


def split_text(text: str, limit: int) -> list[str]:
    """`text` in parts of at most `limit` characters, cut at a paragraph, line or sentence
    end where one is near (the last 40 % of a part), else hard."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind("。") + 1)
        if cut < limit * 0.6:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts or [""]


def slack_mrkdwn(markdown: str) -> str:
    """Slack's mrkdwn for model Markdown; `&`, `<`, `>` escaped first, so no mention,
    broadcast or disguised link can come from the text."""
    text = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = _HEADING.sub(lambda m: f"*{m.group(1)}*", text)
    text = _BOLD.sub(lambda m: f"*{m.group(1) or m.group(2)}*", text)
    text = _STRIKE.sub(lambda m: f"~{m.group(1)}~", text)
    return _BULLET.sub(lambda m: f"{m.group(1)}• ", text)


def plain_text(markdown: str) -> str:
    """Plain text for platforms without Markdown (LINE WORKS): emphasis marks dropped,
    links spelled out, and `<` made harmless for mention syntax."""
    text = markdown.replace("<", "＜").replace(">", "＞")
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = _HEADING.sub(lambda m: f"■ {m.group(1)}", text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    text = _STRIKE.sub(lambda m: m.group(1), text)
    return _BULLET.sub(lambda m: f"{m.group(1)}・", text)


def source_lines(citations: Sequence[Citation]) -> list[str]:
    """One line per citation, as the answer's [n] refers to them (raw: escape per platform)."""
    return [f"[{c.number}] {c.label}".strip() for c in citations]


def card_markdown(markdown: str) -> str:
    """Text for an Adaptive Card TextBlock (Teams), which renders a Markdown subset: links
    are spelled out so a label cannot disguise where it leads; mentions in Teams exist
    only as message entities, which a TextBlock cannot carry."""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", markdown)
    return _HEADING.sub(lambda m: f"**{m.group(1)}**", text)
