"""Presidio's context enhancement, with the same rule but without its needless work.

``LemmaContextAwareEnhancer`` finds each match's token by walking every token from the
start of the text and tests keywords against a list: quadratic, so a long upload with
many numbers spent seconds here and hit the time budget (which blocks, safely but
needlessly). The rule is unchanged: from the match's first token, take the previous
``context_prefix_count`` and next ``context_suffix_count`` keywords (the match's own
token included, as Presidio does) and look for the recogniser's context words.

The rest of Presidio's context step was the guard's hot spot on number-heavy prompts
(profiled: a 450-character prompt with 30 candidate numbers spent a fifth of its scan
time here), for nothing the guard needs:

* the enhancer deep-copies every candidate finding (with its explanation) before scoring
  it, "so we can manipulate it" — the candidates are this analysis's own fresh objects,
  which nothing else holds once the recognisers' hooks have run, so they are scored in
  place (``FastLemmaContextEnhancer.enhance_using_context``);
* the same keywords were gathered again for every finding starting at the same place,
  and every context word lower-cased again for every finding;
* the analyzer split the findings by recogniser with two scans of all findings per
  recogniser, and called every recogniser's context hook, even the ones that do nothing
  (``ContextAnalyzerEngine``).

The results are identical to Presidio's (tests compare the two).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import (
    ContextAwareEnhancer,
    LemmaContextAwareEnhancer,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

_KEYWORD_SET_ATTR = "_yakuba_keyword_set"
_ID_KEY = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
_ENHANCED_KEY = RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY


class FastLemmaContextEnhancer(LemmaContextAwareEnhancer):
    """Drop-in ``LemmaContextAwareEnhancer``: bisect + set lookups, no copies."""

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's rule (see ``LemmaContextAwareEnhancer.enhance_using_context``),
        scoring ``raw_results`` in place: returns a new list of the same objects."""
        results = list(raw_results)
        if nlp_artifacts is None:
            return results
        by_id = {recognizer.id: recognizer for recognizer in recognizers}
        extra = [word.lower() for word in context] if context else []
        surrounding: dict[int, list[str]] = {}  # per start: the same for every finding
        for result in results:
            metadata = result.recognition_metadata
            if not metadata or _ID_KEY not in metadata:
                continue
            recognizer = by_id.get(metadata[_ID_KEY])
            if recognizer is None or not recognizer.context or metadata.get(_ENHANCED_KEY):
                continue
            words = surrounding.get(result.start)
            if words is None:
                found = self._extract_surrounding_words(
                    nlp_artifacts, text[result.start : result.end], result.start
                )
                words = [w.lower() for w in found + extra]
                surrounding[result.start] = words
            supportive = _supportive_word(
                words, _lowered(tuple(recognizer.context)), self.context_matching_mode
            )
            if supportive:
                score = result.score + self.context_similarity_factor
                score = max(score, self.min_score_with_context_similarity)
                result.score = min(score, ContextAwareEnhancer.MAX_SCORE)
                result.analysis_explanation.set_supportive_context_word(supportive)
                result.analysis_explanation.set_improved_score(result.score)
        return results

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


class ContextAnalyzerEngine(AnalyzerEngine):
    """``AnalyzerEngine`` whose context step groups the findings by recogniser once and
    calls only the context hooks that exist (the base hook returns its input as is)."""

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        grouped: dict[str, list[RecognizerResult]] = {}
        for result in raw_results:
            grouped.setdefault(result.recognition_metadata[_ID_KEY], []).append(result)
        results: list[RecognizerResult] = []
        for recognizer in recognizers:
            own = grouped.get(recognizer.id, [])
            if type(recognizer).enhance_using_context is not EntityRecognizer.enhance_using_context:
                others = [
                    r for r in raw_results if r.recognition_metadata[_ID_KEY] != recognizer.id
                ]
                own = recognizer.enhance_using_context(
                    text=text,
                    raw_recognizer_results=own,
                    other_raw_recognizer_results=others,
                    nlp_artifacts=nlp_artifacts,
                    context=context,
                )
            results.extend(own)
        enhanced: list[RecognizerResult] = self.context_aware_enhancer.enhance_using_context(
            text=text,
            raw_results=results,
            nlp_artifacts=nlp_artifacts,
            recognizers=recognizers,
            context=context,
        )
        return enhanced


@lru_cache(maxsize=256)
def _lowered(context_words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """A recogniser's context words with their lower-case form (configuration only:
    nothing from the scanned text is ever cached)."""
    return tuple((word, word.lower()) for word in context_words)


def _supportive_word(
    words: list[str], context_words: tuple[tuple[str, str], ...], mode: str
) -> str:
    """Presidio's ``_find_supportive_word_in_context``: the first context word found in
    the (lower-case) ``words``, as a substring or, in ``whole_word`` mode, whole; or ""."""
    for word, wanted in context_words:
        if mode == "substring":
            if any(wanted in w for w in words):
                return word
        elif mode == "whole_word" and wanted in words:
            return word
    return ""


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
