"""Japanese addresses written in Latin script or Hangul (Chuo-cho 2-5-12, 2-5-12 Honmachi,
Yaizu-shi; 주오초 2-5-12) — how foreign residents and their translators write them.

An address of a person is a town with its block numbers; a city or a town name alone is
area information (moved to Sakura City) and is not reported. Scoring:

* block numbers (2-5-12, 3-chome 4-5; a lone 番地 when a city follows: Tajiri 2058,
  Yaizu-shi, 880 Tajiri, Yaizu-shi) beside a town with a Japanese locality suffix
  (-cho, -machi, -chome, -mura …) or beside a city (-shi, -ku, City, Ward) → 0.85;
* block numbers beside any capitalised place word, after a living cue (I live at,
  my address, moved to, sống tại, moro em, vivo en, nakatira sa, 住所, 住在, 살고) or
  with a room (Apt 302, Sunny Court 305, 1-4-2 Ekikita, Yaizu) → 0.85;
* Hangul: a town ending 초/마치/정/동/초메 with block numbers → 0.85.

An office's address is public information: with an organisation word on the same line
(City Hall, Office, Center, Library, Tel, 시청, センター …) and no living cue, nothing is
reported.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers._base import ContextRecognizer

SCORE = 0.85

_L = "A-Za-zāēīōūĀĒĪŌŪ"
# Block numbers, never a postal code's 3 + 4 digits (Shizuoka 425-0055).
_BLOCK = r"(?!\d{3}[-‐−]\d{4}(?![-‐−0-9])|0)(?:\d{1,2}\s?-?\s?chome,?\s?\d{1,4}(?:\s?-\s?\d{1,4})?|\d{1,4}(?:\s?[-‐−]\s?\d{1,4}){1,3})"
_SUFFIX = r"(?:cho|chō|machi|mura|son|chome|chōme|dori|dōri)"
# A town may open with a long vowel's capital (Ōi, Ōmura).
# Not a preposition or article before a year (In 2020 Fujieda City, Desde 2019 Yaizu-shi).
_NOT_TOWN = (
    r"(?!(?:In|On|At|By|To|Of|For|From|Since|Until|Till|Before|After|Around|About|The|And"
    r"|En|Em|De|Da|Do|Del|Desde|Hasta|Para|Por|Noong|Mula|Sa|Ng|Nam|Tu|Den)\b)"
)
_TOWN = rf"{_NOT_TOWN}[A-ZĀĒĪŌŪ][a-zāēīōū]+(?:-[{_L}]+)*(?:\s[A-Z][{_L}]*(?:machi|cho|chō|mura))?"
# A city: Yaizu-shi, Yaizu City, or in Vietnamese "thành phố Yaizu" (thanh pho, TP.).
_CITY = (
    rf"(?:[A-Z][{_L}]+(?:-(?:shi|ku|gun|ken)|\s(?:City|Ward|Town|Village|Prefecture))"
    rf"|(?:[Tt]hành phố|[Tt]hanh pho|TP\.?)\s[A-Z][{_L}]+)"
)
# The building and room after (or before) the block numbers: a room number is the most
# personal part of an address (Sunny Court 305, Mansion Oomura 402, apto 402, Room 203).
_BUILDING = (
    r"(?:Heights|Mansion|Manshon|Apartment|Apartments|Apato|Apaato|Haitsu|Haights|Corpo|Kopo"
    r"|Residence|Court|House|Palace|Coop|Villa|Hills|Ryo|Dormitory|Dorm)"
)
_UNIT = r"(?i:room|rm\.?|apt\.?|apto\.?|apartamento|departamento|depto\.?|unit|unidad|#)"
_HOME = (
    rf"(?:,?\s?(?:(?:[A-Z][a-z]+\s){{1,3}}{_BUILDING}\s?#?\d{{1,4}}"
    rf"|{_BUILDING}(?:\s[A-Z][a-z]+){{0,2}}\s?#?\d{{1,4}}|{_UNIT}\s?\d{{1,4}}))?"
)
_HOME_BEFORE = (
    rf"(?:(?:{_UNIT}\s?\d{{1,4}}|(?:[A-Z][a-z]+\s){{0,3}}{_BUILDING}\s?#?\d{{1,4}}),?\s)?"
)
# After the town: the city, then the prefecture with or without -ken (…, Yaizu-shi,
# Shizuoka), or a bare city name closing the address (2-14-6 Oi, Yaizu).
_TAIL = (
    rf"(?:,?\s{_CITY})*(?:,?\s{_TOWN}(?:-ken|\sPrefecture))?"
    rf"(?:,\s[A-Z][{_L}]+(?=\s*(?:[.,;)\n]|\d{{3}}-\d{{4}}|$)))?"
)
_LATIN = re.compile(
    rf"(?<![{_L}0-9\-])(?:{_HOME_BEFORE}{_BLOCK}{_HOME},?\s(?P<t1>{_TOWN}){_TAIL}"
    rf"|(?:{_CITY},?\s)?(?P<t2>{_TOWN}),?[ \t\u3000](?:{_BLOCK}{_HOME}{_TAIL}"
    rf"|\d{{1,4}}{_HOME},?\s{_CITY}{_TAIL})"
    # A lone 番地 before the town, the city after it: 880 Tajiri, Yaizu-shi.
    # (not a year: Since 1990 Oi, Yaizu City has grown).
    rf"|{_HOME_BEFORE}(?!0|(?:19|20)\d\d\b)\d{{1,4}},?\s(?P<t3>{_TOWN}),?\s{_CITY}{_TAIL})"
    rf"(?![{_L}0-9])"
)
# With a living cue, a lone 番地 after a city and a town (Yaizu-shi Tajiri-kita 880).
_LOT = re.compile(rf"{_CITY},?\s{_TOWN},?\s\d{{1,4}}{_HOME}(?![{_L}0-9\-])")
_LOCALITY = re.compile(
    rf"(?:-{_SUFFIX}|{_SUFFIX}|-shi|-ku|-gun|\sCity|\sWard|\sTown|chome)\b", re.I
)
_H = "\uac00-\ud7a3"
_HANGUL = re.compile(
    rf"(?:[{_H}]{{1,6}}(?:시|현|구|군)\s)?[{_H}]{{1,6}}(?:초메|쵸메|초|쵸|마치|정|동|무라)"
    rf"\s?\d{{1,4}}(?:\s?-\s?\d{{1,4}}){{1,3}}"
    # a city (…시) then any town: 야이즈시 오가와 3-7-2
    rf"|[{_H}]{{1,6}}시\s[{_H}]{{1,6}}\s?\d{{1,4}}(?:\s?-\s?\d{{1,4}}){{1,3}}"
)
# Devanagari (Nepali, Hindi): a city word (शहर, सिटी, शि) then a town and block numbers.
_DEVANAGARI = re.compile(
    r"[\u0900-\u097F]+\s(?:शहर|सिटी|शि)\s[\u0900-\u097F]+\s?\d{1,4}(?:\s?-\s?\d{1,4}){1,3}"
)
_LIVING = re.compile(
    r"\blive[sd]?\b|\bliving\b|\breside|\bmy (?:home )?address|\bhome address|\bmoved? (?:to|in)"
    r"|\baddress\s?:|sống tại|sống ở|ở tại|nhà tôi|địa chỉ|\bmoro\b|\bmora\b|endereço|\bvivo\b"
    r"|\bvive\b|\bvivimos\b|\bviven\b|\bmoramos\b|\bmoram\b|domicilio|dirección|nakatira|tirahan|살고|거주|주소|住在|住址|家住|在住|自宅|住所"
    r"|\bsong (?:o|tai)\b|\bdia chi\b|\bo tai\b|tinggal di|\balamat\b|\bbas(?:da)?chu\b"
    r"|\baddress is\b|\baddress\b\s?:|\bmy place\b|\bstay(?:ing)? (?:at|with)|बस्छु|ठेगाना"
    # a home visit to a named person (We visited Ms. Lane at 4-19-3 Oi, Yaizu)
    r"|\bvisited\s(?:(?:mr|mrs|ms|miss|dr|sr|sra)\.?\s)?(?-i:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\sat\b",
    re.I,
)
_ORGANISATION = re.compile(
    r"\b(?:hall|office|division|section|department|cent(?:er|re)|library|school|station"
    r"|hospital|clinic|museum|gym|pool|park|association|bureau|company|corporation|counter"
    r"|desk|plaza|tel|phone|fax|inquir(?:y|ies)|contact|hours|venue|location|access"
    r"|facility|shelter)\b|văn phòng|ủy ban|trung tâm|prefeitura|escritório|centro"
    r"|ayuntamiento|oficina|munisipyo|tanggapan|시청|센터|사무소|市政府|中心|市役所|センター|課",
    re.I,
)
# A room: Apt 302, Room 5, or a building's name with its number (Sunny Court 305).
_UNIT_INSIDE = re.compile(
    rf"(?i:{_UNIT}\s?\d|\b(?:Room|Apt)\b)|\b[A-Z][a-z]+\s{_BUILDING}\s?#?\d{{1,4}}\b"
)
_WINDOW = 60
# A capitalised word right before a lone number (Gate 3, Route 150, Building 2).
_AFTER_NAMED_THING = re.compile(r"\b[A-Z][a-z]*\.?\s$")
# Cheap tests that keep most prompts (Japanese, no romanised town) off the patterns.
_ANY_DIGIT = re.compile(r"[0-9]")
_CAPITALISED = re.compile(r"[A-Z][a-zāēīōū]")
_ANY_HANGUL = re.compile(f"[{_H}]")
_ANY_DEVANAGARI = re.compile("[\u0900-\u097f]")


class ForeignAddressRecognizer(ContextRecognizer):
    """Recognise Japanese addresses in Latin script or Hangul (see the module doc)."""

    SUPPORTED_ENTITY: ClassVar[str] = "ADDRESS"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Addresses with block numbers, minus offices' (see the module doc)."""
        spans: list[tuple[int, int]] = []
        if not _ANY_DIGIT.search(text):
            return []
        latin = _LATIN.finditer(text) if _CAPITALISED.search(text) else ()
        for match in latin:
            if match.group("t3") is not None and _AFTER_NAMED_THING.search(text, 0, match.start()):
                continue  # Gate 3 Ote, Route 150 …: the number belongs to the word before
            # A room or apartment number is a home's (Apt 302, 1-5-9 Ekikita, Yaizu).
            living = _near(_LIVING, text, match.start(), match.end()) or (
                _UNIT_INSIDE.search(match.group()) is not None
            )
            if not (_LOCALITY.search(match.group()) or living):
                continue
            if living or not _near(_ORGANISATION, text, match.start(), match.end()):
                spans.append(match.span())
        if _CAPITALISED.search(text):
            for match in _LOT.finditer(text):
                if _near(_LIVING, text, match.start(), match.end()):
                    spans.append(match.span())
        hangul = _HANGUL.finditer(text) if _ANY_HANGUL.search(text) else ()
        devanagari = _DEVANAGARI.finditer(text) if _ANY_DEVANAGARI.search(text) else ()
        for match in (*hangul, *devanagari):
            if _near(_LIVING, text, match.start(), match.end()) or not _near(
                _ORGANISATION, text, match.start(), match.end()
            ):
                spans.append(match.span())
        return self.results((span, SCORE) for span in spans)


def _near(pattern: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """``pattern`` occurs on the same line within the window around ``[start, end)``."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - _WINDOW) : start]
    after = text[end : min(line_end, end + _WINDOW // 2)]
    return pattern.search(before) is not None or pattern.search(after) is not None
