"""Personal names found by the learned name tagger (``guardrails._name_tagger``).

Beside the hand-written name rules, not instead of them: it adds PERSON findings where
the statistics of the labelled texts say a word is part of a name, with the tagger's
probability as the score (at least the guard's threshold, at most ``MAX_SCORE`` so a
rule's framed finding outranks it on the same words). Its findings are PERSON findings
like the rules': the public-information step decides whether a name is in a public role.

Switched off (or its threshold set) by ``[name_tagger]`` in ``conf/policy.toml``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._name_tagger import (
    NameTaggerModel,
    decode,
    featurise,
    load_model,
    resident_cues,
)
from guardrails._nlp_engine import SudachiNlpEngine
from guardrails.recognizers import _foreign_words as vocab
from guardrails.recognizers import _person_words as person_words
from guardrails.recognizers._base import ContextRecognizer

# The probability a word needs (chosen by leave-one-part-out cross-validation, see
# scripts/train_name_tagger.py and docs/guard.md); the policy may override it.
DEFAULT_THRESHOLD = 0.5
# … in a text with no sign of a resident (no honorific, kinship word, first person or
# name field: ``_name_tagger.resident_cues``), where public notices are the rule.
DEFAULT_THRESHOLD_WITHOUT_CUES = 0.9
# The guard drops findings below 0.4; a tagger finding scores at least this …
MIN_SCORE = 0.41
# … and at most this, below the rules' findings (0.6–0.85): on the same words the rule's
# finding, with its cues and score, is the one kept.
MAX_SCORE = 0.55

# Words the rules' own vocabularies declare not to be names: a span made of one of them is
# dropped (the tagger learnt "word + さん" and "Capitalised word"; the rules list the
# exceptions — 大家さん, 甲さん, Mrs, Monday, 유학생입니다 …).
_NOT_NAMES = frozenset(
    w.lower()
    for w in (
        *vocab.NOT_NAMES, *vocab.TITLES, *vocab.KOREAN_NOT_NAMES, *vocab.CHINESE_NOT_NAMES,
        *vocab.NATIONALITY_PHRASES, *person_words.HONORED_NOUNS, *person_words.PLACEHOLDERS,
        *person_words.NOT_NAMES,
    )
)  # fmt: skip
_KOREAN_NOT_NAME_PREFIXES = tuple(sorted(vocab.KOREAN_NOT_NAMES, key=len, reverse=True))
# Japanese honorifics and diminutives: a word before one is the name rules' to judge
# (they know the mascots, placeholders and honoured nouns); the tagger adds the names
# nothing frames.
_HONORIFICS = tuple(
    sorted({*person_words.HONORIFICS, "さま", "くん", "ちゃん"}, key=len, reverse=True)
)
# Words after which a name names a business, a facility or a work (石井病院, 山田太郎商店).
_NOT_PERSON_AFTER = tuple(sorted({*person_words.NOT_PERSON_AFTER, *person_words.FACILITY_WORDS}))
# A word after these names a place, not a person (đến từ Hà Nội, Nationality: India).
_PLACE_BEFORE = frozenset(
    "from từ tu dari nationality country nacionalidade nacionalidad país pais quốc tịch"
    " 国籍 出身 国 quoc tich bansa".split()
)
# A place's suffix right after the span: the span names a municipality or prefecture
# (Sakura-shi, 千叶县, 桜川町), not a person — but 市長/町長 after a name is its role.
_PLACE_AFTER = re.compile(
    r"-(?:shi|cho|machi|ku|ken|mura|gun)\b|[県县州省]|[市区町村](?!長)", re.IGNORECASE
)
# A field that holds an organisation's or facility's name (名称_カナ: オヤコフレアイヒロバ in
# a city's open-data facility list): what follows is no person's name.
_ORGANISATION_LABEL = re.compile(
    r"(?:名称|施設名|団体名|事業所名|法人名)[^:：\n、]{0,6}[:：][ \u3000]*$"
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s:：.,]*$")
_WORD_AFTER = re.compile(r"\s?([^\W\d_]+)")


class NameTaggerRecognizer(ContextRecognizer):
    """PERSON spans from the learned tagger over Sudachi's words."""

    SUPPORTED_ENTITY: ClassVar[str] = "PERSON"

    def __init__(
        self,
        supported_language: str | None = None,
        *,
        model: NameTaggerModel | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        threshold_without_cues: float = DEFAULT_THRESHOLD_WITHOUT_CUES,
    ) -> None:
        super().__init__(supported_language)
        self.model = model if model is not None else load_model()
        self.threshold = threshold
        self.threshold_without_cues = threshold_without_cues

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """The tagger's name spans in ``text`` (needs the Sudachi morphemes)."""
        morphemes = getattr(nlp_artifacts, "morphemes", ())
        if not morphemes:
            return []
        engine = getattr(nlp_artifacts, "nlp_engine", None)
        lookup = (
            (lambda w: engine.lexicon_names(w).kinds)
            if isinstance(engine, SudachiNlpEngine)
            else None
        )
        spans, rows = featurise(text, morphemes, lookup)
        if not spans:
            return []
        threshold = self.threshold if resident_cues(text) else self.threshold_without_cues
        found = decode(text, spans, self.model.probabilities(rows), threshold)
        return self.results(
            ((start, end), min(MAX_SCORE, max(MIN_SCORE, p)))
            for start, end, p in found
            if not vetoed(text, start, end)
        )


def vetoed(text: str, start: int, end: int) -> bool:
    """Whether the rules' vocabularies say ``text[start:end]`` is no name to add (see
    ``_NOT_NAMES``, ``_HONORIFICS``, ``_PLACE_BEFORE``)."""
    value = text[start:end]
    low = value.lower()
    if low in _NOT_NAMES or len(value) == 1 and not _is_cjk(value):
        return True
    if _is_hangul(value[0]) and low.startswith(_KOREAN_NOT_NAME_PREFIXES):
        return True
    if value.endswith(("又", "及", "並")) and text[end : end + 1] in ("は", "び"):
        return True  # 国又|は, 市及|び: Sudachi reads the conjunction 又は / 及び into a "surname"
    after = text[end : end + 4]
    if after.startswith(_HONORIFICS) and not value.isascii():
        return True
    if _ORGANISATION_LABEL.search(text, max(0, start - 16), start):
        return True  # 名称_カナ: オオイガワジドウセンタートマトピア
    if _PLACE_AFTER.match(text, end):
        return True  # Sakura-shi, 千叶县: the tagger read a place as a name
    if (
        following := _WORD_AFTER.match(text, end)
    ) and f"{low} {following.group(1).lower()}" in _NOT_NAMES:
        return True  # Sri Lankan
    before = _WORD_BEFORE.search(text, max(0, start - 24), start)
    if following is not None and (
        following.group(1).startswith(_NOT_PERSON_AFTER)
        or _sandwiched(text, start, before, following)
    ):
        return True  # 石井病院, or a word inside a capitalised business name (CRECHE TIA SUZI)
    if before is not None:
        word = before.group(1)
        if (
            word.lower() in _PLACE_BEFORE
            or word[1:] != word[1:].lower()
            and word[1:] != word[1:].upper()
        ):
            return True  # a place, or a word of a CamelCase business name (McDonald Shin)
    return False


def _sandwiched(
    text: str, start: int, before: re.Match[str] | None, following: re.Match[str]
) -> bool:
    """Capitalised Latin words the tagger left out on both sides, on the same line."""
    if before is None or "\n" in text[before.end(1) : start] or "\n" in following.group(0):
        return False
    return (
        all(
            w[:1].isupper() and w.isascii() and w.lower() not in _NOT_NAMES
            for w in (before.group(1), following.group(1))
        )
        and text[before.end(1) : start] == " "
        and following.group(0).startswith(" ")
    )


def _is_cjk(value: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" or "\u3040" <= ch <= "\u30ff" for ch in value)


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"
