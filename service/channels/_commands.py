"""What staff send a bot besides questions, parsed once for every platform.

Task commands (Slack's `/yakuba`, the webhook's `task`; in Teams and LINE WORKS a message
starting with `/` — `/要約 <本文>` or `/yakuba 要約 <本文>`):

要約 <本文>                      summarize
翻訳 [en|zh|ko|vi|pt|…] <本文>   translate (English unless a language code comes first)
やさしい日本語 <本文>            rewrite in やさしい日本語
下書き [挨拶文|お知らせ|通知文|メール] <指示>   draft (お知らせ unless a kind comes first)
校正 <本文>                      proofread

仮名 right after the task's name (`下書き 仮名 通知文 山田太郎様あての…`) asks for residents'
data to go to the model as placeholders (〈氏名1〉 …); the reply, with the values back, is
then shown to the asker only (docs/placeholders.md).

👍/👎 under an answer: every platform's button carries `feedback_data(audit_id, rating)`
(Slack's button value, Teams' Action.Submit data, LINE WORKS' postback) and hands it back
to `parse_feedback`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal, cast, get_args

from ..pipeline.prompting import DraftKind, TargetLanguage

__all__ = [
    "FEEDBACK_LABELS",
    "USAGE",
    "FeedbackVote",
    "Rating",
    "TaskCommand",
    "UsageRequest",
    "feedback_data",
    "parse_chat_command",
    "parse_feedback",
    "parse_task",
]

Rating = Literal["up", "down"]
TaskKind = Literal["要約", "翻訳", "やさしい日本語", "下書き", "校正"]

_ALIASES: dict[str, TaskKind] = {
    "要約": "要約",
    "summarize": "要約",
    "翻訳": "翻訳",
    "translate": "翻訳",
    "やさしい日本語": "やさしい日本語",
    "やさしい": "やさしい日本語",
    "easy": "やさしい日本語",
    "下書き": "下書き",
    "下書": "下書き",
    "draft": "下書き",
    "校正": "校正",
    "proofread": "校正",
}
_WORD = re.compile(r"\s*(\S+)\s*(.*)", re.DOTALL)
# A chat message that is a command: `/` (or the full-width `／` Japanese keyboards type)
# and a task word, optionally after `yakuba` as in Slack's slash command.
_COMMAND_PREFIX = re.compile(r"^\s*[/／](?:yakuba(?:\s+|$))?", re.IGNORECASE)
_FEEDBACK = re.compile(r"^yakuba:feedback:(up|down):([0-9]{1,18})$")
FEEDBACK_LABELS: dict[Rating, str] = {"up": "👍 役に立った", "down": "👎 役に立たなかった"}
_LANGUAGES: tuple[str, ...] = get_args(TargetLanguage)
_DRAFT_KINDS: tuple[str, ...] = get_args(DraftKind)

USAGE = (
    "使い方: `/yakuba <作業> <本文>`\n"
    "・要約 <本文>\n"
    "・翻訳 [en|zh|zh-TW|ko|vi|pt|es|tl|ne|id|th|my] <本文>（言語を省くと英語）\n"
    "・やさしい日本語 <本文>\n"
    "・下書き [挨拶文|お知らせ|通知文|メール] <何を書くか>（種類を省くとお知らせ）\n"
    "・校正 <本文>\n"
    "作業名の直後に「仮名」と書くと、住民の氏名・住所などを〈氏名1〉のような仮名に置き換えて"
    "送信し、元に戻した回答をあなただけに表示します（例: 下書き 仮名 通知文 …）。\n"
    "（Teams・LINE WORKS では `/要約 <本文>` のように / に続けて書きます）\n"
    "質問は、ボットへのメンションかダイレクトメッセージでどうぞ。"
)


@dataclass(frozen=True)
class TaskCommand:
    kind: TaskKind
    text: str
    language: TargetLanguage = "en"
    draft_kind: DraftKind = "お知らせ"
    placeholders: bool = False


_PLACEHOLDER_WORDS = frozenset({"仮名", "仮名化", "placeholders"})


@dataclass(frozen=True)
class UsageRequest:
    """A message meant as a command that names no task (or has no text): show USAGE."""


@dataclass(frozen=True)
class FeedbackVote:
    audit_id: int
    rating: Rating


def parse_chat_command(message: str) -> TaskCommand | UsageRequest | None:
    """A chat message as a command; None when it is not one (it is a question)."""
    prefix = _COMMAND_PREFIX.match(message)
    if prefix is None:
        return None
    return parse_task(message[prefix.end() :]) or UsageRequest()


def feedback_data(audit_id: int, rating: Rating) -> str:
    return f"yakuba:feedback:{rating}:{audit_id}"


def parse_feedback(data: object) -> FeedbackVote | None:
    """The vote a button sent back, or None for anything that is not one of ours."""
    match = _FEEDBACK.match(data) if isinstance(data, str) else None
    if match is None:
        return None
    rating: Rating = "up" if match.group(1) == "up" else "down"
    return FeedbackVote(int(match.group(2)), rating)


def parse_task(command: str) -> TaskCommand | None:
    """The command in `command`, or None when it names no task or has no text."""
    head, rest = _first_word(command)
    kind = _ALIASES.get(head.casefold())
    if kind is None:
        return None
    word, after = _first_word(rest)
    if word.casefold() in _PLACEHOLDER_WORDS:
        plain = parse_task(f"{head} {after}")
        return None if plain is None else replace(plain, placeholders=True)
    option, after = _first_word(rest)
    if kind == "翻訳" and option in _LANGUAGES:
        return _command(kind, after, language=cast(TargetLanguage, option))
    if kind == "下書き" and option in _DRAFT_KINDS:
        return _command(kind, after, draft_kind=cast(DraftKind, option))
    if kind == "やさしい日本語":
        return _command(kind, rest, language="easy_ja")
    return _command(kind, rest)


def _command(
    kind: TaskKind,
    text: str,
    *,
    language: TargetLanguage = "en",
    draft_kind: DraftKind = "お知らせ",
) -> TaskCommand | None:
    text = text.strip()
    if not text:
        return None
    return TaskCommand(kind, text, language=language, draft_kind=draft_kind)


def _first_word(text: str) -> tuple[str, str]:
    # \s covers the full-width space Japanese input methods type between words.
    match = _WORD.match(text)
    return (match.group(1), match.group(2)) if match else ("", "")
