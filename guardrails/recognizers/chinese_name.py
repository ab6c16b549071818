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
from guardrails.recognizers._chinese_text import (
    ChineseClauses,
    has_chinese_clause,
    written_in_japanese,
)

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
# Whose kin: the name before 的 and a kin noun (宋佳的妈妈, 姚佳怡的外婆) — Chinese writes
# no boundary before the name, so ``_kin_owner`` tries three characters, then two.
_OF_KIN = re.compile(
    rf"(?<=[{_HAN}])的(?:{_alternation([*kin.CHINESE_KIN, '姥姥', '姥爷', '家长', '家人', '孙子', '孙女'])})"
)
# A household by its one-character surname (徐家的狗, 邓家两个孩子, 毛家老太太).
_HOUSEHOLD = re.compile(
    rf"(?<![{_HAN}])({_SURNAME})家(?=的|两|三|老|孩|小孩|大人|门口|里|人|有|的人)"
    rf"|(?<=[是在和跟给到对说找把，。：、\s])({_SURNAME})家(?=的|两|三|老|孩|小孩|门口|里)"
)
# A second name joined to a found one (许文杰和吕婷一起来, 白雪和龙飞一起).
_JOINED = re.compile(
    rf"(?:和|与|與|跟|、)({_SURNAME}[{_HAN}]{{1,2}}?)(?=一起|两人|兩人|夫妇|夫婦|都|，|,|、|。|来|來)"
)
_FIRST_JOINED = re.compile(
    rf"(?<![{_HAN}])({_SURNAME}[{_HAN}]{{1,2}}?)(?:和|与|與|跟)(?={_SURNAME}[{_HAN}]{{1,2}}?(?:一起|两人|兩人|夫妇|夫婦))"
)
# A name opening a clause, then its birth year or age in brackets (金杰（1983年生）办理,
# 钟伟(45岁)).
_AGED = re.compile(
    rf"(?<![{_HAN}])({_SURNAME}[{_HAN}]{{1,2}}?)(?=\s?[（(][^）)\n]{{0,12}}(?:生|岁|歲)[）)])"
)
# A given name alone after a kin noun, as parents write it (我的儿子浩然明天, 她女儿甜甜今年,
# 妻子蓝月，): two characters, then a non-Han character or a word that opens a predicate.
_KIN_ONLY = (
    "儿子 兒子 女儿 女兒 妻子 丈夫 老公 老婆 爱人 愛人 孩子 母亲 母親 父亲 父親 妈妈 媽媽 爸爸 哥哥"
    " 姐姐 弟弟 妹妹 孙子 孫子 孙女 孫女 奶奶 爷爷 爺爺 外婆 外公".split()
)
_KIN_GIVEN = re.compile(
    rf"(?:我的|我|她的|她|他的|他|我们的|我們的|[，,、：:\s]|^)(?:{_alternation(_KIN_ONLY)})"
    rf"[\s：:]?([{_HAN}]{{2}})(?=[^{_HAN}]|$|明天|今天|今年|昨天|现在|現在|在|是|有|也|对|對|不|没|沒"
    rf"|上|去|来|來|说|說|得|已|发|發|要|想|会|會|和|一直|从|從)",
    re.M,
)
# Not a given name after a kin noun: when, where and how words (我儿子今年, 女儿现在).
_NOT_GIVEN = frozenset(
    "今年 明天 今天 昨天 现在 現在 已经 已經 还是 還是 一直 刚刚 剛剛 上学 上學 生病 发烧 發燒 也是"
    " 都是 一起 因为 因為 所以 的事 的话 的話 以前 以后 以後 今后 在家 出生 工作 学校 學校"
    " 小学 小學 小时 小時 小孩 阿姨".split()
)
# A list after a list label (参加日语班的学员：高原、文静、白雪。): every item a name.
_LIST_LABEL = re.compile(
    r"(?:名单|名單|学员|學員|参加者|參加者|成员|成員|家属|家屬|人员|人員)[：:]"
)
_LIST_ITEM = re.compile(rf"([{_HAN}]{{2,3}})(?:[、，,]|(?=[。.\n]|$))")
# A surname this list lacks, written in characters Japanese does not use, before a
# Chinese honorific (蔺先生): one character.
_RARE_SURNAME_HONORED = re.compile(rf"(?<![{_HAN}])([{_HAN}])(?=(?:先生|女士|小姐|太太|阿姨))")
# A name before an ethnicity in brackets (阿依古丽（维吾尔族）).
_ETHNICITY_AFTER = re.compile(rf"(?<![{_HAN}])([{_HAN}]{{2,5}})(?=[（(][{_HAN}]{{1,4}}族[）)])")
# The owner of a contact value, in brackets after it (邮件：li@163.com（李华）).
_CONTACT_OWNER = re.compile(
    rf"(?:[\w.+\-]+[@＠][\w.\-]+\.[a-z]{{2,}}|\d[\d\-‐ ]{{8,}}\d)\s?[（(]([{_HAN}]{{2,4}})[）)]"
)
# A one-character surname, さん and a Chinese-speaking country in brackets (王さん（中国）).
_SURNAME_SAN_COUNTRY = re.compile(
    rf"(?<![{_HAN}])({_SURNAME})(?=さん[（(](?:中国|台湾|香港|マカオ|シンガポール)[）)])"
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
            "さん（中国）",
            "さん(中国)",
            "さん（台湾）",
            "さん（香港）",
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
        # Kin, household and joined names need Chinese text: characters Japanese does
        # not write, or a Chinese clause (方家的孩子今天没来 has none of those).
        clauses = ChineseClauses(text) if not foreign and has_chinese_clause(text) else None
        if foreign or clauses is not None:

            def chinese(span: tuple[int, int]) -> bool:
                return foreign or (clauses is not None and clauses.covers(*span))

            for match in _OF_KIN.finditer(text):
                owner = _kin_owner(text, match.start())
                if owner is not None and chinese(owner):
                    found.setdefault(owner, STRONG)
            for match in _HOUSEHOLD.finditer(text):
                span = match.span(1 if match.group(1) else 2)
                if chinese(span):
                    found.setdefault(span, STRONG)
            for match in _AGED.finditer(text):
                if chinese(match.span(1)):
                    found.setdefault(match.span(1), STRONG)
            for match in _KIN_GIVEN.finditer(text):
                given = match.group(1)
                if (
                    chinese(match.span(1))
                    and given not in _NOT_GIVEN
                    and given not in vocab.CHINESE_NOT_NAMES
                    # 小 opens children's names (小雨, 小宝): allowed first, not 小学
                    and not any(
                        c in vocab.CHINESE_STOP_CHARS and not (i == 0 and c in "小阿")
                        for i, c in enumerate(given)
                    )
                ):
                    found.setdefault(match.span(1), STRONG)
            for label in _LIST_LABEL.finditer(text):
                at = label.end()
                while (item := _LIST_ITEM.match(text, at)) is not None:
                    if chinese(item.span(1)) and item.group(1) not in vocab.CHINESE_NOT_NAMES:
                        found.setdefault(item.span(1), STRONG)
                    at = item.end()
            for match in _RARE_SURNAME_HONORED.finditer(text):
                if chinese(match.span(1)) and not written_in_japanese(match.group(1)):
                    found.setdefault(match.span(1), STRONG)
            for match in _ETHNICITY_AFTER.finditer(text):
                if chinese(match.span(1)):
                    found.setdefault(match.span(1), STRONG)
            for match in _FIRST_JOINED.finditer(text):
                if chinese(match.span(1)):
                    found.setdefault(match.span(1), STRONG)
            for _ in range(2):  # a name joined to one joined to a found one
                for _start, end in list(found):
                    joined = _JOINED.match(text, end)
                    if joined is not None and chinese(joined.span(1)):
                        found.setdefault(joined.span(1), STRONG)
        for match in _CONTACT_OWNER.finditer(text):
            name = match.group(1)
            if (foreign or _SURNAME_AT.match(name)) and name[-1] not in _UNIT_ENDS:
                found.setdefault(match.span(1), STRONG)
        for match in _SURNAME_SAN_COUNTRY.finditer(text):
            found.setdefault(match.span(1), STRONG)
        for match in _HONORED.finditer(text):
            surname = _SURNAME_AT.match(match.group(1))
            alone = surname is not None and surname.end() == len(match.group(1))
            found.setdefault(match.span(1), WEAK if alone else STRONG)
        return self.results(found.items())


def _kin_owner(text: str, at: int) -> tuple[int, int] | None:
    """The name ending at ``at`` (before 的 + kin noun): three characters when they open
    with a surname after a non-Han character or a verb, else two."""
    for size in (3, 2):
        start = at - size
        if start < 0 or not _SURNAME_AT.match(text, start):
            continue
        if not all(_HAN_CHAR.match(c) for c in text[start:at]):
            continue
        # 小 opens given names (蔡小燕的妈妈): allowed right after a surname
        inner = text[start + 1 : at]
        if any(
            c in vocab.CHINESE_STOP_CHARS and not (i == 0 and c == "小" and size == 3)
            for i, c in enumerate(inner)
        ):
            continue
        if text[at - 1] == "家":
            return None  # a household (马家的孩子): _HOUSEHOLD takes its surname
        return start, at
    return None


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
