"""Japanese explanations for staff whose prompt was blocked or masked.

The message names what was found with a *partly hidden* excerpt, so the person can
find it in their own text, and says how to rephrase. It never repeats a full value:
the message itself may end up in a chat channel or a log.
"""

from __future__ import annotations

import re
import unicodedata

from guardrails._compact import compact, original_span
from guardrails._errors import GuardrailsError
from guardrails._gazetteer import gazetteer
from guardrails._labels import ENTITY_LABELS_JA, FALLBACK_LABEL
from guardrails._models import Action, ScanResult
from guardrails._normalize import normalize

_MASK = "*"
# Separators kept visible in an excerpt so that its shape stays recognisable.
_VISIBLE_SEPARATORS = frozenset("-－‐‑‒–—―−ーｰ ()（）.．・")
# How many leading significant characters may be shown, per type; never more than a
# third of the value (see _visible_count).
_SHOW_LEADING = {"MY_NUMBER": 4, "PHONE_NUMBER": 4, "EMAIL_ADDRESS": 2}
_DEFAULT_SHOW = 1
_LEADING_LETTERS = re.compile(r"[^0-9\-]*")

_ERROR_MESSAGE = (
    "安全確認（個人情報・機密情報の検査）を完了できなかったため、"
    "入力内容は送信していません。\n"
    "お手数ですが、しばらくしてからもう一度お試しください。"
    "繰り返し表示される場合は、システム管理者にお問い合わせください。"
)

_BLOCK_HEAD = "個人情報または機密情報と思われる内容が含まれていたため、送信を止めました。"
_MASK_HEAD = "次の内容は <電話番号> のような記号に置き換えてから送信しました。"
_WARN_HEAD = "次の内容が含まれています。必要な場合だけ送信してください。"
_HOW_TO = (
    "言い換えの例:\n"
    "・番号やアドレスは削除するか、「〇〇」や「（電話番号）」のように置き換えてください。\n"
    "・「ある市民の方」「担当者」など、個人が特定できない形で書いてください。\n"
    "・質問に本当に必要な情報だけを残してください。"
)


def explain_ja(text: str, result: ScanResult) -> str:
    """A Japanese message about ``result`` for the person who wrote ``text``.

    Returns an empty string when nothing was found and the scan succeeded.
    """
    if result.error is not None:
        return _ERROR_MESSAGE
    if not result.findings:
        return ""
    lines = [f"・{_describe(text, f.type, f.start, f.end)}" for f in result.findings]
    if result.action is Action.BLOCK:
        return "\n".join([_BLOCK_HEAD, "見つかった内容:", *lines, "", _HOW_TO])
    if result.action is Action.MASK:
        return "\n".join([_MASK_HEAD, *lines])
    return "\n".join([_WARN_HEAD, *lines])


def _describe(text: str, entity_type: str, start: int, end: int) -> str:
    label = ENTITY_LABELS_JA.get(entity_type, FALLBACK_LABEL)
    if not 0 <= start < end <= len(text):
        return label
    return f"{label}（{_excerpt(entity_type, text[start:end])}）"


def _excerpt(entity_type: str, value: str) -> str:
    at = "@" if "@" in value else "＠"
    if entity_type == "EMAIL_ADDRESS" and at in value:
        local = _visible_chars(value.split(at, 1)[0])
        shown = "".join(local[: _visible_count(entity_type, len(local))])
        return f"{shown}{_MASK * 4}@…"
    if entity_type == "ADDRESS":
        return _address_excerpt(value)
    significant = _visible_chars(value)
    keep = _visible_count(entity_type, len(significant))
    if entity_type == "PERSON":
        # The surname stays readable, the given name is hidden: 山田 **, 山田**.
        keep = _first_group_length(value) if _has_inner_separator(value) else len(significant) // 2
        keep = min(keep, 3)
    if entity_type == "PHONE_NUMBER":
        # Show the area code / prefix only: 090-****-****, 03-****-****.
        keep = min(keep, _first_group_length(value))
    out: list[str] = []
    seen = 0
    for ch in value:
        if _is_invisible(ch):
            continue
        if ch in _VISIBLE_SEPARATORS:
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        else:
            out.append(ch if seen < keep else _MASK)
            seen += 1
    return "".join(out)


def _address_excerpt(value: str) -> str:
    """The prefecture and municipality, the rest hidden: 東京都千代田区…. Without a
    known municipality, the letters before the first number: さくら台…."""
    normalized = normalize(value)
    squeezed, origin = compact(normalized.text)
    try:
        length = gazetteer().locality_length(squeezed)
    except GuardrailsError:
        length = 0
    if length == 0:
        length = min(len(_LEADING_LETTERS.match(squeezed).group()), 6)  # type: ignore[union-attr]
    if length == 0:
        return "…"
    end = normalized.to_original_span(0, original_span(origin, 0, length)[1])[1]
    return value[:end].strip() + "…"


def _has_inner_separator(value: str) -> bool:
    stripped = value.strip()
    return any(ch in _VISIBLE_SEPARATORS or ch.isspace() for ch in stripped)


def _first_group_length(value: str) -> int:
    length = 0
    for ch in value.strip():
        if _is_invisible(ch):
            continue
        if ch in _VISIBLE_SEPARATORS or ch.isspace():
            break
        length += 1
    return length


def _visible_chars(value: str) -> list[str]:
    return [
        c
        for c in value
        if not _is_invisible(c) and c not in _VISIBLE_SEPARATORS and not c.isspace()
    ]


def _visible_count(entity_type: str, significant: int) -> int:
    # At most a third of the value, so that even a short value stays mostly hidden.
    return min(_SHOW_LEADING.get(entity_type, _DEFAULT_SHOW), significant // 3)


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cf", "Cc") and ch not in "\n\t "
