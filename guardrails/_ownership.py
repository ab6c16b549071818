"""Whose is a contact value — a person's or an organisation's? Decided as a reader would.

A contact value (address, phone number, e-mail address, postal code) found in a text is
either a person's data or an organisation's public contact. The words around it decide
(all of them data, ``[ownership]`` in ``conf/policy.toml``):

* **a person** — a private person's name in the value's block of lines (see
  ``_blocks``) or anywhere in the text; a person's identifier (マイナンバー, 口座,
  生年月日 …) or personal contact in the block; a person word in the value's sentence or
  the one before it (自宅, 携帯, 在住, 住んでいる …), not inside a compound (自宅療養) nor
  about people in general (市内在住の方); the value's label owned by a person or a title
  (申請者の住所：, 相談者の携帯, 園長の住所：); an honorific right before it (様 090-…)
  or a person mark right after it (…（自宅）, …在住, …様方); and by itself a mobile
  number (070/080/090), a personal mail service (gmail.com …), a mailbox named after a
  person (t.yamada@, tanaka[at]city… — see ``_romaji_names``; ``[public]
  named_mailboxes``) or a flat (…201号室);
* **an organisation** — an organisation word (窓口, 問い合わせ先, 代表, 内線, 会場,
  開館時間 …), a facility word (市役所, センター, 図書館 …) or a unit's name (市民課,
  住民記録係) on the value's line before it, in its sentence after it, in the short
  heading and label lines of its block, or in an address's building part; a public mail
  domain (lg.jp, go.jp, city.*, pref.* …); by itself a free-dial number (0120, 0570 …);
* **an area** — a postal code with no address after it, or an address without a house
  number (本町二丁目): a place, not a home (``[public] area_information``) — unless a
  person's contact value stands in its block.

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

from guardrails._blocks import Blocks, sentence
from guardrails._gazetteer import fold, gazetteer
from guardrails._public_policy import OwnershipWords
from guardrails._romaji_names import romaji_names
from guardrails.recognizers._chinese_text import (
    ChineseClauses,
    has_chinese_clause,
    written_in_japanese,
)
from guardrails.recognizers.email_address import deobfuscated_email
from guardrails.recognizers.phone_number import national_number

CONTACT_TYPES = frozenset(["ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "POSTAL_CODE"])

_KANJI = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = f"{_KANJI}\u30a1-\u30fa\u30fc・A-Za-z0-9"
_BEFORE = 60  # characters before a value searched for person words (two sentences)
_AFTER = 12  # … and after it
_LABEL_BEFORE = 24  # characters before a value where its label stands
# Words that end in a unit's suffix without naming a unit: a person's place (住所,
# 現住所), a direction (南部, 北西部), a part (一部), a room of a home (和室), an act
# (来場, 休校).
_NOT_UNITS = re.compile(
    r"(?:住所|居所|場所|近所|台所|長所|短所|関係|[全一内外細大]部|部署|[和個居自寝浴]室|結局"
    r"|[登出入退来]場|現場|職場|立場|市場|相場|本場|[登下休開]校|[東西南北中]{1,2}部)$"
)
# How a person's contact value is labelled: 住所, 電話番号, 携帯, メール …
_CONTACT_LABELS = (
    "住所|電話番号|電話|携帯電話番号|携帯電話|携帯番号|携帯|連絡先|TEL|Tel|tel|"
    "メールアドレス|メール|アドレス|E-?mail|e-?mail|郵便番号|〒|自宅"
)
# A person by their title or role (園長, 担当者, 相談員, 職員): owning a contact label,
# the value is theirs (園長の住所：).
_PERSON_TITLE = r"[\u4e00-\u9fff]{0,8}(?:長|員|者|官|師|士)"
# Phrases about people in general after a person word (市内在住の方, 自宅等), also as a
# notice's eligibility: 市内在住・在勤の方, 市内在住の65歳以上の方.
_GENERIC_AFTER = re.compile(
    r"(?:[・、](?:在勤|在学|在職|通勤|通学)(?:者)?){0,3}"
    r"(?:(?:いる|おられる|いない)?(?:の)?"
    r"(?:[0-9０-９一二三四五六七八九十]{1,3}歳(?:以上|以下|未満)?の)?(?:方|皆|みな|人々)"
    r"|者|等|たち|ども|各位|一同|全員)"
)
# After a value: the person it belongs to (…（自宅）, …在住, …様方), or the household
# it is sent to or is (c/o: …2-16-32 鈴木方, … 鈴木様方, …（山田宅）) — not a word
# ending in 方 or 宅 that names no household (地方, 双方, 住宅, 帰宅).
_HOUSEHOLD = (
    rf"(?![{_KANJI}]*(?:地|両|双|諸|一|他|片|先|前|後|上|下|夕|朝|当|貴|彼|此|八|四|親|目)方)"
    rf"(?![{_KANJI}]*(?:住|帰|在|邸)宅)[{_KANJI}\u30a1-\u30fa\u30fc]{{1,6}}(?:様|さま|さん)?(?:方|宅)"
)
_PERSON_AFTER = re.compile(
    rf"[\s]*(?:[（(](?:自宅|携帯|本人|実家|個人|{_HOUSEHOLD})[）)]|在住(?!の方)|様方"
    r"|方(?=[\s、。）)]|$)|宅(?=[\s、。）)]|$)"
    rf"|{_HOUSEHOLD}(?=[\s、。,）)]|です|宛|まで|へ|に|$))"
)
# Person words that say where someone lives: they claim even a registered address.
_HOME_CLAIMS = frozenset(
    [
        "自宅",
        "在住",
        "実家",
        "現住所",
        "旧住所",
        "転居先",
        "転出先",
        "住んで",
        "住んでいる",
        "暮らして",
    ]
)
# 方 after a verb's stem is a manner (出し方：, 申込み方法), not a person — unless it is
# この方 / その方 / あの方 (this person).
_MANNER_BEFORE = re.compile(r"(?<![こそあど])[\u3041-\u3096]\Z")
_KANA_TAIL = re.compile(r"[\u3041-\u3096ー]+$")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_FULL_STOP = re.compile(r"[。！？!?]")
_DIGIT = re.compile(r"[0-9]+")
_GAP_TO_ADDRESS = re.compile(r"[\s、,:：]{0,3}")
_CHOME_LAST = re.compile(r"丁目\s*$")
# Lines of a block that may name the value's organisation: headings and labels.
_HEADING_CHARS = 40
_REACH = 200  # how far back on its line a value's topic is looked for
# A flat: a home, not an office (…マンション409号室).
_RESIDENCE = re.compile(r"号室|マンション|アパート|ハイツ|コーポ|メゾン|ハイム|レジデンス")
_KANJI_CHAR = re.compile(f"[{_KANJI}]")
_NAME_GAP = re.compile(r"[ \u3000]+")
_LATIN = re.compile(r"[A-Za-z]{3}")
_CHINESE_GLUE = frozenset("的是在和与與及")
# A brand before a branch's place: Latin words (Little Walkers) or katakana (スマイルキッズ).
_BRAND = r"(?:[A-Za-z][A-Za-z0-9'&.\-]*(?: [A-Za-z0-9][A-Za-z0-9'&.\-]*){0,4}|[\u30a1-\u30fa\u30fc・]{2,})"


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


# Cues reported for person evidence that is no word of the text: a private person's
# name in the value's block or elsewhere in the text; a person's identifier (マイナンバー,
# 口座 …) or personal contact (携帯, gmail …) in the block.
NAME_NEARBY = "近くの氏名"
# A mailbox named after a person (t.yamada@…): at a public mail domain a staff member's
# — published in a document declared public, it goes to the register like the city's
# other contacts — elsewhere anyone's.
STAFF_MAILBOX = "職員の個人名のアドレス"
NAMED_MAILBOX = "個人名のアドレス"
NAME_IN_TEXT = "本文中の氏名"
PERSONAL_NEARBY = "近くの個人の番号・連絡先"
# Findings of types only a person has.
IDENTIFIER_TYPES = frozenset(
    "MY_NUMBER RESIDENT_CODE BANK_ACCOUNT CREDIT_CARD PASSPORT_NUMBER DRIVER_LICENSE"
    " HEALTH_INSURANCE PENSION_NUMBER RESIDENCE_CARD BIRTH_DATE".split()
)


class OwnershipRules:
    """The ``[ownership]`` words, compiled once per guard."""

    def __init__(
        self,
        words: OwnershipWords,
        *,
        area_information: bool,
        named_mailboxes_personal: bool = True,
    ) -> None:
        self._area_information = area_information
        # Built now (once per process, ~0.1–0.3 s), not on the first e-mail address.
        self._mailbox_names = romaji_names() if named_mailboxes_personal else None
        # Glued to kanji after it, an organisation word is part of another word (代表者,
        # 施設長) — unless that kanji is one Japanese does not write (Chinese text glues
        # its words: 防災センター进行, see _glued_to_a_word).
        self._org_words = _alternation((*words.organisation_words, *words.facility_words))
        self._legal_forms = _alternation(words.legal_forms)
        suffixes = "".join(re.escape(s) for s in words.organisation_suffixes if len(s) == 1)
        # A unit's name: letters then its suffix, no kanji after (課題, 課税); kana
        # inside (健康づくり課) — cut at the last particle, see _unit_name.
        self._unit = (
            re.compile(
                rf"[{_WORD}][{_WORD}\u3041-\u3096]{{1,20}}?[{suffixes}](?!(?!一覧)[{_KANJI}])"
            )
            if suffixes
            else None
        )
        # A business's branch: a brand in Latin letters or katakana, then a place and
        # maybe a branch word (Little Walkers 焼津中央, スマイルキッズ藤枝駅前,
        # リカバリー焼津本町); the place is checked against the gazetteer (_branch_names).
        self._branch = re.compile(
            rf"{_BRAND}[ \u3000]?([{_KANJI}\u30a1-\u30fa\u30fc]{{1,8}}?)"
            rf"(?:{_alternation(words.branch_words).pattern})?(?![{_KANJI}])"
        )
        self._person_words = _alternation(words.person_words, glued=True)
        self._person_word_set = frozenset(words.person_words)
        labels = _alternation(words.person_labels)
        honorifics = _alternation(words.honorifics)
        self._generic = tuple(words.generic_people)
        self._facilities = tuple(words.facility_words)
        # 申請者の住所：, 相談者さんの携帯 , 住民からの電話（, 園長の住所：
        self._owned_label = re.compile(
            rf"({labels.pattern}|{_PERSON_TITLE})(?:{honorifics.pattern})?(?:の|からの?|への?)?"
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
        self,
        text: str,
        contacts: Sequence[Mention],
        people: Sequence[Mention],
        identifiers: Sequence[Mention] = (),
    ) -> list[Ownership]:
        """The owner of each of ``contacts`` in ``text``. ``people`` are the private
        persons' names found in it (public figures excluded), ``identifiers`` the
        findings of types that only a person has (マイナンバー, 口座, 生年月日 …)."""
        intrinsic = [self._intrinsic(m.type, text[m.start : m.end]) for m in contacts]
        personal = [
            *identifiers,
            *(
                m
                for m, own in zip(contacts, intrinsic, strict=True)
                if own and own.owner is Owner.PERSON
            ),
        ]
        context = _Context(text, Blocks(text), people, personal)
        addresses = {
            m.start: self._decide_one(m, own, context)
            for m, own in zip(contacts, intrinsic, strict=True)
            if m.type == "ADDRESS"
        }
        decided: list[Ownership] = []
        for m, own in zip(contacts, intrinsic, strict=True):
            if m.type == "ADDRESS":
                decided.append(addresses[m.start])
                continue
            if m.type == "POSTAL_CODE":
                follows = _address_after(text, m.end, addresses)
                if follows is not None:
                    decided.append(follows)
                    continue
            decided.append(self._decide_one(m, own, context))
        return _areas_of_people(context, contacts, decided)

    # -- one value ----------------------------------------------------------------
    def _decide_one(self, m: Mention, intrinsic: Ownership | None, ctx: _Context) -> Ownership:
        text = ctx.text
        if (
            intrinsic is not None
            and intrinsic.owner is Owner.ORGANISATION
            and m.type == "PHONE_NUMBER"
        ):
            return intrinsic  # no person holds a free-dial number
        block = ctx.blocks.block(m.start, m.end)
        area = self._area_information and _area_only(m.type, text[m.start : m.end])
        organisation, on_own_line = self._organisation_cues(text, m, block, ctx.chinese)
        person = (
            *ctx.person_nearby(m, block, item_of_a_list=on_own_line),
            *self._person_cues(text, m, strong_only=area),
        )
        if person:
            return Ownership(Owner.PERSON, _outermost(person))
        if intrinsic is not None and intrinsic.owner is Owner.PERSON:
            return intrinsic
        if intrinsic is not None:
            organisation = (*intrinsic.cues, *organisation)
        if organisation:
            return Ownership(Owner.ORGANISATION, organisation)
        if area:
            return Ownership(Owner.AREA)
        return Ownership(Owner.UNKNOWN)

    def claimed(self, text: str, m: Mention) -> tuple[str, ...]:
        """The words that claim the value as someone's home (自宅, 在住, 住んでいる,
        申請者の住所：, …（自宅）, 様 054-…) — for a registered value, which passes
        otherwise. Other person words (携帯, 緊急連絡先, 私の) do not: a published duty
        mobile or emergency line of an office is written with them."""
        return tuple(
            c
            for c in self._person_cues(text, m, strong_only=False)
            if c not in self._person_word_set or c in _HOME_CLAIMS
        )

    def _intrinsic(self, entity_type: str, value: str) -> Ownership | None:
        """What the value says by itself: a mobile number, a personal mail service or
        a flat's room number is a person's; a free-dial number or a public mail domain
        an organisation's."""
        if entity_type == "PHONE_NUMBER":
            national = national_number(value) or ""
            if national.startswith(self._service):
                return Ownership(Owner.ORGANISATION, (national[:4],))
            if national.startswith(self._mobile):
                return Ownership(Owner.PERSON, (national[:3],))
        # A disguised address (taro[at]gmail.com, taro @ gmail.com) is judged by the
        # address it spells.
        address = None
        if entity_type == "EMAIL_ADDRESS":
            plain = "@" in value and not any(c.isspace() for c in value)
            address = value if plain else deobfuscated_email(value)
        if address:
            local, _, domain = address.rpartition("@")
            domain = domain.lower()
            if domain in self._personal_domains:
                return Ownership(Owner.PERSON, (domain,))
            public = domain.endswith(self._public_suffixes) or domain.startswith(
                self._public_prefixes
            )
            # A mailbox named after a person is theirs, a staff member's too (t.yamada@
            # city…); a unit's (shiminka@, kosodate-shien@) is the organisation's.
            if self._mailbox_names is not None and self._mailbox_names.names_a_person(local):
                return Ownership(Owner.PERSON, (STAFF_MAILBOX if public else NAMED_MAILBOX, domain))
            if public:
                return Ownership(Owner.ORGANISATION, (domain,))
        if entity_type == "ADDRESS":
            home = _RESIDENCE.search(value)
            if home is not None:
                return Ownership(Owner.PERSON, (home.group(),))
        return None

    def _person_cues(self, text: str, m: Mention, *, strong_only: bool) -> tuple[str, ...]:
        """Person words around the value: its label's owner (申請者の住所：), an
        honorific next to it, a person mark after it (…（自宅）, …在住); unless
        ``strong_only``, person words in its sentence (自宅, 携帯 …)."""
        cues: list[str] = []
        line_start = text.rfind("\n", 0, m.start) + 1
        before = text[max(line_start, m.start - _LABEL_BEFORE) : m.start]
        owned = self._owned_label.search(before)
        if owned:
            cues.append(owned.group(1))
        honorific = self._honorific_before.search(before)
        if (
            honorific
            and not self._generic_before(before, honorific.start())
            and not (
                honorific.group(1) == "方" and _MANNER_BEFORE.search(before, 0, honorific.start())
            )
        ):
            cues.append(honorific.group(1))
        after = _PERSON_AFTER.match(text, m.end)
        if after:
            cues.append(after.group().strip(" \t（()）"))
        if strong_only:
            return tuple(cues)
        # This sentence and the one before it on the line (本人は…に住んでいる。住所は…).
        ends = [x.end() for x in _FULL_STOP.finditer(text, line_start, m.start)]
        window_start = max(ends[-2] if len(ends) >= 2 else line_start, m.start - _BEFORE)
        stop = _SENTENCE_END.search(text, m.end, m.end + _AFTER)
        sentence_end = stop.start() if stop else min(len(text), m.end + _AFTER)
        for window in ((window_start, m.start), (m.end, sentence_end)):
            for found in self._person_words.finditer(text, *window):
                if not _GENERIC_AFTER.match(text, found.end()):
                    cues.append(found.group())
        return tuple(dict.fromkeys(cues))

    def _generic_before(self, before: str, at: int) -> bool:
        """True when the honorific at ``at`` follows words about people in general
        (皆様, お客様, 参加者の皆さん) or ends a facility's name (保育園たぁそびさん)."""
        head = before[:at]
        if head.endswith(self._generic) or head.endswith(("お", "ご")):
            return True
        kana = _KANA_TAIL.search(head)
        return head[: kana.start() if kana else len(head)].endswith(self._facilities)

    def _organisation_cues(
        self, text: str, m: Mention, block: tuple[int, int], chinese: ChineseClauses | None
    ) -> tuple[tuple[str, ...], bool]:
        """Organisation words and units' names, nearest first: on the value's line before
        it and in its sentence after it, in the value itself when it is an address
        (…2-16-32 焼津市役所), and in the short lines of its block — headings and labels
        (焼津市立図書館, 所管：税務課, 名称｜住所｜電話番号), not the prose of other
        lines. Also whether one of them stands on the value's own line."""
        sentence_start, sentence_end = sentence(text, m.start, m.end)
        line_start = text.rfind("\n", 0, m.start) + 1
        # The line before the value (its paragraph's topic: 焼津西小学校は…にあります。
        # 電話は…), the rest of its sentence after it.
        spans = [(max(line_start, m.start - _REACH), m.start), (m.end, sentence_end)]
        if m.type == "ADDRESS":  # its building, after the last number
            digits = [d.end() for d in _DIGIT.finditer(text, m.start, m.end)]
            spans.append((digits[-1] if digits else m.end, m.end))
            # A romanised address may open with the office it is (Yaizu City Hall,
            # 2-16-32 Honmachi): the recogniser takes the name in as its locality.
            if _LATIN.search(text, m.start, m.end):
                spans.append((m.start, digits[0] if digits else m.end))
            # … and a Japanese one the facility it is, before a space (焼津市立旭町保育園
            # 駅北3-17-10): the recogniser reads the name in as the locality.
            first = _DIGIT.search(text, m.start, m.end)
            gap = _NAME_GAP.search(text, m.start, first.start() if first else m.end)
            if gap is not None:
                spans.append((m.start, gap.start()))
        position = block[0]
        while position < block[1]:
            stop = text.find("\n", position)
            stop = block[1] if stop < 0 or stop > block[1] else stop
            if position != line_start:
                # A short line, or the label sentence ending a long one (…ください。
                # ばしょ：東益津小学校（…）⏎でんわ：…).
                ends = [e.end() for e in _FULL_STOP.finditer(text, position, stop)]
                head = ends[-1] if ends and ends[-1] < stop else position
                if len(text[head:stop].strip()) <= _HEADING_CHARS:
                    spans.append((head, stop))
            position = stop + 1
        cues: list[tuple[int, str]] = []
        for start, end in spans:
            cues += [
                (w.start(), w.group())
                for w in self._org_words.finditer(text, start, end)
                if not _glued_to_a_word(text, w.end(), chinese)
            ]
            # A legal form opens a name glued to it (株式会社大和建設).
            cues += [(w.start(), w.group()) for w in self._legal_forms.finditer(text, start, end)]
            cues += self._branch_names(text, start, end)
            if self._unit is not None:
                for unit in self._unit.finditer(text, start, end):
                    name = _unit_name(unit.group())
                    if len(name) >= 2 and not _NOT_UNITS.search(name):
                        cues.append((unit.end() - len(name), name))
        cues.sort(key=lambda c: abs(c[0] - m.start))
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end
        own_line = any(line_start <= at < line_end for at, _ in cues)
        return _outermost([c for _, c in cues]), own_line

    def _branch_names(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        """Names of a business's branch in ``text[start:end]`` whose place is a
        municipality (焼津 of 焼津市), a 町域 of the gazetteer, or both (焼津本町)."""
        found: list[tuple[int, str]] = []
        for branch in self._branch.finditer(text, start, end):
            if _is_place(branch.group(1)):
                found.append((branch.start(), branch.group().strip()))
        return found


class _Context:
    """What the whole text says about people: private names, and findings that only a
    person has (identifiers, mobile numbers, personal mail, flats); and which of its
    clauses are Chinese (where words are glued together)."""

    __slots__ = ("blocks", "chinese", "people", "personal", "text")

    def __init__(
        self, text: str, blocks: Blocks, people: Sequence[Mention], personal: Sequence[Mention]
    ) -> None:
        self.text = text
        self.blocks = blocks
        self.people = people
        self.personal = personal
        self.chinese = ChineseClauses(text) if has_chinese_clause(text) else None

    def person_nearby(
        self, m: Mention, block: tuple[int, int], *, item_of_a_list: bool
    ) -> tuple[str, ...]:
        """A private name in the value's block (or else anywhere in the text), and a
        person's identifier or contact in the block — on the value's own line only when
        that line names its organisation (an item of a list of facilities: one item's
        mobile number says nothing of the next item's)."""
        cues: list[str] = []
        if any(block[0] <= p.start and p.end <= block[1] for p in self.people):
            cues.append(NAME_NEARBY)
        elif self.people:
            cues.append(NAME_IN_TEXT)
        if item_of_a_list:
            line_start = self.text.rfind("\n", 0, m.start) + 1
            line_end = self.text.find("\n", m.end)
            block = (line_start, len(self.text) if line_end < 0 else line_end)
        if any(
            block[0] <= p.start and p.end <= block[1] and (p.start, p.end) != (m.start, m.end)
            for p in self.personal
        ):
            cues.append(PERSONAL_NEARBY)
        return tuple(cues)


# Particles that end the words before a unit's name (住民票の写しは|市民課).
_PARTICLE = re.compile(r"(?:[はがをにでとへもや]|から|まで|より|の)(?=[^\u3041-\u3096])")


def _unit_name(run: str) -> str:
    """The unit's name at the end of ``run``: after its last particle (健康づくり課
    stays whole, 住民票の写しは市民課 gives 市民課) — one that leaves more than the
    suffix: a kana of the name itself is no particle (ターントクルこど|も|館)."""
    cuts = [m.end() for m in _PARTICLE.finditer(run)]
    for cut in reversed(cuts):
        if len(run) - cut >= 2:
            return run[cut:].lstrip("・")
    return run.lstrip("・")


def _is_place(name: str) -> bool:
    """A municipality without its suffix (焼津), a 町域 (大住, 本町), or the two (焼津本町)."""
    places = gazetteer()
    if any(name + suffix in places.cities for suffix in "市町村区"):
        return True
    if len(name) >= 2 and fold(name) in places.towns:
        return True
    return any(
        _is_city_stem(name[:cut], places.cities) and fold(name[cut:]) in places.towns
        for cut in range(2, len(name) - 1)
    )


def _is_city_stem(stem: str, cities: frozenset[str]) -> bool:
    return any(stem + suffix in cities for suffix in "市町村区")


def _glued_to_a_word(text: str, end: int, chinese: ChineseClauses | None) -> bool:
    """A Japanese kanji right after ``end``: the word before is part of a compound.
    In a Chinese clause (会館本周六下午闭馆), Chinese function characters (焼津市役所的
    地址) and characters Japanese does not write (センター进行) glue nothing."""
    if end >= len(text) or not _KANJI_CHAR.match(text, end):
        return False
    if chinese is not None and chinese.covers(end, end + 1):
        return False
    char = text[end]
    return char not in _CHINESE_GLUE and written_in_japanese(char)


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


def _areas_of_people(
    ctx: _Context, contacts: Sequence[Mention], decided: list[Ownership]
) -> list[Ownership]:
    """An area (a postal code, 本町二丁目) in the block of a person's contact value is
    that person's: 担当高橋様（025-476-3147）。〒781-5222."""
    personal = [m for m, o in zip(contacts, decided, strict=True) if o.owner is Owner.PERSON]
    if not personal:
        return decided
    out: list[Ownership] = []
    for m, ownership in zip(contacts, decided, strict=True):
        if ownership.owner is Owner.AREA:
            block = ctx.blocks.block(m.start, m.end)
            if any(block[0] <= p.start and p.end <= block[1] for p in personal):
                ownership = Ownership(Owner.PERSON, (PERSONAL_NEARBY,))
        out.append(ownership)
    return out


def _area_only(entity_type: str, value: str) -> bool:
    """A postal code (alone: see _address_after), or an address that stops at a 丁目 or
    a 町名 without a house number."""
    if entity_type == "POSTAL_CODE":
        return True
    return entity_type == "ADDRESS" and _CHOME_LAST.search(value) is not None


def _address_after(text: str, end: int, addresses: dict[int, Ownership]) -> Ownership | None:
    """The decision of an address right after a postal code (〒425-0022 焼津市本町…)."""
    gap = _GAP_TO_ADDRESS.match(text, end)
    return addresses.get(gap.end() if gap else end)
