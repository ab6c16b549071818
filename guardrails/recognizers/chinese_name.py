"""Chinese personal names in Han characters (王伟, 欧阳娜娜), framed by their context.

In Chinese text Sudachi's Japanese analysis finds no names, and a surname character
starts countless words, so a name counts only where the text frames it:

* a self-introduction before it (我叫王伟, 我的名字是李娜; any surname, also one the
  list lacks: 我叫詹莹) → 0.85, or a weak one
  (我是王伟，…) when the name ends the clause → 0.85;
* a Chinese form label before it (姓名：王伟, 申请人 张伟; any surname) → 0.85; a
  Japanese one (相談者 王伟) with a known surname, unless Sudachi reads the word as a
  common noun (対象者：高齢者), or with any surname when the name has a character
  Japanese does not write (相談者 单秀兰, 邝明: outside CP932, no Japanese word) → 0.85;
* a Japanese honorific after such a name (本日、单秀兰様から電話) → 0.85;
* a Chinese honorific after it (王伟先生, 李娜女士, 陈小姐) → 0.85 (0.6 for a surname
  alone: 陈小姐).

A name is a surname of ``_foreign_words.CHINESE_SURNAMES`` (two-character ones first)
plus one or two characters that are not grammar (我叫王伟住在… → 王伟).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._nlp_engine import Morpheme
from guardrails.recognizers import _foreign_words as vocab
from guardrails.recognizers import _kin_words as kin
from guardrails.recognizers._base import ContextRecognizer
from guardrails.recognizers._chinese_text import written_in_japanese

STRONG = 0.85
WEAK = 0.6

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_SURNAME = f"(?:{_alternation(vocab.CHINESE_SURNAMES)})"
_SELF = re.compile(rf"(?:{_alternation(vocab.CHINESE_SELF_INTRODUCTIONS)})\s?(?=[{_HAN}])")
_WEAK = re.compile(rf"(?:{_alternation(vocab.CHINESE_WEAK_INTRODUCTIONS)})\s?(?={_SURNAME})")
_LABEL = re.compile(rf"(?:{_alternation(vocab.CHINESE_LABELS)})\s?[:：]?\s?(?=[{_HAN}])")
# Japanese labels frame Japanese words too (対象者：高齢者, 担当：福祉課): a known surname
# only, and not a word Sudachi reads as a common noun.
_JAPANESE_LABEL = re.compile(
    rf"(?:{_alternation(vocab.JAPANESE_LABELS)})\s?[:：]?\s?(?={_SURNAME})"
)
_JAPANESE_LABEL_ANY = re.compile(
    rf"(?:{_alternation(vocab.JAPANESE_LABELS)})\s?[:：]?\s?(?=[{_HAN}])"
)
# What units and facilities end with (市民课様 is a letter to a division, not a person).
_UNIT_ENDS = frozenset("课課科部局处處所室园園馆館校院会會司")
_BEFORE_JAPANESE_HONORIFIC = re.compile(
    rf"(?<![{_HAN}])[{_HAN}]{{2,4}}(?=\s?(?:様|さま|さん|氏|殿))"
)
# Chinese names are written against the words before them (请转告林先生): no boundary.
_HONORED = re.compile(
    rf"({_SURNAME}[{_HAN}]{{0,2}}?)(?=\s?(?:{_alternation(vocab.CHINESE_HONORIFICS)}))"
)
# A kin phrase before the name (我的妻子陈静, 我儿子王浩然), or the name before the kin
# noun of "I am X's …" (我是郭敬的丈夫): a known surname.
_KIN = re.compile(
    rf"(?:{_alternation(kin.CHINESE_POSSESSIVES)})(?:{_alternation(kin.CHINESE_KIN)})"
    # 我丈夫叫钱进, 我女儿名叫…, 我先生是…: a verb of naming between kin and name
    rf"(?:叫|名叫|叫做|是|姓名是)?[，,]?\s?"
    rf"(?={_SURNAME})"
)
# A kin or role noun right before the name, no possessive (和太太孙俪来办理, 实习生唐亮的
# 在留卡): taken only in text Japanese does not write.
_ROLE_BEFORE = re.compile(
    rf"(?:{_alternation([*kin.CHINESE_KIN, '技能实习生', '实习生', '研修生', '留学生', '邻居', '同事'])})"
    rf"(?={_SURNAME})"
)
_KIN_OF = re.compile(
    rf"(?:我是|我就是)({_SURNAME}[{_HAN}]{{1,2}}?)的(?:{_alternation(kin.CHINESE_KIN)})"
)
_SURNAME_AT = re.compile(_SURNAME)
_CLAUSE_END = re.compile(r"\s?(?:[，,。.！!？?、；;）)」\n]|$)")
_ANY_SURNAME = re.compile(_SURNAME)
_HAN_CHAR = re.compile(f"[{_HAN}]")
# Some cue of any rule must occur at all (most Japanese prompts have none).
_ANY_CUE = re.compile(
    _alternation(
        [
            *vocab.CHINESE_SELF_INTRODUCTIONS,
            *vocab.CHINESE_WEAK_INTRODUCTIONS,
            *vocab.CHINESE_LABELS,
            *vocab.JAPANESE_LABELS,
            *vocab.CHINESE_HONORIFICS,
            *kin.CHINESE_KIN,
        ]
    )
)


class ChineseNameRecognizer(ContextRecognizer):
    """Recognise Chinese names in Han characters by the context that frames them."""

    SUPPORTED_ENTITY: ClassVar[str] = "PERSON"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Names framed by a self-introduction, a label or an honorific."""
        # Characters Japanese does not write are a cue of their own (单秀兰様).
        foreign = not written_in_japanese(text)
        if not foreign and not _ANY_CUE.search(text):
            return []
        found: dict[tuple[int, int], float] = {}
        for pattern, weak in ((_SELF, False), (_LABEL, False), (_WEAK, True)):
            for match in pattern.finditer(text):
                span = _name_at(text, match.end(), any_surname=not weak)
                if span is None:
                    continue
                if weak and not _CLAUSE_END.match(text, span[1]):
                    continue
                found.setdefault(span, STRONG)
        for match in _KIN.finditer(text):
            span = _name_at(text, match.end())
            if span is not None:
                found.setdefault(span, STRONG)
        for match in _KIN_OF.finditer(text):
            found.setdefault(match.span(1), STRONG)
        morphemes = getattr(nlp_artifacts, "morphemes", ())
        for match in _JAPANESE_LABEL.finditer(text):
            span = _name_at(text, match.end())
            if span is not None and not _common_noun(morphemes, *span):
                found.setdefault(span, STRONG)
        if foreign:
            for match in _ROLE_BEFORE.finditer(text):
                span = _name_at(text, match.end())
                if span is not None and _CLAUSE_END.match(text, span[1]) is None:
                    found.setdefault(span, STRONG)
            # Any surname after a Japanese label or before a Japanese honorific, when the
            # name is written in characters Japanese does not use (相談者 单秀兰, 邝明;
            # 本日、单秀兰様から電話): no Japanese word.
            for match in _JAPANESE_LABEL_ANY.finditer(text):
                if any(text.startswith(word, match.start()) for word in kin.CHINESE_KIN):
                    continue  # 妻 of 妻子 is no label: 我的妻子陈静
                span = _name_at(text, match.end(), any_surname=True)
                if span is not None and not written_in_japanese(text[span[0] : span[1]]):
                    found.setdefault(span, STRONG)
            for match in _BEFORE_JAPANESE_HONORIFIC.finditer(text):
                name = match.group()
                if not written_in_japanese(name) and name[-1] not in _UNIT_ENDS:
                    found.setdefault(match.span(), STRONG)
        for match in _HONORED.finditer(text):
            surname = _SURNAME_AT.match(match.group(1))
            alone = surname is not None and surname.end() == len(match.group(1))
            found.setdefault(match.span(1), WEAK if alone else STRONG)
        return self.results(found.items())


def _common_noun(morphemes: Sequence[Morpheme], start: int, end: int) -> bool:
    """``[start, end)`` lies inside Sudachi words that are all common nouns (高齢者)."""
    inside = [m for m in morphemes if m.start < end and start < m.end]
    return (
        bool(inside)
        and inside[0].start <= start
        and inside[-1].end >= end
        and all(m.pos[1] == "普通名詞" and not m.oov for m in inside)
    )


def _name_at(text: str, pos: int, *, any_surname: bool = False) -> tuple[int, int] | None:
    """Span of a surname and a one- or two-character given name at ``pos``; with
    ``any_surname`` (after 我叫 or 姓名：) the surname may be one the list lacks (詹, 单),
    but not a character that is grammar or a common word's start (我叫什么)."""
    surname = _SURNAME_AT.match(text, pos)
    if surname is not None:
        end = surname.end()
    elif any_surname and pos < len(text) and _HAN_CHAR.match(text[pos]):
        if text[pos] in vocab.CHINESE_STOP_CHARS or text[pos : pos + 2] in vocab.CHINESE_NOT_NAMES:
            return None
        end = pos + 1
    else:
        return None
    # A space between surname and given name, as forms space them (梁 秀珍).
    if end + 1 < len(text) and text[end] == " " and _HAN_CHAR.match(text[end + 1]):
        end += 1
    given = 0
    while given < 2 and end < len(text) and re.match(f"[{_HAN}]", text[end]):
        if text[end] in vocab.CHINESE_STOP_CHARS:
            break
        end += 1
        given += 1
    return (pos, end) if given else None
