"""Japanese explanations for staff whose prompt was blocked or masked.

The message names what was found with a *partly hidden* excerpt, so the person can
find it in their own text, says which words made the guard decide so (『様』の前の語を
氏名と判断しました, 『自宅』があるため個人の電話番号と判断しました), and how to rephrase.
Findings judged public information are listed apart, with the reason they passed. It
never repeats a full value: the message itself may end up in a chat channel or a log.
The words quoted are the finding's ``cues`` — vocabulary, never the value.
"""

from __future__ import annotations

import re
import unicodedata

from guardrails._compact import compact, original_span
from guardrails._errors import GuardrailsError
from guardrails._gazetteer import gazetteer
from guardrails._labels import ENTITY_LABELS_JA, FALLBACK_LABEL
from guardrails._models import Action, Finding, PublicBasis, ScanResult
from guardrails._normalize import normalize
from guardrails._ownership import (
    CONTACT_TYPES,
    NAME_IN_TEXT,
    NAME_NEARBY,
    NAMED_MAILBOX,
    PERSONAL_NEARBY,
    STAFF_MAILBOX,
)
from guardrails._public_roles import MINUTES_SPEAKER
from guardrails._public_step import REGISTER_CUE

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
_PUBLIC_HEAD = "次の内容は公開情報と判断し、そのまま扱いました（記録には残ります）:"
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
    personal = [f"・{_describe(text, f)}" for f in result.findings if f.public is None]
    public = [f"・{_describe(text, f)}" for f in result.findings if f.public is not None]
    tail = [_PUBLIC_HEAD, *public] if public else []
    if not personal:
        return "\n".join(tail)
    if result.action is Action.BLOCK:
        head = [_BLOCK_HEAD, "見つかった内容:", *personal, "", _HOW_TO]
    elif result.action is Action.MASK:
        head = [_MASK_HEAD, *personal]
    else:
        head = [_WARN_HEAD, *personal]
    return "\n".join([*head, *([""] + tail if tail else [])])


def _describe(text: str, finding: Finding) -> str:
    label = ENTITY_LABELS_JA.get(finding.type, FALLBACK_LABEL)
    reason = _reason(text, finding, label)
    if not 0 <= finding.start < finding.end <= len(text):
        return label + (f"：{reason}" if reason else "")
    excerpt = _excerpt(finding.type, text[finding.start : finding.end])
    return f"{label}（{excerpt}）" + (f"：{reason}" if reason else "")


def _quoted(words: tuple[str, ...]) -> str:
    return "".join(f"『{w}』" for w in words[:3])


def _reason(text: str, finding: Finding, label: str) -> str:
    """Which words decided the finding, in a sentence (empty when none is known)."""
    cues = finding.cues or ()
    if finding.public is not None:
        return _public_reason(finding.public, cues, label)
    if finding.type in CONTACT_TYPES:
        return _owner_reason(finding.type, cues, label)
    if finding.type == "PERSON":
        return _person_reason(text, finding, cues)
    if cues:
        return f"{_quoted(cues)}の語から{label}と判断しました。"
    return ""


def _public_reason(basis: PublicBasis, cues: tuple[str, ...], label: str) -> str:
    if basis is PublicBasis.REGISTER or REGISTER_CUE in cues:
        return "公開済みの情報（公開情報登録簿にある値）です。"
    if basis is PublicBasis.PUBLIC_ROLE:
        role = next((c for c in reversed(cues)), "")
        if role == MINUTES_SPEAKER:
            return "会議録の発言者として、公人の氏名と判断しました。"
        return (
            f"『{role}』としての公人の氏名と判断しました。"
            if role
            else "公人の氏名と判断しました。"
        )
    if basis is PublicBasis.ROLE_IN_CONTEXT and len(cues) == 3:
        context, role, kind = cues  # [[public.context_roles]]
        return f"『{context}』のある{kind}で、『{role}』としての職務上の氏名と判断しました。"
    if basis is PublicBasis.PUBLIC_GENRE:
        p = cues[1] if len(cues) > 1 else ""
        return (
            f"文章全体が公開の自治体文書と判定され（確率 {p}、[public_document]）、"
            "識別番号・個人の連絡先・住民を示す語がないため、公開文書中の氏名と判断しました。"
        )
    if basis is PublicBasis.PUBLIC_NAME:
        return "公開の名前の一覧（[public] public_names：マスコット・キャラクターなど）にある名前です。"
    if basis is PublicBasis.HISTORICAL:
        words = f"{_quoted(cues)}のある" if cues else ""
        return f"{words}歴史・文学の文章で、敬称のない歴史上の人物の氏名と判断しました。"
    if basis is PublicBasis.AREA:
        return "番地のない地域の情報（郵便番号・町名だけ）と判断しました。"
    where = f"{_quoted(cues)}から" if cues else ""
    return f"{where}施設・窓口など組織の{label}と判断しました。"


def _owner_reason(entity_type: str, cues: tuple[str, ...], label: str) -> str:
    if not cues:
        return (
            f"施設・窓口の{label}であることを示す語（〇〇課、所在地、代表 など）が"
            f"近くにないため、個人の{label}として扱いました。"
        )
    if entity_type == "PHONE_NUMBER" and cues[0].isdigit():
        return f"携帯電話の番号（{cues[0]}）は、公開情報登録簿にない限り個人の番号として扱います。"
    if entity_type == "EMAIL_ADDRESS" and cues[0] in (STAFF_MAILBOX, NAMED_MAILBOX):
        return (
            "個人名のメールアドレスです（職員のものでも、公開情報登録簿にない限り"
            "個人のアドレスとして扱います）。"
        )
    if entity_type == "EMAIL_ADDRESS" and "." in cues[0]:
        return f"個人向けのメールサービス（{cues[0]}）のアドレスです。"
    words = _quoted(tuple(c for c in cues if c not in _NEARBY))
    nearby = "と".join(_NEARBY[c] for c in cues if c in _NEARBY)
    if nearby:
        which = f"{nearby}と{words}" if words else nearby
        return f"{which}があるため、その人の{label}と判断しました。"
    return f"{words}があるため、個人の{label}と判断しました。"


# How person evidence that is no word of the text is told.
_NEARBY = {
    NAME_NEARBY: "近くに個人の氏名",
    NAME_IN_TEXT: "本文に個人の氏名",
    PERSONAL_NEARBY: "近くに個人の番号や連絡先",
}


def _person_reason(text: str, finding: Finding, cues: tuple[str, ...]) -> str:
    if not cues:
        return "人名辞書にある姓・名の組み合わせから氏名と判断しました。"
    # Whether a cue stands after the name (様, 課長) or before it (申請者：).
    after = normalize(text[finding.end : finding.end + 12]).text.lstrip(" ")
    following = [c for c in cues if after.startswith(c) or after[1:].startswith(c)]
    preceding = [c for c in cues if c not in following]
    if following and preceding:
        return f"『{preceding[0]}』の後、『{following[0]}』の前の語を氏名と判断しました。"
    if following:
        return f"『{following[0]}』の前の語を氏名と判断しました。"
    return f"『{preceding[0]}』の後の語を氏名と判断しました。"


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
