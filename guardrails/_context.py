"""Presidio's lemma context enhancer, with the same rule but linear-time lookups.

``LemmaContextAwareEnhancer`` finds each match's token by walking every token from the
start of the text and tests keywords against a list: quadratic, so a long upload with
many numbers spent seconds here and hit the time budget (which blocks, safely but
needlessly). The rule is unchanged: from the match's first token, take the previous
``context_prefix_count`` and next ``context_suffix_count`` keywords (the match's own
token included, as Presidio does) and look for the recogniser's context words.
"""

from __future__ import annotations

from bisect import bisect_right

from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

_KEYWORD_SET_ATTR = "_yakuba_keyword_set"


class FastLemmaContextEnhancer(LemmaContextAwareEnhancer):
    """Drop-in ``LemmaContextAwareEnhancer`` with bisect + set lookups."""

    def _extract_surrounding_words(
        self, nlp_artifacts: NlpArtifacts, word: str, start: int
    ) -> list[str]:
        tokens = nlp_artifacts.tokens
        if not tokens:
            return [""]
        index = _token_at(nlp_artifacts, start)
        keywords = _keyword_set(nlp_artifacts)
        lemmas = nlp_artifacts.lemmas
        words = _collect(lemmas, keywords, index, -1, self.context_prefix_count)
        words += _collect(lemmas, keywords, index, 1, self.context_suffix_count)
        return list(set(words))


def _token_at(nlp_artifacts: NlpArtifacts, start: int) -> int:
    """Index of the token containing ``start`` (or the first one after it)."""
    starts: list[int] = nlp_artifacts.tokens_indices
    i = bisect_right(starts, start) - 1
    if i >= 0 and start < starts[i] + len(nlp_artifacts.tokens[i]):
        return i
    return min(i + 1, len(starts) - 1)


def _keyword_set(nlp_artifacts: NlpArtifacts) -> frozenset[str]:
    # Cached on the artifacts object: it lives for one analysis, so this is per call
    # and thread-safe.
    cached: frozenset[str] | None = getattr(nlp_artifacts, _KEYWORD_SET_ATTR, None)
    if cached is None:
        cached = frozenset(nlp_artifacts.keywords)
        setattr(nlp_artifacts, _KEYWORD_SET_ATTR, cached)
    return cached


def _collect(
    lemmas: list[str], keywords: frozenset[str], index: int, step: int, count: int
) -> list[str]:
    words: list[str] = []
    remaining = count + 1  # the match's own token counts, as in Presidio
    i = index
    while 0 <= i < len(lemmas) and remaining > 0:
        lemma = lemmas[i].lower()
        if lemma in keywords:
            words.append(lemma)
            remaining -= 1
        i += step
    return words
