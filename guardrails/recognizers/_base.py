"""Common constructor of our recognisers: defaults as class constants, overridable;
and the nearest-label rule for formats two entity types share."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


class JapanesePatternRecognizer(PatternRecognizer):
    """A ``PatternRecognizer`` whose defaults live in ``PATTERNS``, ``CONTEXT``,
    ``SUPPORTED_ENTITY`` and ``SUPPORTED_LANGUAGE``; any of them can be overridden
    per instance through ``__init__``.

    ``MIN_DIGITS``: the fewest ASCII digits any of the default patterns needs (12 for a
    マイナンバー however it is spaced). A text with fewer skips the patterns: counting
    digits is ten C-level ``str.count`` calls, running the patterns is a regex scan
    each plus Presidio's bookkeeping — most prompts hold no such number. The guard's
    normaliser has already turned full-width and kanji digits into ASCII. Instances
    built with their own patterns do not use it.
    """

    PATTERNS: ClassVar[list[Pattern]] = []
    CONTEXT: ClassVar[list[str]] = []
    SUPPORTED_ENTITY: ClassVar[str] = ""
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"
    MIN_DIGITS: ClassVar[int] = 0
    # A pattern that must match somewhere for the patterns to run at all (a marker word,
    # an "@"): one cheap search spares most prompts every pattern's scan.
    REQUIRED: ClassVar[re.Pattern[str] | None] = None

    def __init__(
        self,
        patterns: list[Pattern] | None = None,
        context: list[str] | None = None,
        supported_language: str | None = None,
        supported_entity: str | None = None,
        name: str | None = None,
    ) -> None:
        # Fresh Pattern objects per instance: Presidio caches the compiled regex on the
        # Pattern, and class-level ones would be shared by every instance.
        own_patterns = [
            Pattern(p.name, p.regex, p.score)
            for p in (patterns if patterns is not None else self.PATTERNS)
        ]
        self._min_digits = self.MIN_DIGITS if patterns is None else 0
        super().__init__(
            supported_entity=supported_entity or self.SUPPORTED_ENTITY,
            name=name or type(self).__name__,
            supported_language=supported_language or self.SUPPORTED_LANGUAGE,
            patterns=own_patterns,
            context=list(context if context is not None else self.CONTEXT),
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's pattern analysis, skipped when the text has too few digits or
        lacks what ``REQUIRED`` looks for."""
        if self._min_digits and count_digits(text) < self._min_digits:
            return []
        if self.REQUIRED is not None and not self.REQUIRED.search(text):
            return []
        results: list[RecognizerResult] = super().analyze(
            text, entities, nlp_artifacts, regex_flags
        )
        return self.kept(text, results) if results else results

    def kept(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Hook for a rule decided on the whole text once the patterns have matched
        (rather than in a context hook: the analyzer builds every other finding's list
        for each recogniser that has one). Keeps everything by default."""
        return results


class ContextRecognizer(EntityRecognizer):
    """A recogniser that reads the text itself (no Presidio patterns): the constructor
    and the no-op ``load`` of the recognisers for names, addresses and encoded runs in
    other languages and forms. Subclasses set ``SUPPORTED_ENTITY`` and implement
    ``analyze``; ``results`` turns their spans into Presidio results."""

    SUPPORTED_ENTITY: ClassVar[str] = ""
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def __init__(self, supported_language: str | None = None) -> None:
        super().__init__(
            supported_entities=[self.SUPPORTED_ENTITY],
            name=type(self).__name__,
            supported_language=supported_language or self.SUPPORTED_LANGUAGE,
            context=[],
        )

    def load(self) -> None:
        """Nothing to load: vocabularies are modules, dictionaries the NLP engine's."""

    def results(self, scored: Iterable[tuple[tuple[int, int], float]]) -> list[RecognizerResult]:
        """((start, end), score) pairs as results, in text order."""
        return [
            RecognizerResult(self.SUPPORTED_ENTITY, start, end, score)
            for (start, end), score in sorted(scored)
        ]


def count_digits(text: str) -> int:
    """Number of ASCII digits in ``text``."""
    return sum(map(text.count, "0123456789"))


class LabelledPatternRecognizer(JapanesePatternRecognizer):
    """A recogniser for a format another type shares (12 digits: 運転免許証 or
    マイナンバー; 記号 12345 番号 67: 健康保険 or ゆうちょ), where the nearest label decides.

    Scoring rule, applied in ``enhance_using_context`` (the pattern score alone should
    stay below the guard's threshold):

    * one of ``CONTEXT`` is the nearest label in the ``WINDOW_BEFORE`` characters before
      the match (line breaks included: forms put the label on the line above) — nearer
      than any ``COMPETING_CONTEXT`` word, with no other number of five or more digits
      in between (this recogniser's own findings excepted) — or, with no label before,
      the first label in the ``WINDOW_AFTER`` characters after it → ``LABELLED_SCORE``;
    * unless ``OUTRANK`` is None, that score is raised just above (+``OUTRANK``, at most
      1.0) any other recogniser's finding that overlaps the match: the label outranks a
      guess from the shape. At 1.0 the guard breaks the tie in favour of this finding,
      which is marked as context-checked. Caveat: other findings are seen as they stand
      when this hook runs, and Presidio calls the recognisers' hooks in no fixed order
      (all before its token-window enhancer): a pattern-validated score (a マイナンバー
      check digit) is final, one set in another recogniser's hook may not be yet — a
      subclass competing with such a recogniser sets ``LABELLED_SCORE`` above that
      recogniser's scores;
    * ``label_may_confirm`` returning False, or no label → the match is dropped here
      (not passed on: fewer results keep the rest of Presidio's pipeline cheap).

    Context words are plain substrings of the normalised text, case-insensitive.
    Kept results are marked as context-handled, so that Presidio's token-window enhancer
    does not add to them later.
    """

    COMPETING_CONTEXT: ClassVar[list[str]] = []
    LABELLED_SCORE: ClassVar[float] = 0.85
    OUTRANK: ClassVar[float | None] = 0.05
    WINDOW_BEFORE: ClassVar[int] = 30
    WINDOW_AFTER: ClassVar[int] = 12

    def label_may_confirm(self, text: str, result: RecognizerResult) -> bool:
        """Hook for a rule that depends on the pattern that matched (True by default)."""
        return True

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: list[RecognizerResult],
        other_raw_recognizer_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts | None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Keep and score the results whose nearest label is ours (see the class rule)."""
        own = words_regex(tuple(self.context))
        rival = words_regex(tuple(self.COMPETING_CONTEXT))
        own_spans = [(r.start, r.end) for r in raw_recognizer_results]
        window = (self.WINDOW_BEFORE, self.WINDOW_AFTER)
        confirmed: list[RecognizerResult] = []
        for result in raw_recognizer_results:
            if not self.label_may_confirm(text, result) or not _own_label_is_nearest(
                text, result.start, result.end, own, rival, own_spans, window
            ):
                continue
            score = self.LABELLED_SCORE
            if self.OUTRANK is not None:
                for other in other_raw_recognizer_results:
                    if other.start < result.end and result.start < other.end:
                        raised = min(EntityRecognizer.MAX_SCORE, other.score + self.OUTRANK)
                        score = max(score, raised)
            result.score = score
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            confirmed.append(result)
        return confirmed


def _own_label_is_nearest(
    text: str,
    start: int,
    end: int,
    own: re.Pattern[str],
    rival: re.Pattern[str],
    own_spans: list[tuple[int, int]],
    window: tuple[int, int],
) -> bool:
    """True when the label nearest to ``text[start:end]`` is one of ``own``'s words."""
    return nearest_label(text, start, end, own, rival, own_spans, window) == OWN_LABEL


# What ``nearest_label`` found.
OWN_LABEL = "own"
RIVAL_LABEL = "rival"


def nearest_label(
    text: str,
    start: int,
    end: int,
    own: re.Pattern[str],
    rival: re.Pattern[str],
    own_spans: list[tuple[int, int]],
    window: tuple[int, int],
    *,
    ties_to_own: bool = False,
) -> str | None:
    """Whose label is nearest to ``text[start:end]``: ``OWN_LABEL``, ``RIVAL_LABEL`` or
    None (no label, or one that belongs to another number in between).

    Looks at the ``window[0]`` characters before the match, where the label that ends
    last wins (``ties_to_own``: an own word wins when both end at the same place, e.g.
    電話番号 against 番号); only without any label there, at the ``window[1]``
    characters after it, where the first label wins. A run of five or more digits between
    a label and the match (``own_spans`` excepted) means the label is another number's;
    so does, after the match, a label directly followed by a number ("…9424。運転免許証
    番号：5…" labels the 5…, not the number before it).
    """
    offset = max(0, start - window[0])
    before = text[offset:start]
    own_end = max((m.end() for m in own.finditer(before)), default=-1)
    rival_end = max((m.end() for m in rival.finditer(before)), default=-1)
    if own_end >= 0 or rival_end >= 0:
        own_wins = own_end > rival_end or (ties_to_own and own_end == rival_end)
        label_end = own_end if own_wins else rival_end
        between = _without_spans(text, offset + label_end, start, own_spans)
        if _OTHER_NUMBER.search(between):
            return None
        return OWN_LABEL if own_wins else RIVAL_LABEL
    after = text[end : end + window[1]]
    own_after = own.search(after)
    rival_after = rival.search(after)
    if own_after is not None and (
        rival_after is None
        or own_after.start() < rival_after.start()
        or (ties_to_own and own_after.start() == rival_after.start())
    ):
        first, label = own_after, OWN_LABEL
    elif rival_after is not None:
        first, label = rival_after, RIVAL_LABEL
    else:
        return None
    if _OTHER_NUMBER.search(_without_spans(text, end, end + first.start(), own_spans)):
        return None
    if _NUMBER_FOLLOWS.match(text, end + first.end()):
        return None
    return label


def _without_spans(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with the characters inside ``spans`` blanked out."""
    if not _OTHER_NUMBER.search(text, start, end):
        return text[start:end]  # the common case: nothing to blank that would matter
    chars = list(text[start:end])
    for span_start, span_end in spans:
        for i in range(max(span_start, start), min(span_end, end)):
            chars[i - start] = " "
    return "".join(chars)


# Another number between a label and the candidate owns the label.
_OTHER_NUMBER = re.compile(r"[0-9]{5,}")
# A label word, the rest of its phrase, then its value ("免許|証番号：5…", "番号は12…").
_NUMBER_FOLLOWS = re.compile(r"[^\s0-9、。,.()（）]{0,10}?[\s:：は]{0,3}[0-9]")
# Matches nothing: an empty list of words.
_NOTHING = re.compile(r"(?!)")


@lru_cache(maxsize=64)
def words_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive alternation of ``words``, longest first."""
    if not words:
        return _NOTHING
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered), re.I)
