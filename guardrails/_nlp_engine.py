"""A Presidio NLP engine backed by SudachiPy: tokens, lemmas, POS, no model download.

Presidio's spaCy/GiNZA engines are slow (175–250 ms a prompt) and need a downloaded
model. Our recognisers need two things from NLP:

* tokens with character offsets and lemmas, so that the ``LemmaContextAwareEnhancer``
  can see Japanese context words (マイナンバー, 電話, 連絡先 …) around a match;
* Sudachi's part of speech (名詞-固有名詞-人名-姓/名, 地名 …) for names and places.

Sudachi gives both in one pass of well under a millisecond per prompt, fully offline
(the dictionary ships in ``sudachidict-core``). The analysis is handed to recognisers
on the ``NlpArtifacts`` they already receive:

* ``tokens``: ``Token``s (``text``, ``idx``, ``lemma_``) — not a spaCy ``Doc``: building
  one cost a third of the engine's time, and a shared spaCy ``Vocab`` would keep every
  token string (personal data included) in its ``StringStore`` for the life of the
  process. Nothing here needs more than a token's text and offset;
* ``entities``: ``EntitySpan``s labelled ``PERSON`` / ``LOCATION`` (``text``,
  ``start_char``, ``end_char``, ``label_`` like a spaCy ``Span``) — runs of Sudachi
  人名 / 地名 words, Sudachi's raw opinion (the PERSON recogniser adds the rules);
* ``morphemes`` (``SudachiArtifacts`` only): every Sudachi word with its offsets, POS,
  lemma and OOV flag — the side channel the name recogniser works on.

Evasion by spacing out letters (山 田 太 郎) is undone before tokenising: whitespace
next to a letter that stands alone between spaces is dropped for Sudachi, and every
token is mapped back to the text, so offsets and token texts still index ``text``.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from sudachipy import Dictionary, SplitMode

from guardrails._compact import OffsetMap, rebuild

logger = logging.getLogger(__name__)

LANGUAGE = "ja"

# Labels of the raw entities put on ``NlpArtifacts.entities``.
PERSON_LABEL = "PERSON"
LOCATION_LABEL = "LOCATION"

# Characters that may join the digits of one number (see _merge_number_tokens).
_NUMBER_SEPARATORS = frozenset(" \t\r\n-.・()+")

# Sudachi refuses inputs above ~49 KB of UTF-8; 4,000 characters is at most 16 KB.
_MAX_CHUNK_CHARS = 4000

# Function words that must not use up the context window of the enhancer (it counts
# "keywords", i.e. lemmas that are neither stop words nor punctuation). Written as
# Sudachi normalized forms: し → 為る, これ → 此れ, ください → 下さる.
_STOP_WORDS = frozenset(
    "は が の を に へ と で も や か な ね よ から まで より だ です ます た て ば"
    " れる られる せる 為る 有る 居る 成る 下さる 御 此れ 其れ 彼れ 此の 其の 此方 事 物".split()
)

# What ``lexicon_names`` reports: surname (姓) and given name (名) entries.
_NAME_KINDS = frozenset(["姓", "名"])
# Longer strings are no single lexicon name (the longest surnames have five kanji).
_MAX_NAME_LOOKUP = 8

# Kanji, kana and the iteration/abbreviation marks that belong to words.
_LETTER = r"\u3005-\u3007\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER_RE = re.compile(f"[{_LETTER}]")
# Numbers of the items (号) of an article, written alone at the start of their line.
_ITEM_NUMERALS = frozenset("一二三四五六七八九十")
# A short whitespace run between two letters: a candidate for squeezing.
_GAP_RE = re.compile(f"(?<=[{_LETTER}])[ \\t\\r\\n]{{1,2}}(?=[{_LETTER}])")


class Morpheme(NamedTuple):
    """One Sudachi word. ``start``/``end`` index the analysed text; ``surface`` is what
    Sudachi saw (spaced-out letters already joined), ``pos`` its six-level POS.

    A NamedTuple: a prompt has hundreds of words, and tuples are the cheapest to make.
    """

    start: int
    end: int
    surface: str
    lemma: str
    pos: tuple[str, ...]
    oov: bool


class Token:
    """One token of ``NlpArtifacts.tokens``: what Presidio uses of a spaCy token — its
    text, offset, lemma and ``len()`` in characters (the context enhancer's test)."""

    __slots__ = ("idx", "lemma_", "text")

    def __init__(self, text: str, idx: int, lemma: str) -> None:
        self.text = text
        self.idx = idx
        self.lemma_ = lemma

    def __len__(self) -> int:
        return len(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.idx})"


class EntitySpan(NamedTuple):
    """A raw entity of ``NlpArtifacts.entities``, shaped like a spaCy ``Span``."""

    text: str
    start_char: int
    end_char: int
    label_: str


class LexiconNames(NamedTuple):
    """Sudachi lexicon entries of one surface among personal names: ``kinds`` ⊆
    {"姓", "名"} and their katakana ``readings``."""

    kinds: frozenset[str]
    readings: frozenset[str]


NO_NAMES = LexiconNames(frozenset(), frozenset())


class SudachiArtifacts(NlpArtifacts):
    """``NlpArtifacts`` plus ``morphemes``: Sudachi's words with POS (see module doc)."""

    def __init__(self, *, morphemes: tuple[Morpheme, ...], **kwargs: Any) -> None:
        self._keywords: list[str] = _NOT_YET
        super().__init__(**kwargs)
        self.morphemes = morphemes

    @property
    def keywords(self) -> list[str]:
        """Presidio's keywords, computed on first use: only the context enhancer reads
        them, and only for a finding whose recogniser has context words — most scans
        of text without numbers never do."""
        if self._keywords is _NOT_YET:
            self._keywords = _keywords_of(self.lemmas)
        return self._keywords

    @keywords.setter
    def keywords(self, value: list[str]) -> None:
        self._keywords = value

    @staticmethod
    def set_keywords(nlp_engine: Any, lemmas: list[str], language: str) -> list[str]:
        """Nothing yet (``NlpArtifacts.__init__`` calls this): see ``keywords``."""
        return _NOT_YET if nlp_engine else []


# Marks keywords not computed yet (compared by identity, never filled).
_NOT_YET: list[str] = []


def _keywords_of(lemmas: list[str]) -> list[str]:
    """Presidio's keyword rule (lower-cased lemmas that are neither stop words nor
    punctuation, split at ":") in one pass: Presidio's three list passes with a method
    call per lemma were a sixth of the engine's time."""
    keywords: list[str] = []
    for lemma in lemmas:
        if lemma in _STOP_WORDS or lemma in ("-PRON-", "be") or _is_punct(lemma):
            continue
        lowered = lemma.lower()
        if ":" in lowered:
            keywords.extend(lowered.split(":"))
        else:
            keywords.append(lowered)
    return keywords


class SudachiNlpEngine(NlpEngine):
    """Presidio ``NlpEngine`` producing Sudachi tokens (SplitMode.C), lemmas and POS.

    Lemmas are Sudachi's ``normalized_form`` (表記ゆれ unified: 附属→付属 …), which is
    what context words are compared with. The dictionary is loaded once; Sudachi
    tokenizers are not thread-safe, so each worker thread lazily gets its own
    (creating one costs microseconds).
    """

    engine_name = "sudachi"
    is_available = True

    def __init__(self, *, split_mode: SplitMode = SplitMode.C) -> None:
        self._split_mode = split_mode
        self._dictionary: Dictionary | None = None
        self._local = threading.local()
        self._pos_cache: dict[int, tuple[str, ...]] = {}

    # -- NlpEngine contract -------------------------------------------------------
    def load(self) -> None:
        """Load the Sudachi system dictionary (once)."""
        if self._dictionary is None:
            self._dictionary = Dictionary()
            logger.info("Loaded Sudachi dictionary for the guard NLP engine")

    def is_loaded(self) -> bool:
        """True once the dictionary is loaded."""
        return self._dictionary is not None

    def process_text(self, text: str, language: str) -> SudachiArtifacts:
        """Tokenise ``text``: tokens, offsets, lemmas, POS and raw entities."""
        self._check_language(language)
        tokenizer = self._tokenizer()
        squeezed, offsets = squeeze_spaced_letters(text)
        tokens: list[tuple[str, int, str]] = []
        morphemes: list[Morpheme] = []
        # Hot loop (every word of every prompt): bound names, no helper calls where
        # the common case (nothing squeezed, a POS seen before) needs none.
        add_token, add_morpheme = tokens.append, morphemes.append
        pos_cache = self._pos_cache
        covered = 0  # end of the text already covered by tokens
        for offset, chunk in _chunks(squeezed, _MAX_CHUNK_CHARS):
            for m in tokenizer.tokenize(chunk):
                begin, finish = offset + m.begin(), offset + m.end()
                if begin == finish:
                    continue
                if offsets is None:
                    start, end = begin, finish
                    word = text[start:end]
                    surface = word  # Sudachi's surface is the text it was given
                else:
                    start, end = offsets.span(begin, finish)
                    word = text[start:end]
                    surface = m.surface()
                    if start > covered:  # whitespace squeezed out between two words
                        gap = text[covered:start]
                        add_token((gap, covered, gap))
                lemma = m.normalized_form()
                add_token((word, start, lemma))
                pos = pos_cache.get(m.part_of_speech_id()) or self._pos(m)
                add_morpheme(Morpheme(start, end, surface, lemma, pos, m.is_oov()))
                covered = end
        merged = _merge_number_tokens(tokens, text)
        return SudachiArtifacts(
            morphemes=tuple(morphemes),
            entities=_raw_entities(text, morphemes),
            tokens=[Token(*t) for t in merged],
            tokens_indices=[t[1] for t in merged],
            lemmas=[t[2] for t in merged],
            nlp_engine=self,
            language=language,
            scores=[],
        )

    def process_batch(
        self,
        texts: Iterable[str],
        language: str,
        batch_size: int = 1,
        n_process: int = 1,
        **kwargs: Any,
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        """Tokenise texts one by one (Sudachi is fast enough not to batch)."""
        for text in texts:
            yield text, self.process_text(str(text), language)

    def is_stopword(self, word: str, language: str) -> bool:
        """Japanese function words (particles, auxiliaries, a few pronouns)."""
        return word in _STOP_WORDS

    def is_punct(self, word: str, language: str) -> bool:
        """Whitespace, punctuation and symbols only."""
        return _is_punct(word)

    def get_supported_entities(self) -> list[str]:
        """Labels of the raw entities (Sudachi 人名 / 地名 runs)."""
        return [PERSON_LABEL, LOCATION_LABEL]

    def get_supported_languages(self) -> list[str]:
        """Only Japanese."""
        return [LANGUAGE]

    def lexicon_names(self, surface: str) -> LexiconNames:
        """What Sudachi's lexicon lists ``surface`` as among personal names, over *all*
        its homographs, not just the one the analysis chose (永田, 八田, 松本 are analysed
        as places and 森 as a common noun, yet all are common surnames): the kinds
        (姓 / 名) and their katakana readings. Evidence for the name recogniser where
        context already points to a person. A dictionary look-up (a few µs); nothing
        is cached, as a cache would keep the prompts' words."""
        if not surface or len(surface) > _MAX_NAME_LOOKUP:
            return NO_NAMES
        kinds: set[str] = set()
        readings: set[str] = set()
        for morpheme in self._loaded_dictionary().lookup(surface):
            pos = self._pos(morpheme)
            if len(pos) > 3 and pos[1] == "固有名詞" and pos[2] == "人名" and pos[3] in _NAME_KINDS:
                kinds.add(pos[3])
                readings.add(morpheme.reading_form())
        if not kinds:
            return NO_NAMES
        return LexiconNames(frozenset(kinds), frozenset(readings))

    def common_noun(self, surface: str) -> bool:
        """Whether Sudachi's lexicon lists ``surface`` as a common noun (見学, 受付): a
        "name" cut across one (園見|学) is a misreading of that word."""
        if not surface or len(surface) > _MAX_NAME_LOOKUP:
            return False
        return any(self._pos(m)[1] == "普通名詞" for m in self._loaded_dictionary().lookup(surface))

    # -- internals ------------------------------------------------------------------
    def _tokenizer(self) -> Any:
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            tokenizer = self._loaded_dictionary().tokenizer(
                mode=self._split_mode, fields={"surface", "normalized_form", "pos"}
            )
            self._local.tokenizer = tokenizer
        return tokenizer

    def _loaded_dictionary(self) -> Dictionary:
        if self._dictionary is None:
            self.load()
        if self._dictionary is None:  # pragma: no cover - load() always sets it
            raise RuntimeError("Sudachi dictionary not loaded")
        return self._dictionary

    def _pos(self, morpheme: Any) -> tuple[str, ...]:
        # Interned per POS id: a prompt has a few hundred words but only dozens of POS.
        pos_id: int = morpheme.part_of_speech_id()
        pos = self._pos_cache.get(pos_id)
        if pos is None:
            pos = tuple(self._loaded_dictionary().pos_of(pos_id))
            self._pos_cache[pos_id] = pos  # races only store equal values
        return pos

    @staticmethod
    def _check_language(language: str) -> None:
        if language != LANGUAGE:
            raise ValueError(f"SudachiNlpEngine supports only '{LANGUAGE}'")


def _is_punct(word: str) -> bool:
    # Not cached: a cache would keep the prompts' words. Most words stop at the first
    # character, a letter.
    for c in word:
        if unicodedata.category(c)[0] not in "PZSC":
            return False
    return True


def squeeze_spaced_letters(text: str) -> tuple[str, OffsetMap | None]:
    """Drop whitespace that spaces out single letters (``山 田 太 郎`` → ``山田太郎``),
    and compose kana with a separate voicing mark (ﾀﾞ → タ + U+3099 → ダ).

    A gap of one or two whitespace characters between two letters is dropped when the
    letter run on either side of it is a single letter: ``山田 太郎`` keeps its space
    (Sudachi reads it well, and kana names need it), ``伊藤 健`` and ``山 田`` do not.
    Returns the text for Sudachi and, when it differs, the map back to ``text``.
    """
    drops: list[tuple[int, int]] = []
    for gap in _GAP_RE.finditer(text):
        start, end = gap.span()
        left_alone = start < 2 or not _LETTER_RE.match(text, start - 2)
        right_alone = end + 1 >= len(text) or not _LETTER_RE.match(text, end + 1)
        if (left_alone or right_alone) and not _item_number(text, start):
            drops.append((start, end))
    return rebuild(text, drops)


def _item_number(text: str, gap: int) -> bool:
    """A kanji numeral alone at the start of a line before the gap: the number of an
    item (号) of a law or a list — 三　前二号に掲げる者 — not a spaced-out name."""
    line_start = gap - 1 == 0 or text[gap - 2] == "\n"
    return line_start and text[gap - 1] in _ITEM_NUMERALS


_RAW_LABELS = {"人名": PERSON_LABEL, "地名": LOCATION_LABEL}


def _raw_entities(text: str, morphemes: Sequence[Morpheme]) -> list[EntitySpan]:
    """Spans over runs of consecutive Sudachi 人名 (PERSON) or 地名 (LOCATION) words."""
    spans: list[EntitySpan] = []
    run_label: str | None = None
    run_start = run_end = 0
    for m in [*morphemes, None]:
        label = None
        if m is not None and len(m.pos) > 2 and m.pos[1] == "固有名詞":
            label = _RAW_LABELS.get(m.pos[2])
        # Consecutive words continue a run; squeezed-out spacing (山 田) is no break.
        if m is not None and label is not None and label == run_label:
            run_end = m.end
            continue
        if run_label is not None:
            spans.append(EntitySpan(text[run_start:run_end], run_start, run_end, run_label))
        run_label = label
        if m is not None:
            run_start, run_end = m.start, m.end
    return spans


def _is_number_separator(surface: str) -> bool:
    return len(surface) <= 3 and all(c in _NUMBER_SEPARATORS for c in surface)


def _merge_number_tokens(
    tokens: list[tuple[str, int, str]], text: str
) -> list[tuple[str, int, str]]:
    """Make one token of digits joined by separators (03-1234-5678, 1 2 3 4 …).

    Sudachi may split a number into several tokens (even digit by digit). The context
    enhancer counts its window in tokens from the *first* token of a match, so a
    number split in twelve would use up the window after it ("…（個人番号）").
    """
    merged: list[tuple[str, int, str]] = []
    i, n = 0, len(tokens)
    while i < n:
        surface, start, lemma = tokens[i]
        if not surface.isdigit():
            merged.append(tokens[i])
            i += 1
            continue
        last = i
        j = i + 1
        while j < n and (tokens[j][0].isdigit() or _is_number_separator(tokens[j][0])):
            if tokens[j][0].isdigit():
                last = j
            j += 1
        if last == i:
            merged.append(tokens[i])
        else:
            end = tokens[last][1] + len(tokens[last][0])
            number = text[start:end]
            merged.append((number, start, number))
        i = last + 1
    return merged


def _chunks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """Split ``text`` into pieces of at most ``size`` chars, preferably after a newline
    or 。 so that words are rarely cut; yields (offset, piece)."""
    start = 0
    n = len(text)
    while start < n:
        end = min(start + size, n)
        if end < n:
            cut = max(text.rfind("\n", start, end), text.rfind("。", start, end))
            if cut > start:
                end = cut + 1
        yield start, text[start:end]
        start = end
