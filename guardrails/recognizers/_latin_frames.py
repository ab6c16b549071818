"""More frames around Latin-script names, for names that no list knows (round 5).

Residents come from everywhere (Tesfaye, Dilnoza, Khalid Al-Mansouri, Gulnara
Tulegenova), and many names are also words (Joy, Hope, May, Summer, Will Church). Where
the name is in no list, the words around it must say it is a person; each frame here is
one staff write about a person and public notices do not:

* a possessive and a kin noun after one word (Joy's dad, Ana's mother);
* kin nouns without a possessive, twice or more in the text or after a family label
  (Family: father Khalid Al-Mansouri, mother Rania, kids Yousef and Layla);
* thanks addressed to one word (Thank you, Dilnoza!);
* one word, then a person's act and a pronoun (Sergio said he'll bring …);
* a name, then an aside with an age or a nationality and an age or a birth
  (Tesfaye (Ethiopian, 34), Lam Gia Bao (sinh nam 2016));
* a call to one or two words at a phone number (Called back Jasur at 070 …, call Nodir
  back at …);
* a Vietnamese form of address opening the sentence, the name, then a verb (Em Hòa nhờ
  dịch, Bé Na bị sốt);
* the full names after a roster's label (``roster``: Attendance: Tariq Aziz, Helen Park);
* "I, <name>," and "authorise <name> to" of a letter of authorisation; a family by its
  plural surname with its members in brackets (The Petersons (Karl and Ingrid));
* the owner of a contact value: "Email from Gulnara Tulegenova:", "Teléfono de
  Yupanqui:", a name in brackets after a phone number or e-mail address;
* a Portuguese or Spanish title in lower case after its article (o senhor Sebastião);
* a kin noun after an article (Los niños Thiago Ccori y …, our kids Ana and Leo).

Each span goes through ``latin_name._acceptable`` in the recogniser (organisation,
place, calendar and nationality words are never names).
"""

from __future__ import annotations

import re


def frames(text: str, word: str, run: str) -> list[tuple[int, int]]:
    """(start, end) of each name the frames above point at; ``word`` and ``run`` are the
    recogniser's patterns for one name word and a run of them."""
    spans: list[tuple[int, int]] = []
    for pattern in _compiled(word, run):
        for match in pattern.finditer(text):
            if match.group("name").lower() in _NOT_ONE_NAME:
                continue  # He lost his job, Caller said he …: a pronoun or a role
            spans.append(match.span("name"))
    rosters = _rosters(word, run)
    kin = list(rosters[0].finditer(text))
    if len(kin) >= 2 or rosters[1].search(text):
        spans += [m.span("name") for m in kin]
    return spans


def roster(text: str, run: str) -> list[tuple[int, int]]:
    """The full names (two words or more) listed after a roster's label (Attendance:
    Tariq Aziz, Helen Park, …; Mga dumalo: …): each item a person, even when its words
    are English words or an organisation word ends it (Park, Church)."""
    spans: list[tuple[int, int]] = []
    label, item = _roster_patterns(run)
    for found in label.finditer(text):
        at = found.end()
        while (match := item.match(text, at)) is not None:
            if " " in match.group("name"):
                spans.append(match.span("name"))
            at = match.end()
    return spans


_ROSTER_CACHE2: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _roster_patterns(run: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    if run not in _ROSTER_CACHE2:
        _ROSTER_CACHE2[run] = (
            re.compile(
                r"(?<![A-Za-z])(?i:attendance|attendees|participants|present|absent|visitors"
                r"|applicants|members|students|class list|list of (?:visitors|applicants|names)"
                r"|mga dumalo|dumalo|peserta|daftar hadir|lista de presen[çc]a|lista"
                r"|participantes|asistentes|presentes|danh s[áa]ch)"
                # a few words may name whose list it is (Danh sách thực tập sinh:)
                r"(?:[ \t]+[^\s:：]{1,14}){0,3}(?:\s?\([^)\n]{0,30}\))?\s?:[ \t]*\n?[ \t]*"
            ),
            re.compile(
                rf"(?P<name>{run})(?:,[ \t]*|[ \t]*\n[ \t]*(?:[-・•*]|\d{{1,2}}[.)])?[ \t]*"
                r"|[ \t]+(?:and|at|e|y|dan|và)[ \t]+|(?=[.;]|$))"
            ),
        )
    return _ROSTER_CACHE2[run]


# Words that open the same frames without being names: pronouns and the roles a note
# names a person by.
_NOT_ONE_NAME = frozenset(
    "he she they we it you i someone somebody nobody everyone everybody anyone who this that"
    " caller visitor client applicant resident patient staff officer teacher doctor nurse"
    " husband wife mother father son daughter mom dad landlord neighbour neighbor employer"
    " interpreter translator".split()
)
_CACHE: dict[tuple[str, str], list[re.Pattern[str]]] = {}
_ROSTER_CACHE: dict[tuple[str, str], tuple[re.Pattern[str], re.Pattern[str]]] = {}

_KIN = (
    "dad|mom|mum|mother|father|son|daughter|wife|husband|kids|children|baby|brother"
    "|sister|grandmother|grandfather|grandma|grandpa|mama|papa|parents|family"
)
_BARE_KIN = (
    "father|mother|wife|husband|sons?|daughters?|kids|children|child|baby|brothers?"
    "|sisters?|grandmother|grandfather|niños|niñas|hijos|hijas|filhos|filhas|crianças"
)
_ACTS = (
    "said|says|told (?:me|us)|asked|called|phoned|came|will come|wants|needs|lost"
    "|brought|explained|promised"
)
_PRONOUNS = "he|she|he'll|she'll|he's|she's|he will|she will|his|her|that he|that she"
_CONTACT_VALUE = r"(?:[\w.+\-]+@[\w.\-]+\.[a-z]{2,}|\+?\(?\d[\d\-‐ ()]{7,}\d)"


def _compiled(word: str, run: str) -> list[re.Pattern[str]]:
    key = (word, run)
    if key not in _CACHE:
        _CACHE[key] = [
            re.compile(rf"(?<![\w'’])(?P<name>{word})['’]s (?:{_KIN})(?![a-z])"),
            re.compile(
                rf"(?<![A-Za-z])(?i:thank you|thanks|thank u)(?:,|\s)\s*(?P<name>{word})"
                r"(?=\s*[!.,]|\s*$)"
            ),
            re.compile(rf"(?<![\w'’])(?P<name>{word}) (?:{_ACTS}) (?:{_PRONOUNS})(?![A-Za-z])"),
            re.compile(
                rf"(?P<name>{run})\s?\((?:[A-Z][a-z]+,\s?\d{{1,2}}|age\s\d{{1,2}}"
                r"|\d{1,2}\s?(?:y/?o|years? old)|(?i:sinh|born|b\.|nasc|lahir|nac)[^)\n]{0,20}"
                r"|head(?: of (?:the )?household)?|applicant|caller|self)\)"
            ),
            re.compile(
                rf"(?<![A-Za-z])(?i:called back|call back|called|call|phoned|texted|rang)\s"
                rf"(?P<name>{word}(?: {word})?)(?=\s(?:back\s)?(?:at|on)\s\+?\(?\d)"
            ),
            # Vietnamese: how one addresses a person opening the sentence, the name, then
            # what they do (Em Hòa nhờ dịch, Bé Na bị sốt, Chi Giang Thi Nga hoi ve …).
            re.compile(
                r"(?:^|(?<=[.!?:]\s)|(?<=\n))(?:Em|Bé|Be|Chị|Chi|Anh|Bạn|Ban|Cô|Co|Chú|Chu|Ông"
                rf"|Ong|Bà|Cháu|Chau)\s(?P<name>{run})\s(?i:nhờ|nho|hỏi|hoi|bị|bi|đã|da|đang"
                r"|dang|muốn|muon|cần|can|đến|den|gọi|goi|sinh|sống|song|đi|di|làm|lam|và|va)"
                r"(?![a-zà-ỹ])",
                re.M,
            ),
            re.compile(rf"(?:^|(?<=[.:\"“]\s)|(?<=[.:\"“]))I,\s(?P<name>{run}),", re.M),
            # a family by its plural surname, its members in brackets (The Okafors (Ada …)
            re.compile(rf"(?<![A-Za-z])[Tt]he [A-Z][a-z]+s\s?\((?P<name>{word})(?=[ ,)])"),
            re.compile(rf"(?<![A-Za-z])(?i:authori[sz]e)\s(?P<name>{run})\sto(?![a-z])"),
            re.compile(
                r"(?<![A-Za-z])(?i:e-?mail|message|letter|text|fax|call)\sfrom\s"
                rf"(?P<name>{run})(?=\s*[:(<]|\s*$)"
            ),
            re.compile(
                r"(?<![A-Za-z])(?i:tel[eé]fono|telefone|celular|correo|e-?mail|phone|number"
                r"|n[uú]mero|contact)\s(?:de|of|for|da|do|del)\s"
                rf"(?P<name>{run})\s?:"
            ),
            re.compile(rf"{_CONTACT_VALUE}\s?[（(](?P<name>{run})[）)]"),
            re.compile(
                rf"(?<![A-Za-z])(?:[Oo]|[Aa]|[Ee]l|[Ll]a)\s(?:senhor|senhora|señor|señora)\s"
                rf"(?P<name>{run})"
            ),
            # an article and a plural kin noun: Los niños Thiago y …, the kids Ana and …
            re.compile(
                rf"(?<![A-Za-z])(?i:los|las|os|as|mga|our|their)\s(?i:{_BARE_KIN})\s"
                rf"(?P<name>{run})"
            ),
        ]
    return _CACHE[key]


def _rosters(word: str, run: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    key = (word, run)
    if key not in _ROSTER_CACHE:
        _ROSTER_CACHE[key] = (
            re.compile(rf"(?<![A-Za-z'’])(?:{_BARE_KIN})[ \t]+(?P<name>{run})"),
            re.compile(r"(?im)^\s*(?:family|household|familia|família|pamilya)\s*:"),
        )
    return _ROSTER_CACHE[key]
