"""The words that made a finding what it is, for the explanation staff read.

A name is a name because of 様 after it or 申請者： before it; a number is a マイナンバー
because 個人番号 stands before it. The words come from the recognisers' own vocabulary
(honorifics, titles, labels, context words), looked up around the finding: they are
never the value itself, so they may be shown and stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from guardrails.recognizers import _person_words as words

_LABEL_WINDOW = 20  # characters before a finding where its label stands
_AFTER_WINDOW = 8
_SEPARATORS = " \u3000:：=は、の「『(（"
_PERSON_TITLES = re.compile(
    "|".join(
        map(
            re.escape,
            sorted(
                words.HONORIFICS | words.ROLES_AFTER | {"と申します", "です", "方"},
                key=len,
                reverse=True,
            ),
        )
    )
)
_PERSON_LABELS = re.compile(
    "(?:"
    + "|".join(
        map(
            re.escape,
            sorted(
                words.ROLES_BEFORE | words.PERSON_FIELD_LABELS | words.NAME_LABELS,
                key=len,
                reverse=True,
            ),
        )
    )
    + r")\Z"
)
_ACTS = re.compile(
    "[がは](?:" + "|".join(sorted(words.PERSON_ACTIONS, key=len, reverse=True)) + ")"
)


def person_cues(text: str, start: int, end: int) -> tuple[str, ...]:
    """An honorific or title right after a name (様, 課長), a label right before it
    (申請者：, 担当の) or an act after it (が担当); empty when the name was known as
    one from the dictionary alone."""
    cues: list[str] = []
    after = text[end : end + _AFTER_WINDOW].lstrip(" \u3000")
    title = _PERSON_TITLES.match(after)
    if title:
        cues.append(title.group())
    elif act := _ACTS.match(after):
        cues.append(act.group())
    before = text[max(0, start - _LABEL_WINDOW) : start].rstrip(_SEPARATORS)
    label = _PERSON_LABELS.search(before)
    if label:
        cues.append(label.group())
    return tuple(cues)


def label_cues(text: str, start: int, end: int, labels: Iterable[str]) -> tuple[str, ...]:
    """The recogniser's context words (マイナンバー, 口座番号 …) just before or after a
    finding: the label that named the number."""
    before = text[max(0, start - _LABEL_WINDOW) : start].lower()
    after = text[end : end + _AFTER_WINDOW].lower()
    found = [w for w in labels if w and (w.lower() in before or w.lower() in after)]
    # The longest first, and no word inside another one found (電話 in 電話番号).
    found.sort(key=len, reverse=True)
    kept: list[str] = []
    for word in found:
        if not any(word.lower() in k.lower() for k in kept):
            kept.append(word)
    return tuple(kept[:2])
