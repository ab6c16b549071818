"""Personal names (氏名): Sudachi's 人名 tags plus honorific, role and label context.

Sudachi (``名詞-固有名詞-人名-姓/名/一般``) knows common surnames and given names but
mis-tags some words (国又, 一条 in laws) and misses rare given names, which it splits
into single kanji (柚木|毅|文). The rules, in decreasing order of evidence:

* a name word (人名) with a label before it (申請者：, 担当の, 世帯主) or an honorific /
  title after it (さん, 様, 課長, と申します): 0.85;
* a name word continued by a given name (姓+名, 姓 + rare kanji, 伊藤 さくら, katakana
  names joined by ・): 0.85 when both parts are name words, else 0.6;
* a word Sudachi does not tag as a name, when a field label (氏名：) or a
  self-introduction (担当の堀です) frames it: 0.85; when an honorific or a non-place
  title follows it (扇畑さん, 湯田委員): 0.6;
* hiragana-only given names before an honorific or after a label (see _person_words);
* a lone 姓 or 名 without context is never reported (laws, place names, 市長 …), nor
  placeholders (〇〇さん, Aさん, 甲様) or common nouns (皆様, ご担当者様).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._nlp_engine import Morpheme
from guardrails.recognizers import _person_words as words

STRONG = 0.85
WEAK = 0.6

_KANJI = re.compile(r"[\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HIRAGANA = re.compile(r"[\u3041-\u3096\u309d\u309e\u30fc]+")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc-\u30fe]+")
_LETTERS = re.compile(
    r"[\u3005\u3006\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe"
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
# Sudachi glues connectives of legal prose to nouns (国又, 長又, 法等); numerals alone
# (四十四) are article numbers. Numerals inside names are fine (三浦, 健一).
_NOT_LAST_IN_NAMES = frozenset("又等及並若其此")
_NUMERALS = re.compile(r"[一二三四五六七八九十百千万〇]+")
_NAME_JOINERS = frozenset("・= ")
_FIELD_SEPARATORS = frozenset([":", "：", " "])
_SEPARATORS = _FIELD_SEPARATORS | frozenset(["の", "は", "が", "、", ",", "「", "『", "("])
_GRAMMAR = frozenset(["助詞", "助動詞"])
_NOUNISH = frozenset(["名詞", "接頭辞"])


def _is_kanji(s: str) -> bool:
    return _KANJI.fullmatch(s) is not None


class PersonRecognizer(EntityRecognizer):
    """Recognise personal names from the Sudachi morphemes of the NLP artifacts."""

    HONORIFICS: ClassVar[frozenset[str]] = words.HONORIFICS
    ROLES_AFTER: ClassVar[frozenset[str]] = words.ROLES_AFTER
    ROLES_BEFORE: ClassVar[frozenset[str]] = words.ROLES_BEFORE
    SUPPORTED_ENTITY: ClassVar[str] = "PERSON"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def __init__(
        self,
        honorifics: Sequence[str] | None = None,
        roles_after: Sequence[str] | None = None,
        roles_before: Sequence[str] | None = None,
        supported_language: str | None = None,
    ) -> None:
        self.honorifics = frozenset(self.HONORIFICS if honorifics is None else honorifics)
        self.roles_after = frozenset(self.ROLES_AFTER if roles_after is None else roles_after)
        self.roles_before = frozenset(self.ROLES_BEFORE if roles_before is None else roles_before)
        # Where a given name stops: 斎藤 七夏|委員, 野口 彩絵美|さん.
        self._stops = self.honorifics | self.roles_after | words.FIELD_WORDS
        super().__init__(
            supported_entities=[self.SUPPORTED_ENTITY],
            name=type(self).__name__,
            supported_language=supported_language or self.SUPPORTED_LANGUAGE,
            context=[],
        )

    def load(self) -> None:
        """Nothing to load: the Sudachi dictionary belongs to the NLP engine."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Names found in the morphemes of ``nlp_artifacts`` (none without them)."""
        ms: Sequence[Morpheme] = getattr(nlp_artifacts, "morphemes", ())
        results: list[RecognizerResult] = []
        i = 0
        while i < len(ms):
            # Names are nouns (or start with a prefix word); skip the rest cheaply.
            if ms[i].pos[0] not in _NOUNISH:
                i += 1
                continue
            found = self._name_at(ms, i)
            if found is None:
                i += 1
                continue
            last, score = found
            start = i - 1 if i > 0 and self._split_surname_head(ms, i) else i
            results.append(self._result(ms[start].start, ms[last].end, score))
            i = last + 1
        grammar = {m.start: m.end for m in ms if m.pos[0] in _GRAMMAR}
        results += [
            self._result(start, end, WEAK) for start, end in words.kana_given_names(text, grammar)
        ]
        return results

    # -- the rules --------------------------------------------------------------------
    def _name_at(self, ms: Sequence[Morpheme], i: int) -> tuple[int, float] | None:
        """(index of the name's last morpheme, score) for a name starting at ``i``."""
        m = ms[i]
        if not _name_like(m) or m.surface in words.PLACEHOLDERS:
            return None
        if _is_name_word(m) or _KATAKANA.fullmatch(m.surface):
            labelled = self._label_before(ms, i, self.roles_before)
            last, parts, tagged = _extend_name(ms, i, self._stops, labelled=labelled)
            if tagged:
                if labelled or self._title_after(ms, last):
                    return last, STRONG
                # Two single kanji (史|公, 治|法) are mostly a word cut by Sudachi or by
                # the edge of a pasted excerpt: such short names need context.
                long_enough = ms[last].end - m.start >= 3
                if parts < 2 and self._alone_on_line(ms, i, last):
                    return None if _has_numeral(ms, i, last) else (last, WEAK)
                if parts < 2 or not long_enough or self._not_person_after(ms, last):
                    return None
                if tagged >= 2:
                    return last, STRONG
                # Half-known names must also stand as a word of their own: not glued
                # to kanji on either side (第四章 歴史公文書, 旨二 入管法第十八条).
                if _glued(ms, i - 1) or _glued(ms, last + 1):
                    return None
                return last, WEAK
        return self._untagged_name_at(ms, i)

    def _untagged_name_at(self, ms: Sequence[Morpheme], i: int) -> tuple[int, float] | None:
        """Words Sudachi does not tag as names, framed as names by their context."""
        m = ms[i]
        if self._label_before(ms, i, words.NAME_LABELS, strict=True):
            return _extend_name(ms, i, self._stops)[0], STRONG
        if self._label_before(ms, i, words.SELF_INTRO_LABELS, joiner="の"):
            last = _kanji_run_end(ms, i, self._stops)
            if last is not None and _is_copula(ms, last + 1):
                return last, STRONG
        if i + 2 < len(ms) and ms[i + 1].surface == " " and len(m.surface) <= 3:
            # A surname read as a common noun, a space, a given name, a title:
            # 出口 典飛さん, 目黒 政大委員.
            spaced = _spaced_given_name(ms, i + 2, m, self._stops)
            if spaced is not None and self._title_after(ms, spaced[0]):
                return spaced[0], STRONG
        after = ms[i + 1] if i + 1 < len(ms) else None
        if after is None:
            return None
        proper = m.oov or (m.pos[1] == "固有名詞" and m.pos[2] != "組織")
        # A place takes place titles (横浜市長, 東京都知事), not personal ones.
        if proper and after.surface in self.roles_after - words.PLACE_ROLES:
            return i, WEAK
        if after.lemma not in self.honorifics:
            return None
        # Common nouns take honorifics too (お客様, 大家さん, ご担当者様): a short kanji
        # common noun is a surname (星様) only when it is none of those and follows
        # no お/ご prefix.
        if proper or (
            _is_kanji(m.surface)
            and len(m.surface) <= 3
            and not words.honored_common_noun(m.surface)
            and not (i > 0 and ms[i - 1].pos[0] == "接頭辞")
        ):
            return i, WEAK
        return None

    def _split_surname_head(self, ms: Sequence[Morpheme], i: int) -> bool:
        """Sudachi cuts some rare surnames after their first kanji (鈴|村佐|豊美)."""
        head = ms[i - 1]
        return (
            _fragment(head)
            and head.surface not in self.roles_before
            and head.end == ms[i].start
            and (i < 2 or not _is_kanji(ms[i - 2].surface[-1:]))
        )

    @staticmethod
    def _not_person_after(ms: Sequence[Morpheme], last: int) -> bool:
        return last + 1 < len(ms) and ms[last + 1].surface in words.NOT_PERSON_AFTER

    def _title_after(self, ms: Sequence[Morpheme], last: int) -> bool:
        j = last + 1
        if j < len(ms) and ms[j].surface == " ":
            j += 1
        if j >= len(ms):
            return False
        word = ms[j]
        if word.lemma in self.honorifics or word.surface in self.roles_after:
            return True
        following = ms[j + 1].surface if j + 1 < len(ms) else ""
        two = following + (ms[j + 2].surface if j + 2 < len(ms) else "")
        # 佐藤と申します; 坂が担当, 吉山が現地確認 (a person acts); 小泉へ。 (memo to)
        return (
            (word.surface == "と" and j + 1 < len(ms) and ms[j + 1].lemma == "申す")
            or (word.surface in ("が", "は") and bool(words.PERSON_ACTIONS & {following, two}))
            or (word.surface == "へ" and following in ("。", "\n", ""))
        )

    @staticmethod
    def _alone_on_line(ms: Sequence[Morpheme], i: int, last: int) -> bool:
        """A signature: the name is the whole line (…お願いします。\n村上\n)."""
        before = ms[i - 1].surface if i > 0 else "\n"
        after = ms[last + 1].surface if last + 1 < len(ms) else "\n"
        return before.endswith("\n") and after.startswith("\n")

    @staticmethod
    def _label_before(
        ms: Sequence[Morpheme],
        i: int,
        labels: frozenset[str],
        *,
        strict: bool = False,
        joiner: str | None = None,
    ) -> bool:
        """A label word right before ``i``, joined by a separator. ``strict``: only a
        colon or a space (申請者の住所 does not make 住所 a name); ``joiner``: exactly
        that word."""
        j = i - 1
        allowed = {joiner} if joiner else (_FIELD_SEPARATORS if strict else _SEPARATORS)
        if j >= 0 and ms[j].surface in allowed:
            j -= 1
        elif strict or joiner:
            return False
        if j < 0:
            return False
        label = ms[j].surface
        if ms[j].pos[0] == "接尾辞" and j > 0:  # 対応|者, 記録|者
            label = ms[j - 1].surface + label
        # ごみ減量推進課 山田: a unit's name ends the label.
        return label in labels or (not strict and label.endswith(words.UNIT_SUFFIXES))

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.SUPPORTED_ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


def _letters(surface: str) -> bool:
    return _LETTERS.fullmatch(surface) is not None


def _name_like(m: Morpheme) -> bool:
    """A noun of letters only (kanji and/or kana) that could be (part of) a name."""
    surface = m.surface
    if m.pos[0] not in ("名詞", "接頭辞") or not _letters(surface):
        return False
    if len(surface) == 1 and not _is_kanji(surface):
        return False  # イ, ホ: list items in laws
    return surface[-1] not in _NOT_LAST_IN_NAMES and not _NUMERALS.fullmatch(surface)


def _is_name_word(m: Morpheme) -> bool:
    return m.pos[1] == "固有名詞" and m.pos[2] == "人名" and _name_like(m)


def _fragment(word: Morpheme) -> bool:
    """One kanji that may be part of a rare given name (西澤|順|士, 野島|貴|瑞)."""
    return (
        len(word.surface) == 1
        and word.pos[0] in ("名詞", "接尾辞", "接頭辞")
        and word.surface not in words.NOT_GIVEN
        and _is_kanji(word.surface)
    )


def _has_numeral(ms: Sequence[Morpheme], i: int, last: int) -> bool:
    """六条, 四十四: article numbers cut out of a heading, not signatures."""
    return any(_NUMERALS.search(m.surface) for m in ms[i : last + 1])


def _glued(ms: Sequence[Morpheme], j: int) -> bool:
    """True when ``ms[j]`` exists and is a kanji or digit word."""
    return 0 <= j < len(ms) and (_is_kanji(ms[j].surface) or ms[j].surface.isdigit())


def _is_copula(ms: Sequence[Morpheme], j: int) -> bool:
    if j >= len(ms):
        return False
    if ms[j].surface in ("です", "でございます"):
        return True
    return ms[j].surface == "と" and j + 1 < len(ms) and ms[j + 1].lemma == "申す"


def _kanji_run_end(ms: Sequence[Morpheme], j: int, stops: frozenset[str]) -> int | None:
    """Last index of a run of kanji nouns of 1–4 characters starting at ``j``."""
    last, chars = None, 0
    while j < len(ms) and _is_kanji(ms[j].surface) and ms[j].pos[0] in ("名詞", "接尾辞"):
        if ms[j].surface in stops or ms[j].lemma in stops:
            break
        chars += len(ms[j].surface)
        last, j = j, j + 1
    return last if 1 <= chars <= 4 else None


def _extend_name(
    ms: Sequence[Morpheme], i: int, stops: frozenset[str], *, labelled: bool = False
) -> tuple[int, int, int]:
    """Grow a name from ``ms[i]``: (last index, parts, parts tagged 人名).

    Katakana names take further katakana words joined by ・, = or a space (ジョン・スミス).
    Other names take one given name: after a space (see _spaced_given_name), or
    directly: up to four kanji of name words or single kanji (柚木|毅|文), a name word
    in kana (加藤くみ子), or a short word right before an honorific (増山鉄人さん).
    """
    first = ms[i]
    n = len(ms)
    tagged = int(_is_name_word(first))
    if _KATAKANA.fullmatch(first.surface):
        last, parts, j = i, 1, i + 1
        while j + 1 < n and ms[j].surface in _NAME_JOINERS:
            following = ms[j + 1]
            if not (_KATAKANA.fullmatch(following.surface) and _name_like(following)):
                break
            last, parts, j = j + 1, parts + 1, j + 2
            tagged += int(_is_name_word(following))
        return last, parts, tagged
    if i + 2 < n and ms[i + 1].surface == " ":
        spaced = _spaced_given_name(ms, i + 2, first, stops)
        if spaced is not None:
            return spaced[0], 2, tagged + spaced[1]
    last, chars, j = i, 0, i + 1
    while j < n and chars < 4 and _letters(ms[j].surface):
        word = ms[j]
        named = _is_name_word(word)
        if word.surface in stops or word.lemma in stops:
            break
        if not _is_kanji(word.surface) or chars + len(word.surface) > 4:
            if named and chars == 0:
                return j, 2, tagged + 1
            break
        before_honorific = j + 1 < n and ms[j + 1].lemma in stops
        if not (named or _fragment(word) or before_honorific):
            break
        chars += len(word.surface)
        last, tagged, j = j, tagged + int(named), j + 1
    if labelled and last == i and _given_common_noun(ms, i + 1, stops):
        # 出席：板垣宗史、 — after a label, a short common noun ending the name is
        # its given name (宗史 is also a word).
        last = i + 1
    return last, (1 if last == i else 2), tagged


def _given_common_noun(ms: Sequence[Morpheme], j: int, stops: frozenset[str]) -> bool:
    if j >= len(ms):
        return False
    word = ms[j]
    return (
        _is_kanji(word.surface)
        and len(word.surface) <= 3
        and word.pos[0] == "名詞"
        and word.surface not in stops
        and not words.honored_common_noun(word.surface)
        and not _glued(ms, j + 1)
    )


def _spaced_given_name(
    ms: Sequence[Morpheme], j: int, surname: Morpheme, stops: frozenset[str]
) -> tuple[int, int] | None:
    """(last index, name words in it) of a given name at ``j``, after a space: a kanji
    run of 1–4 characters (野口 彩絵美) or one kana word (伊藤 さくら)."""
    word = ms[j]
    if _HIRAGANA.fullmatch(surname.surface) and _HIRAGANA.fullmatch(word.surface):
        # Sudachi reads some kana given names as grammar: やまだ たろう → だろう.
        if 2 <= len(word.surface) <= 6 and word.surface not in words.KANA_NOT_NAMES:
            return j, 0
        return None
    if not _name_like(word) or word.surface in stops:
        return None
    if not _is_kanji(word.surface):
        return (j, int(_is_name_word(word))) if len(word.surface) <= 6 else None
    last = _kanji_run_end(ms, j, stops)
    if last is None or ms[last].surface[-1] in words.NOT_GIVEN:
        return None
    return last, sum(_is_name_word(m) for m in ms[j : last + 1])
