"""Whether a name is written as somebody's relative: 長男 松浦宏, 祖母の 柳田千鶴子,
Su nieta, Valentina del Valle, her son Lukas Kowalski, 제 남편 한도윤, 我的女儿陈思琪.

The mapping needs it for one decision only. A surname written alone with an honorific
or title (La señora del Valle, 松浦さん) joins the one longer name it is part of — but a
relative named *after* that surname shares the family name with the person they are
the relative of, who is most often the one the earlier surname meant ("La señora del
Valle llamó ayer. Su nieta, Valentina del Valle, …": two people). Merging them would
give the model one placeholder for two people and show the granddaughter's full name
where the grandmother was meant. The kin words themselves are the closed classes of
``recognizers._kin_words`` (read, not changed) and the Japanese form labels of a family.
"""

from __future__ import annotations

import re

from guardrails.recognizers._kin_words import (
    _AFTER,
    _BEFORE,
    CHINESE_KIN,
    CONNECTORS,
    KOREAN_KIN,
)

# Japanese relations written before a name, as a label (妻：…, 長男 …) or with の (祖母の …).
_JA_KIN = (
    "長男 長女 次男 次女 三男 三女 息子 娘 妻 夫 母 父 祖母 祖父 孫 義母 義父 兄 弟 姉 妹 夫人"
    " 配偶者 同居家族 同居人 実母 実父 養母 養父 子 子ども 子供 嫁 婿 甥 姪 叔母 伯母 叔父 伯父"
).split()
# Third-person possessives are not among the cue phrases of _kin_words (a name after
# "su hija" is a cue there only with "mi"), but "Su nieta, X" is a relative all the same.
_MORE_POSSESSIVES = ("su", "sus", "sua", "seu", "dele", "dela")
# Adjectives of the English cue table (my little …), not relations.
_NOT_RELATIONS = frozenset(("older", "younger", "little"))


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _latin_kin_pattern() -> re.Pattern[str]:
    before_possessives = set(_MORE_POSSESSIVES)
    before_nouns: set[str] = set()
    for possessives, nouns in _BEFORE.values():
        before_possessives.update(possessives)
        before_nouns.update(set(nouns.split()) - _NOT_RELATIONS)
    after_possessives: set[str] = set()
    after_nouns: set[str] = set()
    for possessives, nouns in _AFTER.values():
        after_possessives.update(possessives)
        after_nouns.update(nouns.split())
    relation = (
        rf"\b(?:(?:{_alternation(before_possessives)})\s+(?:{_alternation(before_nouns)})"
        rf"|(?:{_alternation(after_nouns)})(?:\s+(?:trai|gái|gai))?\s+(?:{_alternation(after_possessives)}))"
    )
    connector = rf"(?:\s+(?:{_alternation(set(CONNECTORS))}))?(?:\s+si)?"
    return re.compile(rf"(?i:{relation}){connector},?\s+$")


_LATIN_KIN = _latin_kin_pattern()
_JA_KIN_BEFORE = re.compile(
    r"(?<![\u4e00-\u9fff々])(?:" + "|".join(sorted(_JA_KIN, key=len, reverse=True)) + r")"
    r"(?:の|[：:])?[ \u3000]*$"
)
_HANGUL_CJK_KIN_BEFORE = re.compile(
    r"(?:" + "|".join(sorted((*KOREAN_KIN, *CHINESE_KIN), key=len, reverse=True)) + r")\s*$"
)
_WINDOW = 24


def written_as_relative(text: str, start: int) -> bool:
    """True when the name at ``start`` follows a kinship word: 長男 …, 祖母の …, 妻：…,
    my son …, Su nieta, …, 제 딸 …, 我的女儿…"""
    before = text[max(0, start - _WINDOW) : start]
    return bool(
        _JA_KIN_BEFORE.search(before)
        or _LATIN_KIN.search(before)
        or _HANGUL_CJK_KIN_BEFORE.search(before)
    )
