"""Nepali (and Hindi) personal names in Devanagari: मेरो नाम राम बहादुर थापा हो.

Nepali residents write to the city in Devanagari; staff paste it for translation. No
Latin-script rule sees these names, and a Devanagari word is as often a word as a name,
so a name counts only where the text frames it:

* a self-introduction before it (मेरो नाम … हो, म … हुँ, my name is …) → 0.85;
* a kin phrase before it (मेरो श्रीमती सुनिता राई, मेरो छोरा …) → 0.85;
* a form label before it (नाम:, पूरा नाम:, निवेदक:) → 0.85.

The name is one to four words, ending before the first grammar word (हो, हुँ, छिन्, ले,
लाई, को …) or punctuation (, । :). ``validate_result`` drops what is grammar itself.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers._base import ContextRecognizer

SCORE = 0.85

_D = "\u0900-\u0963\u0971-\u097f"  # Devanagari letters and signs, not its digits or danda
# Cues, longest first in the alternation (मेरो नाम before मेरो).
SELF_CUES = ("मेरो नाम", "मेरो पूरा नाम", "मेरा नाम", "नाम", "पूरा नाम", "निवेदक", "आवेदक", "म")
# After a kin phrase the name is two words at most: what follows is said about them
# (मेरो श्रीमती सुनिता राई गर्भवती छिन् — "is pregnant").
KIN_CUES = (
    "मेरो श्रीमती", "मेरो श्रीमान", "मेरो पति", "मेरी पत्नी", "मेरो छोरा", "मेरो छोरी",
    "मेरो बुबा", "मेरो आमा", "मेरो दिदी", "मेरो दाइ", "मेरो भाइ", "मेरो बहिनी",
    "मेरो हजुरआमा", "मेरो हजुरबुबा",
)  # fmt: skip
CUES = SELF_CUES + KIN_CUES
# Words that end a name: copulas, case markers, conjunctions, and common words after म.
STOP_WORDS = frozenset(
    "हो हुँ हुन् छु छ छिन् छन् थिएँ थियो ले लाई को का की मा बाट र तथा पनि नै त यहाँ"
    " जापानमा नेपाली नेपालबाट विद्यार्थी काम".split()
)
_CUE = re.compile(
    "(?<!["
    + _D
    + "])(?:"
    + "|".join(re.escape(c) for c in sorted(CUES, key=len, reverse=True))
    + r")\s?[:：]?\s"
)
_KIN_WORDS = 2
_WORD = re.compile(f"[{_D}]+")
_ANY_DEVANAGARI = re.compile(f"[{_D}]")
_MAX_WORDS = 4


class DevanagariNameRecognizer(ContextRecognizer):
    """Recognise names in Devanagari after a self-introduction, kin phrase or label."""

    SUPPORTED_ENTITY: ClassVar[str] = "PERSON"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Name words after each cue (see the module doc)."""
        if not _ANY_DEVANAGARI.search(text):
            return []
        found: list[tuple[tuple[int, int], float]] = []
        for cue in _CUE.finditer(text):
            kin = cue.group().rstrip(" :：") in KIN_CUES
            span = _name_after(text, cue.end(), _KIN_WORDS if kin else _MAX_WORDS)
            if span is not None and self.validate_result(text[span[0] : span[1]]):
                found.append((span, SCORE))
        return self.results(found)

    @staticmethod
    def validate_result(name: str) -> bool:
        """A name has no grammar word and at least two letters."""
        words = name.split()
        return bool(words) and not any(w in STOP_WORDS for w in words) and len(name) >= 2


def _name_after(text: str, pos: int, most: int) -> tuple[int, int] | None:
    """Up to ``most`` Devanagari words from ``pos``, to the first grammar word; None
    when nothing is left or, after a self-introduction, the run does not end there (a
    whole sentence, not a name)."""
    start = end = pos
    words = 0
    while words < most:
        word = _WORD.match(text, pos)
        if word is None or word.group() in STOP_WORDS:
            break
        end = word.end()
        words += 1
        gap = re.match(r"[ \u00a0]", text[end : end + 1])
        if gap is None:
            break
        pos = end + 1
    if not words:
        return None
    if most == _KIN_WORDS:
        return start, end
    after = _WORD.match(text, end + 1)
    ends_here = (
        end >= len(text)
        or text[end] in ",।:;.!?)（）(\n"
        or (after is not None and after.group() in STOP_WORDS)
    )
    return (start, end) if ends_here else None
