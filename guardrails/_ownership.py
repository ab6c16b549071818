"""Whose is a contact value — a person's or an organisation's? Decided as a reader would.

A contact value (address, phone number, e-mail address, postal code) found in a text is
either a person's data or an organisation's public contact. The words around it decide
(all of them data, ``[ownership]`` in ``conf/policy.toml``):

* **a person** — a private person's name in the same block of lines (no blank line, up
  to three lines either way); a person word in the same sentence (自宅, 携帯, 在住 …, not
  inside a compound such as 自宅療養, nor in a phrase about people in general: 市内在住の
  方); the value's label owned by a person (申請者の住所：, 相談者の携帯 ); an honorific
  right before it (様 090-…) or a person mark right after it (…（自宅）, …在住, …様方);
  a mobile number (070/080/090) or a personal mail service (gmail.com …) by itself;
* **an organisation** — an organisation word (市役所, 窓口, 問い合わせ先, 代表, 内線, 会場,
  開館時間 …) or a unit's name (市民課, 住民記録係, 子育て支援センター) earlier in the same
  block or right after the value on its line; a public mail domain (lg.jp, go.jp,
  city.*, pref.* …); a free-dial or navi-dial number (0120, 0570 …) by itself;
* **an area** — a postal code with no address after it, or an address without a house
  number (本町二丁目): a place, not a home (``[public] area_information``).

Person evidence wins over organisation evidence: 「市役所 担当 090-…」 and 「市民課の
山田様（054-…）」 stay personal. Free-dial numbers are the one exception — no person
holds one. Without evidence either way the owner is unknown: a prompt treats it as
personal (it blocks), a document declared public as public (see ``_ingest``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from guardrails._public_policy import OwnershipWords
from guardrails.recognizers.phone_number import national_number

CONTACT_TYPES = frozenset(["ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "POSTAL_CODE"])

_KANJI = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = f"{_KANJI}\u30a1-\u30fa\u30fc・A-Za-z0-9"
_BLOCK_LINES = 3  # lines either way that belong to a value's block
_BEFORE = 25  # characters of the sentence before a value searched for person words
_AFTER = 12  # … and after it
_ORG_AFTER = 15  # characters after a value searched for organisation words
_LABEL_BEFORE = 24  # characters before a value where its label stands
# Words that end in a unit's suffix without naming a unit: a person's place (現住所),
# a direction (南部, 北西部).
_NOT_UNITS = re.compile(r"(?:[現旧前新]住|居住|近|[東西南北中]{1,2})(?:所|部)$")
# How a person's contact value is labelled: 住所, 電話番号, 携帯, メール …
_CONTACT_LABELS = (
    "住所|電話番号|電話|携帯電話番号|携帯電話|携帯番号|携帯|連絡先|TEL|Tel|tel|"
    "メールアドレス|メール|アドレス|E-?mail|e-?mail|郵便番号|〒|自宅"
)
# Phrases about people in general after a person word (市内在住の方, 自宅等).
_GENERIC_AFTER = re.compile(r"(?:の方|の皆|のみな|者|等|たち|ども|各位|一同|全員)")
# After a value: the person it belongs to (…（自宅）, …在住, …様方).
_PERSON_AFTER = re.compile(
    r"[\s]*(?:[（(](?:自宅|携帯|本人|実家|個人)[）)]|在住(?!の方)|様方|方(?=[\s、。）)]|$)|宅(?=[\s、。）)]|$))"
)
_SENTENCE_END = re.compile(r"[。！？!?\n]")


class Owner(StrEnum):
    """Whose a contact value is."""

    PERSON = "person"
    ORGANISATION = "organisation"
    AREA = "area"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Mention:
    """A finding's type and span in the analysed text."""

    type: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Ownership:
    """The decision for one contact value and the words that made it (for staff)."""

    owner: Owner
    cues: tuple[str, ...] = ()


# Cue reported when a private person's name stands next to the value.
NAME_NEARBY = "近くの氏名"


class OwnershipRules:
    """The ``[ownership]`` words, compiled once per guard."""

    def __init__(self, words: OwnershipWords, *, area_information: bool) -> None:
        self._area_information = area_information
        self._org_words = _alternation(
            (*words.organisation_words, *words.facility_words), glued=True
        )
        suffixes = "".join(re.escape(s) for s in words.organisation_suffixes if len(s) == 1)
        # A unit's name: two or more letters then its suffix, no kanji after (課題, 課税).
        self._unit = (
            re.compile(rf"[{_WORD}]{{2,16}}[{suffixes}](?![{_KANJI}])") if suffixes else None
        )
        self._person_words = _alternation(words.person_words, glued=True)
        labels = _alternation(words.person_labels)
        honorifics = _alternation(words.honorifics)
        self._generic = tuple(words.generic_people)
        # 申請者の住所：, 相談者さんの携帯 , 住民からの電話（
        self._owned_label = re.compile(
            rf"({labels.pattern})(?:{honorifics.pattern})?(?:の|からの?|への?)?"
            rf"(?:{_CONTACT_LABELS})(?:番号)?[\s:：は（(=]*$"
        )
        # 様 090-…, 様の電話：
        self._honorific_before = re.compile(
            rf"({honorifics.pattern})(?:の(?:{_CONTACT_LABELS}))?[\s:：は（(=]*$"
        )
        self._public_suffixes = tuple(s.lower() for s in words.public_email_suffixes)
        self._public_prefixes = tuple(p.lower() for p in words.public_email_prefixes)
        self._personal_domains = frozenset(d.lower() for d in words.personal_email_domains)
        self._mobile = tuple(words.personal_phone_prefixes)
        self._service = tuple(words.organisation_phone_prefixes)

    def decide(
        self, text: str, contacts: Sequence[Mention], people: Sequence[Mention]
    ) -> list[Ownership]:
        """The owner of each of ``contacts`` in ``text``; ``people`` are the private
        persons' names found in it (public figures excluded)."""
        lines = _Lines(text)
        addresses = {
            m.start: self._decide_one(text, m, people, lines)
            for m in contacts
            if m.type == "ADDRESS"
        }
        decided: list[Ownership] = []
        for m in contacts:
            if m.type == "ADDRESS":
                decided.append(addresses[m.start])
                continue
            if m.type == "POSTAL_CODE":
                follows = _address_after(text, m.end, addresses)
                if follows is not None:
                    decided.append(follows)
                    continue
            decided.append(self._decide_one(text, m, people, lines))
        return decided

    # -- one value ----------------------------------------------------------------
    def _decide_one(
        self, text: str, m: Mention, people: Sequence[Mention], lines: _Lines
    ) -> Ownership:
        value = text[m.start : m.end]
        intrinsic = self._intrinsic(m.type, value)
        if (
            intrinsic is not None
            and intrinsic.owner is Owner.ORGANISATION
            and m.type == "PHONE_NUMBER"
        ):
            return intrinsic  # no person holds a free-dial number
        block_start, block_end = lines.block(m.start, m.end)
        named = [p for p in people if block_start <= p.start and p.end <= block_end]
        area = self._area_information and _area_only(m.type, value)
        person = self._person_cues(text, m, named, strong_only=area)
        if person:
            return Ownership(Owner.PERSON, person)
        if intrinsic is not None and intrinsic.owner is Owner.PERSON:
            return intrinsic
        organisation = self._organisation_cues(text, m, block_start)
        if intrinsic is not None:
            organisation = (*intrinsic.cues, *organisation)
        if organisation:
            return Ownership(Owner.ORGANISATION, organisation)
        if area:
            return Ownership(Owner.AREA)
        return Ownership(Owner.UNKNOWN)

    def _intrinsic(self, entity_type: str, value: str) -> Ownership | None:
        if entity_type == "PHONE_NUMBER":
            national = national_number(value) or ""
            if national.startswith(self._service):
                return Ownership(Owner.ORGANISATION, (national[:4],))
            if national.startswith(self._mobile):
                return Ownership(Owner.PERSON, (national[:3],))
        if entity_type == "EMAIL_ADDRESS" and "@" in value:
            domain = value.rsplit("@", 1)[1].lower()
            if domain in self._personal_domains:
                return Ownership(Owner.PERSON, (domain,))
            if domain.endswith(self._public_suffixes) or domain.startswith(self._public_prefixes):
                return Ownership(Owner.ORGANISATION, (domain,))
        return None

    def _person_cues(
        self, text: str, m: Mention, named: Sequence[Mention], *, strong_only: bool
    ) -> tuple[str, ...]:
        cues: list[str] = []
        if named:
            cues.append(NAME_NEARBY)
        line_start = text.rfind("\n", 0, m.start) + 1
        before = text[max(line_start, m.start - _LABEL_BEFORE) : m.start]
        owned = self._owned_label.search(before)
        if owned:
            cues.append(owned.group(1))
        honorific = self._honorific_before.search(before)
        if honorific and not self._generic_before(before, honorific.start()):
            cues.append(honorific.group(1))
        after = _PERSON_AFTER.match(text, m.end)
        if after:
            cues.append(after.group().strip(" \t（()）"))
        if strong_only:
            return tuple(cues)
        sentence_start = max(
            (x.end() for x in _SENTENCE_END.finditer(text, max(0, m.start - _BEFORE), m.start)),
            default=max(0, m.start - _BEFORE),
        )
        stop = _SENTENCE_END.search(text, m.end, m.end + _AFTER)
        sentence_end = stop.start() if stop else min(len(text), m.end + _AFTER)
        for window in ((sentence_start, m.start), (m.end, sentence_end)):
            for found in self._person_words.finditer(text, *window):
                if not _GENERIC_AFTER.match(text, found.end()):
                    cues.append(found.group())
        return tuple(dict.fromkeys(cues))

    def _generic_before(self, before: str, at: int) -> bool:
        """True when the honorific at ``at`` follows words about people in general
        (皆様, お客様, 参加者の皆さん)."""
        head = before[:at]
        return head.endswith(self._generic) or head.endswith(("お", "ご"))

    def _organisation_cues(self, text: str, m: Mention, block_start: int) -> tuple[str, ...]:
        line_end = text.find("\n", m.end)
        after_end = min(m.end + _ORG_AFTER, len(text) if line_end < 0 else line_end)
        cues: list[str] = []
        for start, end in ((block_start, m.start), (m.end, after_end)):
            cues += [w.group() for w in self._org_words.finditer(text, start, end)]
            if self._unit is not None:
                cues += [
                    u.group()
                    for u in self._unit.finditer(text, start, end)
                    if not _NOT_UNITS.search(u.group())
                ]
        return _outermost(cues)


class _Lines:
    """Line and block boundaries of a text."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def block(self, start: int, end: int) -> tuple[int, int]:
        """Start and end of the lines within ``_BLOCK_LINES`` of ``[start, end)`` that
        no blank line separates from it."""
        text = self._text
        lo = text.rfind("\n", 0, start) + 1
        for _ in range(_BLOCK_LINES):
            if lo == 0:
                break
            previous = text.rfind("\n", 0, lo - 1) + 1
            if not text[previous : lo - 1].strip():
                break
            lo = previous
        hi = text.find("\n", end)
        hi = len(text) if hi < 0 else hi
        for _ in range(_BLOCK_LINES):
            if hi >= len(text):
                break
            following = text.find("\n", hi + 1)
            following = len(text) if following < 0 else following
            if not text[hi + 1 : following].strip():
                break
            hi = following
        return lo, hi


def _alternation(words: Sequence[str], *, glued: bool = False) -> re.Pattern[str]:
    """One alternation of ``words``, longest first; ``glued``: not followed by kanji
    (a word inside a compound — 自宅療養, 代表者 — is another word)."""
    if not words:
        return re.compile(r"(?!)")
    ordered = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    tail = rf"(?![{_KANJI}])" if glued else ""
    return re.compile(f"(?:{ordered}){tail}")


def _outermost(cues: Sequence[str]) -> tuple[str, ...]:
    """The cues in order, without repeats or words inside another (市役所 in 焼津市役所)."""
    unique = list(dict.fromkeys(cues))
    return tuple(c for c in unique if not any(c != o and c in o for o in unique))


def _area_only(entity_type: str, value: str) -> bool:
    """A postal code (alone: see _address_after), or an address that stops at a 丁目 or
    a 町名 without a house number."""
    if entity_type == "POSTAL_CODE":
        return True
    return entity_type == "ADDRESS" and re.search(r"丁目\s*$", value) is not None


def _address_after(text: str, end: int, addresses: dict[int, Ownership]) -> Ownership | None:
    """The decision of an address right after a postal code (〒425-0022 焼津市本町…)."""
    gap = re.match(r"[\s、,:：]{0,3}", text[end:])
    start = end + (gap.end() if gap else 0)
    return addresses.get(start)
