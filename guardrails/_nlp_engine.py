"""A Presidio NLP engine backed by SudachiPy: tokens and lemmas, no model download.

Presidio's spaCy/GiNZA engines are slow (175–250 ms a prompt) and need a downloaded
model. Our recognisers are patterns; what they need from NLP is tokens with character
offsets and lemmas, so that the ``LemmaContextAwareEnhancer`` can see Japanese context
words (マイナンバー, 電話, 連絡先 …) around a match. Sudachi gives that in well under a
millisecond per prompt, fully offline (the dictionary ships in ``sudachidict-core``).
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.tokens import Doc
from spacy.vocab import Vocab
from sudachipy import Dictionary, SplitMode

logger = logging.getLogger(__name__)

LANGUAGE = "ja"

# Characters that may join the digits of one number (see _merge_number_tokens).
_NUMBER_SEPARATORS = frozenset(" \t\r\n-.・()+")

# Sudachi refuses inputs above ~49 KB of UTF-8; 4,000 characters is at most 16 KB.
_MAX_CHUNK_CHARS = 4000

# Function words that must not use up the context window of the enhancer (it counts
# "keywords", i.e. lemmas that are neither stop words nor punctuation).
# Function words that must not use up the context window of the enhancer (it counts
# "keywords", i.e. lemmas that are neither stop words nor punctuation). Written as
# Sudachi normalized forms: し → 為る, これ → 此れ, ください → 下さる.
_STOP_WORDS = frozenset(
    "は が の を に へ と で も や か な ね よ から まで より だ です ます た て ば"
    " れる られる せる 為る 有る 居る 成る 下さる 御 此れ 其れ 彼れ 此の 其の 此方 事 物".split()
)


class SudachiNlpEngine(NlpEngine):
    """Presidio ``NlpEngine`` producing Sudachi tokens (SplitMode.C) and lemmas.

    Lemmas are Sudachi's ``normalized_form`` (表記ゆれ unified: 附属→付属 …), which is
    what context words are compared with. No named entities are produced (yet).
    The dictionary is loaded once; Sudachi tokenizers are not thread-safe, so each
    worker thread lazily gets its own (creating one costs microseconds).
    """

    engine_name = "sudachi"
    is_available = True

    def __init__(self, *, split_mode: SplitMode = SplitMode.C) -> None:
        self._split_mode = split_mode
        self._dictionary: Dictionary | None = None
        self._local = threading.local()

    # -- NlpEngine contract -------------------------------------------------------
    def load(self) -> None:
        """Load the Sudachi system dictionary (once)."""
        if self._dictionary is None:
            self._dictionary = Dictionary()
            logger.info("Loaded Sudachi dictionary for the guard NLP engine")

    def is_loaded(self) -> bool:
        """True once the dictionary is loaded."""
        return self._dictionary is not None

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """Tokenise ``text``: tokens, their character offsets and lemmas."""
        self._check_language(language)
        words: list[str] = []
        starts: list[int] = []
        lemmas: list[str] = []
        tokenizer = self._tokenizer()
        for offset, chunk in _chunks(text, _MAX_CHUNK_CHARS):
            raw = [
                (m.surface(), offset + m.begin(), m.normalized_form())
                for m in tokenizer.tokenize(chunk)
                if m.surface()
            ]
            for surface, start, lemma in _merge_number_tokens(raw, text):
                words.append(surface)
                starts.append(start)
                lemmas.append(lemma)
        # A fresh Vocab per call: a shared one would keep every token string — raw
        # personal data included — in its StringStore for the life of the process.
        doc = Doc(Vocab(), words=words, spaces=[False] * len(words))
        return NlpArtifacts(
            entities=[],
            tokens=doc,
            tokens_indices=starts,
            lemmas=lemmas,
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
        return all(unicodedata.category(c)[0] in "PZSC" for c in word)

    def get_supported_entities(self) -> list[str]:
        """No NER entities: detection is done by the pattern recognisers."""
        return []

    def get_supported_languages(self) -> list[str]:
        """Only Japanese."""
        return [LANGUAGE]

    # -- internals ------------------------------------------------------------------
    def _tokenizer(self) -> Any:
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            dictionary = self._dictionary
            if dictionary is None:
                self.load()
                dictionary = self._dictionary
            if dictionary is None:  # pragma: no cover - load() always sets it
                raise RuntimeError("Sudachi dictionary not loaded")
            tokenizer = dictionary.tokenizer(
                mode=self._split_mode, fields={"surface", "normalized_form"}
            )
            self._local.tokenizer = tokenizer
        return tokenizer

    @staticmethod
    def _check_language(language: str) -> None:
        if language != LANGUAGE:
            raise ValueError(f"SudachiNlpEngine supports only '{LANGUAGE}'")


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
