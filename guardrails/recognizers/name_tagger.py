"""Personal names found by the learned name tagger (``guardrails._name_tagger``).

Beside the hand-written name rules, not instead of them: it adds PERSON findings where
the statistics of the labelled texts say a word is part of a name, with the tagger's
probability as the score (at least the guard's threshold, at most ``MAX_SCORE`` so a
rule's framed finding outranks it on the same words). Its findings are PERSON findings
like the rules': the public-information step decides whether a name is in a public role.

Switched off (or its threshold set) by ``[name_tagger]`` in ``conf/policy.toml``.
"""

from __future__ import annotations

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
from guardrails.recognizers._base import ContextRecognizer

# The probability a word needs (chosen by leave-one-part-out cross-validation, see
# scripts/train_name_tagger.py and docs/guard.md); the policy may override it.
DEFAULT_THRESHOLD = 0.5
# … in a text with no sign of a resident (no honorific, kinship word, first person or
# name field: ``_name_tagger.resident_cues``), where public notices are the rule.
DEFAULT_THRESHOLD_WITHOUT_CUES = 0.9
# The guard drops findings below 0.4; a tagger finding scores at least this …
MIN_SCORE = 0.41
# … and at most this, below the rules' framed findings (0.85).
MAX_SCORE = 0.8


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
            ((start, end), min(MAX_SCORE, max(MIN_SCORE, p))) for start, end, p in found
        )
