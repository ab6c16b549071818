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
    r"|to iimasu|de gozaimasu)(?![A-Za-z]))"
)
SPOKEN_SURNAME = 5_000
# A full name after "namae wa" / "watashi wa" and before desu / to mōshimasu / to iimasu
# (Watashi no namae wa Kito Shin'ichi desu), or two capitalised words before to mōshimasu
# / to iimasu alone (Takenouchi Mayu to moushimasu): the speaker names themselves, so
# no list is needed — only not a closed-class word.
_NAME_WORD = r"[A-Z][a-z]{1,13}(?:['’][a-z]{1,8})?"
_INTRODUCED = re.compile(
    rf"(?:(?<![A-Za-z])(?:[Nn]amae\s(?:wa|ha)|[Ww]atashi\s(?:wa|ha)|[Ww]atakushi\s(?:wa|ha)"
    rf"|[Bb]oku\s(?:wa|ha)|[Kk]ochira\s(?:wa|ha)),?\s+({_NAME_WORD}(?:\s{_NAME_WORD})?)"
    rf"(?=\s+(?:desu|de\s?gozaimasu|to\sm[oō]u?shimasu|to\siimasu)(?![A-Za-z]))"
    rf"|(?<![A-Za-z0-9'’@.\-])({_NAME_WORD}\s{_NAME_WORD})"
    rf"(?=\s+to\s(?:m[oō]u?shimasu|iimasu)(?![A-Za-z])))"
)
# A given name after a kin word and "no", then a particle (Musuko no Ren ga, Otto no
# Masaru wa): a romanised given name or surname of the name lists.
_KIN_NO = re.compile(
    r"(?<![A-Za-z])(?i:musuko|musume|otto|tsuma|chichi|haha|ani|ane|otouto|otōto|imouto"
    r"|imōto|mago|kodomo|chounan|chōnan|choujo|chōjo|jinan|jijo|sofu|sobo|shujin|kanai)"
    r"\sno\s([A-Z][a-z]{1,13})(?=\s(?:ga|wa|ha|wo|o|mo|ni|to|no|ni\swa)(?![A-Za-z])|-(?:chan|kun))"
)
# A name before sensei / -sensei (Aiko sensei, Kenji-sensei): a teacher by name.
_SENSEI = re.compile(r"(?<![A-Za-z'’\-])([A-Z][a-z]{1,13})(?=[ \-]sensei(?![A-Za-z]))")
# A surname alone closing a romanised Japanese message, as a signature (… yasumimasu.
# Ishiguro): only after a sentence ending in -masu / desu.
_SIGNED = re.compile(r"(?:masu|desu|masen|shita)[.!。]\s+([A-Z][a-z]{1,13})[ \t.]*\Z")


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
        if "desu" in text or "masu" in text:
            closed = vocab.ORGANISATION_WORDS | vocab.NOT_NAMES
            for spoken in _SPOKEN_SELF.finditer(text):
                word = spoken.group(1).lower()
                if word not in closed and self._name_sets().surnames.get(word, 0) >= SPOKEN_SURNAME:
                    found.append((spoken.span(1), SCORE))
            for introduced in _INTRODUCED.finditer(text):
                group = 1 if introduced.group(1) else 2
                if not any(w.lower() in closed for w in introduced.group(group).split()):
                    found.append((introduced.span(group), SCORE))
            signed = _SIGNED.search(text)
            if (
                signed is not None
                and self._name_sets().surnames.get(signed.group(1).lower(), 0) >= SPOKEN_SURNAME
            ):
                found.append((signed.span(1), SCORE))
        if " no " in text or "sensei" in text:
            names = self._name_sets()
            for framed in (*_KIN_NO.finditer(text), *_SENSEI.finditer(text)):
                word = framed.group(1).lower()
                if word not in vocab.NOT_NAMES and (word in names.given or word in names.surnames):
                    found.append((framed.span(1), SCORE))
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
