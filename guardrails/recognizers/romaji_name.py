"""Japanese names written in Latin letters: Yamada Hanako, Kenji Watanabe, yamada hanako-san.

Staff paste romanised Japanese names into English text (a resident's English letter, a
reply to a foreign spouse, a form filled in Latin letters) where no cue frames them:
"the resident Kenji Watanabe called again", "Namae: Yamada Hanako". Two adjacent words
are a name when one is a common romanised Japanese surname and the other a given name,
in either order — the surnames (with their number of bearers) and given-name readings of
``japanese-personal-name-dataset`` (MIT), as ``guardrails._romaji_names`` keeps them for
staff mailboxes.

``validate_result`` decides each pair (see there): capitalised or in capitals → 0.85; in
lower case (careless typing: yamada hanako-san) only with a Japanese honorific after it
(-san, -sama, -kun, -chan) or a very common surname (sato yuki) → 0.85. Never when either
word is an organisation or calendar word of ``_foreign_words`` or the next word is an
organisation word (Minato Elementary School, Ogawa Community Center).
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._romaji_names import RomajiNames, romaji_names
from guardrails.recognizers import _foreign_words as vocab
from guardrails.recognizers._base import ContextRecognizer

SCORE = 0.85
# Bearers a surname needs beside a given name (rarer ones are words too: gomi, minato),
# and in lower case without an honorific after the pair.
PAIRED_SURNAME = 20_000
COMMON_SURNAME = 100_000
# Given-name readings of one or two letters are words or initials (ai, yu, mi).
MIN_GIVEN = 3

_WORD = re.compile(r"(?<![A-Za-z0-9'’@.\-])[A-Za-z]{2,14}(?![A-Za-z0-9@]|[.'’][A-Za-z])")
_GAP = re.compile(r"[ \u3000]")
_HONORIFIC = re.compile(r"-(?:san|sama|kun|chan|sensei|shi)\b|さん|様|さま|氏|くん|ちゃん", re.I)
_NEXT_WORD = re.compile(r"[ \u3000]+([A-Za-z]+)")
# A surname alone as a caller names themselves in romanised Japanese: "Moshimoshi, Hirose
# desu", "Kuroda desu ga …", "Oda to mōshimasu". Only a capitalised surname borne by
# ``SPOKEN_SURNAME`` people or more (Sore desu, Kore desu are words).
_SPOKEN_SELF = re.compile(
    r"(?<![A-Za-z0-9'’@.\-])([A-Z][a-z]{1,13})(?=[ \u3000]+(?:desu|to m[oō]u?shimasu"
    r"|de gozaimasu)(?![A-Za-z]))"
)
SPOKEN_SURNAME = 5_000


class RomanisedJapaneseNameRecognizer(ContextRecognizer):
    """Recognise a romanised Japanese surname next to a given name (see the module doc)."""

    SUPPORTED_ENTITY: ClassVar[str] = "PERSON"

    def __init__(self, supported_language: str | None = None) -> None:
        super().__init__(supported_language)
        self._names: RomajiNames | None = None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Adjacent word pairs that ``validate_result`` accepts."""
        found: list[tuple[tuple[int, int], float]] = []
        if "desu" in text or "shimasu" in text or "gozaimasu" in text:
            closed = vocab.ORGANISATION_WORDS | vocab.NOT_NAMES
            for spoken in _SPOKEN_SELF.finditer(text):
                word = spoken.group(1).lower()
                if word not in closed and self._name_sets().surnames.get(word, 0) >= SPOKEN_SURNAME:
                    found.append((spoken.span(1), SCORE))
        words = list(_WORD.finditer(text))
        if len(words) < 2:
            return self.results(found)
        for first, second in zip(words, words[1:], strict=False):
            if not _GAP.fullmatch(text, first.end(), second.start()):
                continue
            if self.validate_result(text, first.start(), second.end()):
                found.append(((first.start(), second.end()), SCORE))
        return self.results(found)

    def validate_result(self, text: str, start: int, end: int) -> bool:
        """True when ``text[start:end]`` (two words) is a surname and a given name."""
        pair = text[start:end].split()
        first, second = pair[0], pair[1]
        lower = first.islower() and second.islower()
        shaped = all(w[0].isupper() and (w[1:].islower() or w.isupper()) for w in pair)
        if not (lower or shaped):
            return False  # McDonald, iPhone, mixed case: not a romanised name
        a, b = first.lower(), second.lower()
        closed = vocab.ORGANISATION_WORDS | vocab.NOT_NAMES
        if a in closed or b in closed:
            return False
        following = _NEXT_WORD.match(text, end)
        if following is not None and following.group(1).lower() in vocab.ORGANISATION_WORDS:
            return False
        names = self._name_sets()
        bearers = max(
            names.surnames.get(a, 0) if len(b) >= MIN_GIVEN and b in names.given else 0,
            names.surnames.get(b, 0) if len(a) >= MIN_GIVEN and a in names.given else 0,
        )
        if bearers < PAIRED_SURNAME:
            return False
        if not lower:
            return True
        return bearers >= COMMON_SURNAME or _HONORIFIC.match(text, end) is not None

    def _name_sets(self) -> RomajiNames:
        if self._names is None:
            self._names = romaji_names()
        return self._names
