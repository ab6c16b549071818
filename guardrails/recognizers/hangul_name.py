"""Korean personal names in Hangul (김민준, 남궁민수), framed by their context.

A Hangul run that starts with a surname is as often a word (이번에, 정보를, 사장님) as a
name, so a name counts only where the text frames it:

* a self-introduction before it and a copula or particle after it (제 이름은
  김민준입니다, 저는 박지훈이라고 합니다; after 저는 not a title or occupation: 저는
  유학생입니다) → 0.85;
* a form label or role before it (이름: 김민준, 신청인 김민준, 相談者 김민준) → 0.85;
* an honorific after a full name of three or four syllables (김민준 씨, 이서연님,
  김민준さん) — not a title (사장님, 이사장님) → 0.85.

A name is a surname of ``_foreign_words.KOREAN_SURNAMES`` (two-syllable ones first) plus
one or two syllables; particles glued to it stay outside the span.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers import _foreign_words as vocab
from guardrails.recognizers import _kin_words as kin
from guardrails.recognizers._base import ContextRecognizer

SCORE = 0.85

_H = "\uac00-\ud7a3"


def _alternation(words: tuple[str, ...] | list[str] | frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_SURNAME = _alternation(vocab.KOREAN_SURNAMES)
_LABELS = [*vocab.KOREAN_LABELS, *vocab.JAPANESE_LABELS, *vocab.CHINESE_LABELS]
# A name right after a self-introduction ends at a copula (김민준입니다); after a label,
# at a space, punctuation or an honorific (성명: 강다은⏎) — a particle there would be
# ambiguous with a name's last syllable (은, 이 …).
_COPULA = "입니다|이에요|예요|이라고|라고|이고|이며|입니|이야"
_END = rf"(?=\s?(?:{_COPULA}|씨|님|さん|様)|[\s,.!?:;)(（）」]|$)"
_SELF = re.compile(
    rf"(?:{_alternation(vocab.KOREAN_SELF_INTRODUCTIONS)})\s?((?:{_SURNAME})[{_H}]{{1,2}}?)"
    rf"(?=\s?(?:{_COPULA})|[\s,.!?]|$)"
)
_WEAK = re.compile(
    rf"(?:{_alternation(vocab.KOREAN_WEAK_INTRODUCTIONS)})[\s,]+"
    rf"((?:{_SURNAME})[{_H}]{{1,2}}?)(?=\s?(?:{_COPULA}))"
)
_LABEL = re.compile(
    rf"(?:{_alternation(_LABELS)})\s?[:：]?\s?((?:{_SURNAME})[{_H}]{{1,2}}){_END}", re.I
)
# … or a kin or role word after the name, as staff note who came (최수빈 할머니가,
# 정호석, 민윤기 부부가 — each name of the pair).
_KIN_AFTER = ("할머니", "할아버지", "부부", "어머니", "아버지", "어르신", "학생", "군", "양")
_HONORED = re.compile(
    rf"(?<![{_H}])((?:{_SURNAME})[{_H}]{{2}})"
    rf"(?=\s?(?:{_alternation(vocab.KOREAN_HONORIFICS)})"
    rf"|\s(?:{_alternation(_KIN_AFTER)})(?:[가는은이을를와과도의께]|(?![{_H}])))"
)
_PAIR_BEFORE = re.compile(
    rf"(?<![{_H}])((?:{_SURNAME})[{_H}]{{2}}),\s?(?=(?:{_SURNAME})[{_H}]{{2}}\s(?:{_alternation(_KIN_AFTER)}))"
)
# A kin phrase (제 남편 이준호가, 우리 딸 한소희는): surname + two syllables, then a
# particle, a space or punctuation.
_KIN = re.compile(
    rf"(?:{_alternation(kin.KOREAN_POSSESSIVES)})\s(?:{_alternation(kin.KOREAN_KIN)})\s"
    rf"((?:{_SURNAME})[{_H}]{{2}})(?=[가는은이을를의와과도께]|\s|[,.!?]|씨|님|$)"
)
# A one-syllable surname and 씨 is how staff write about a resident (강 씨가 서류를,
# 황 씨 부부, 고 씨 댁): the surname alone is the name. Only with 씨 — 님 follows titles.
_ONE_SYLLABLE = re.compile(
    rf"(?<![{_H}])({_alternation([s for s in vocab.KOREAN_SURNAMES if len(s) == 1])})"
    rf"\s?씨(?=[가는은이을를의와과도께]?(?:[\s,.!?)]|$))"
)
# A full name, an aside in brackets, then the honorific: 양미라 (1985년생) 씨.
_HONORED_AFTER_ASIDE = re.compile(
    rf"(?<![{_H}])((?:{_SURNAME})[{_H}]{{2}})\s?[(（][^)）\n]{{1,20}}[)）]\s?"
    rf"(?:{_alternation(vocab.KOREAN_HONORIFICS)}|{_alternation(_KIN_AFTER)})"
)
# A given name alone after a kin noun, maybe with its possessive, as parents write it
# (제 딸 다은이가, 아들 봄이는, 남편 도윤은): one to three syllables, then the friendly 이
# of a name ending in a consonant and a particle, or a particle, a space, punctuation.
_KIN_GIVEN = re.compile(
    rf"(?:(?<=[\s,.!?:])|^)(?:(?:{_alternation(kin.KOREAN_POSSESSIVES)})\s)?"
    rf"(?:{_alternation(kin.KOREAN_KIN)})\s([{_H}]{{1,3}}?)"
    rf"(?=이(?:가|는|를|도|랑|와|한테|에게)|[가는은을를와과도](?:\s|[,.!?]|$)|\s?[,.!?]|$)",
    re.M,
)
# A given name before 엄마 / 아빠, as nurseries and schools name a parent (하늘 엄마가).
_PARENT_OF = re.compile(
    rf"(?<![{_H}])([{_H}]{{2,3}})\s(?:엄마|아빠|어머니|아버지|어머님|아버님)(?=[가는이를도께의]|\s|[,.!?]|$)"
)
# The Hangul writing of a name in brackets before a Japanese or Korean honorific
# (Park Ji-woo（박지우）さん, 朴智祐（박지우）様).
_BRACKETED = re.compile(rf"[（(]([{_H}]{{2,4}})[）)]\s?(?:さん|様|さま|씨|님)")
# Not a given name before or after a kin word: 딸 아이가, 친구 엄마, 우리 아빠.
_NOT_GIVEN = frozenset(
    "아 애 아이 애기 아기 하나 둘 셋 친구 가족 집 학교 회사 선생님 학생 우리 저희 제 그 이 저 다른"
    " 옆집 이웃 그분 사람 분 쪽 혼자 둘째 첫째 셋째 막내 큰 작은 새 남자 여자".split()
)
# Labels are no names (보호자 성명: …).
_NOT_NAMES = vocab.KOREAN_NOT_NAMES | frozenset(vocab.KOREAN_LABELS)
_ANY_HANGUL = re.compile(f"[{_H}]")


class HangulNameRecognizer(ContextRecognizer):
    """Recognise Korean names in Hangul by the context that frames them."""

    SUPPORTED_ENTITY: ClassVar[str] = "PERSON"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Names framed by a self-introduction, a label or an honorific."""
        if not _ANY_HANGUL.search(text):
            return []
        spans: set[tuple[int, int]] = set()
        for pattern in (
            _SELF,
            _WEAK,
            _LABEL,
            _HONORED,
            _KIN,
            _PAIR_BEFORE,
            _ONE_SYLLABLE,
            _HONORED_AFTER_ASIDE,
        ):
            pos = 0
            while (match := pattern.search(text, pos)) is not None:
                if match.group(1) in _NOT_NAMES:
                    # a label read as a name: look again from it (성명: 장동건)
                    pos = max(match.start(1), match.start() + 1)
                    continue
                spans.add(match.span(1))
                pos = match.end()
        for pattern in (_KIN_GIVEN, _PARENT_OF, _BRACKETED):
            for match in pattern.finditer(text):
                given = match.group(1)
                if given not in _NOT_GIVEN and given not in _NOT_NAMES:
                    spans.add(match.span(1))
        return self.results((span, SCORE) for span in spans)
