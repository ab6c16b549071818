"""The guard's decision step after recognition: which findings are public information.

For each finding (in the analysed text), in order:

1. its value is in the public register → ``PublicBasis.REGISTER``;
   — except an address or phone number that person words claim (自宅, 在住, 申請者の
   住所：, …（自宅）): a resident saying they live at a facility's address gives their
   own data, so the value is judged like any other (step 4);
2. a name in a public role (田中市長, 議長（田中一郎君）), or in a role public in its kind
   of text (``[[public.context_roles]]``: 「市民課の村松です」 in staff mail, 「院長　…」 on
   a holiday rota, 「講師：…氏」) → ``PublicBasis.ROLE_IN_CONTEXT`` — a person again,
   like a historical name, when the text holds personal data; a name listed right
   after such a name (委員　村田浩二、松浦清美) shares its role;
3. a name the policy lists (a mascot: やいちゃん) → ``PUBLIC_NAME``; a full name alone
   (no honorific, title or label) in a text about history or literature (徳川家康は…,
   北原白秋の童謡) → ``HISTORICAL`` — unless the text holds a person's identifier or a
   contact value judged personal, when such names stay personal;
4. a contact value is an organisation's or only an area → ``ORGANISATION`` / ``AREA``
   (see ``_ownership``; the other names found are the evidence of a person nearby);
5. the names still personal, in a text the learned gate reads as a published municipal
   document (``_public_document``, ``[public_document]``) → ``PUBLIC_GENRE`` — only
   when the text holds no identifier (birth date included), no contact value judged a
   person's or of unknown owner, and none of the policy's resident words.

Everything else stays personal, with the words that made it so as ``cues``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from guardrails._config import PublicDocumentPolicy
from guardrails._cues import person_cues
from guardrails._models import PublicBasis
from guardrails._ownership import (
    CONTACT_TYPES,
    IDENTIFIER_TYPES,
    Mention,
    Owner,
    Ownership,
    OwnershipRules,
)
from guardrails._public_context_roles import ContextRoleRules
from guardrails._public_document import PublicDocumentModel, load_model
from guardrails._public_policy import PublicPolicy
from guardrails._public_roles import PublicRoles
from guardrails._register import PublicRegister
from guardrails._register_keys import REGISTER_KINDS
from guardrails.recognizers import _person_words as words

# Shown as the cue of a registered value.
REGISTER_CUE = "公開情報登録簿"
# Shown as the cue of a name listed in [public] public_names.
PUBLIC_NAME_CUE = "公開の名前の一覧"
# What may join listed names inside one finding (ちぃたんとやい|ちゃん, もやい|ちゃん).
_JOINERS = frozenset("のとやもがはをにへ、・,， \u3000")
# Registered values a person can claim as their own home or number.
_CLAIMABLE = frozenset(["ADDRESS", "PHONE_NUMBER"])
_BASIS = {Owner.ORGANISATION: PublicBasis.ORGANISATION, Owner.AREA: PublicBasis.AREA}


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the step decided about one finding. ``owner`` is set for contact values
    (UNKNOWN: no evidence either way — personal in a prompt, public in a document
    declared public)."""

    public: PublicBasis | None = None
    cues: tuple[str, ...] = ()
    owner: Owner | None = None


def word_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """Any of ``words``, a Latin one only as a whole word ("author" is no cue in
    "authorise", nor "works" in "he works at the factory"); None for no words."""
    if not words:
        return None
    return re.compile(
        "|".join(
            rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" if w.isascii() else re.escape(w)
            for w in words
        )
    )


# Shown as the cue of a name judged public by the gate.
PUBLIC_GENRE_CUE = "公開文書の判定"


class PublicDocumentGate:
    """The learned public-document gate (``_public_document``) with its threshold and
    the resident words that shut it."""

    def __init__(
        self, model: PublicDocumentModel, threshold: float, resident_words: Sequence[str]
    ) -> None:
        self.model = model
        self.threshold = threshold
        self._resident = word_pattern(
            sorted({w for w in resident_words if w}, key=len, reverse=True)
        )

    def cues(self, text: str) -> tuple[str, ...] | None:
        """The judgement's cues when the text opens the gate, otherwise None."""
        if self._resident is not None and self._resident.search(text):
            return None
        p = self.model.probability(text)
        if p < self.threshold:
            return None
        return (PUBLIC_GENRE_CUE, f"{p:.2f}")


def document_gate(settings: PublicDocumentPolicy) -> PublicDocumentGate | None:
    """The gate of ``[public_document]`` (None when switched off)."""
    if not settings.enabled:
        return None
    return PublicDocumentGate(load_model(), settings.threshold, settings.resident_words)


class PublicInformation:
    """The public-information step of one guard (its policy and register)."""

    def __init__(
        self,
        policy: PublicPolicy,
        register: PublicRegister,
        document_gate: PublicDocumentGate | None = None,
    ) -> None:
        self._register = register
        self.document_gate = document_gate
        self._roles = PublicRoles(
            policy.public_roles,
            minutes_speakers=policy.minutes_speakers,
            minutes_headers=policy.minutes_headers,
            body_roles=policy.body_roles,
            public_bodies=policy.public_bodies,
            appointment_words=policy.appointment_words,
        )
        self._context_roles = ContextRoleRules(policy.context_roles)
        self._names = tuple(n for n in policy.public_names if n)
        self._namesakes = (
            re.compile("|".join(re.escape(w) for w in policy.namesake_words))
            if policy.namesake_words
            else None
        )
        self._history = word_pattern(policy.history_words)
        self._sensitive = (
            re.compile("|".join(re.escape(w) for w in policy.sensitive_words))
            if policy.sensitive_words
            else None
        )
        self._ownership = OwnershipRules(
            policy.ownership,
            area_information=policy.area_information,
            named_mailboxes_personal=policy.named_mailboxes == "personal",
        )

    def judge(self, text: str, mentions: Sequence[Mention]) -> list[Judgement]:
        """One judgement per mention of ``text`` (the analysed, normalised text)."""
        judged: list[Judgement | None] = [None] * len(mentions)
        listed = self._listed_names(text) if self._names else []
        history = self._history is not None and self._history.search(text) is not None
        revocable: list[int] = []
        for i, m in enumerate(mentions):
            # (An empty register is asked nothing: canonical keys cost a normalisation.)
            if (
                m.type in REGISTER_KINDS
                and self._register
                and self._register.contains(m.type, text[m.start : m.end])
                and not (m.type in _CLAIMABLE and self._ownership.claimed(text, m))
            ):
                judged[i] = Judgement(PublicBasis.REGISTER, (REGISTER_CUE,), Owner.ORGANISATION)
            elif m.type == "PERSON":
                role = self._roles.role_of(text, m.start, m.end)
                in_context = (
                    self._context_roles.role_of(text, m.start, m.end)
                    if role is None and self._context_roles
                    else None
                )
                if role is not None:
                    judged[i] = Judgement(PublicBasis.PUBLIC_ROLE, (role,))
                elif in_context is not None:
                    # Like a historical person's: a person again when the text holds
                    # personal data (表彰 … 大石俊夫氏（自宅 …）).
                    revocable.append(i)
                    judged[i] = Judgement(PublicBasis.ROLE_IN_CONTEXT, in_context)
                elif (listed_after := _listed_after(text, mentions, judged, i)) is not None:
                    if listed_after.public is PublicBasis.ROLE_IN_CONTEXT:
                        revocable.append(i)
                    judged[i] = listed_after
                elif listed and _covered(text, m, listed):
                    judged[i] = Judgement(PublicBasis.PUBLIC_NAME, (PUBLIC_NAME_CUE,))
                elif history and _bare_name(text, m) and self._in_history(text, m):
                    revocable.append(i)
                    judged[i] = Judgement(PublicBasis.HISTORICAL, self._history_cues(text))
                elif (namesake := self._namesake(text, m)) is not None:
                    revocable.append(i)
                    judged[i] = Judgement(PublicBasis.HISTORICAL, (namesake,))
        identifiers = [m for m in mentions if m.type in IDENTIFIER_TYPES]
        if revocable and (
            identifiers or (self._sensitive is not None and self._sensitive.search(text))
        ):
            # An identifier, or special-care information (人事異動 … 山田 太郎（病気療養のため
            # 休職）): the names are people's, whatever the shape of the text.
            revocable = self._undo(judged, revocable)
        contacts = [
            i for i, m in enumerate(mentions) if m.type in CONTACT_TYPES and judged[i] is None
        ]
        owned = self._decide(text, mentions, judged, contacts, identifiers)
        if revocable and any(o.owner in _NOT_PUBLIC for o in owned):
            # Personal data in the text (or a contact of no known owner): the names
            # beside it are people, not history nor people in a notice's role.
            self._undo(judged, revocable)
            owned = self._decide(text, mentions, judged, contacts, identifiers)
        for i, ownership in zip(contacts, owned, strict=True):
            judged[i] = Judgement(_BASIS.get(ownership.owner), ownership.cues, ownership.owner)
        if self.document_gate is not None and not identifiers:
            self._gate(text, mentions, judged, owned)
        return [j if j is not None else Judgement() for j in judged]

    def _gate(
        self,
        text: str,
        mentions: Sequence[Mention],
        judged: list[Judgement | None],
        owned: Sequence[Ownership],
    ) -> None:
        """Step 5: the names still personal become public when the whole text reads as
        a published document and nothing in it is a resident's own data."""
        assert self.document_gate is not None
        pending = [i for i, m in enumerate(mentions) if m.type == "PERSON" and judged[i] is None]
        if not pending or any(o.owner in _NOT_PUBLIC for o in owned):
            return
        cues = self.document_gate.cues(text)
        if cues is None:
            return
        for i in pending:
            judged[i] = Judgement(PublicBasis.PUBLIC_GENRE, cues)

    def _decide(
        self,
        text: str,
        mentions: Sequence[Mention],
        judged: list[Judgement | None],
        contacts: list[int],
        identifiers: list[Mention],
    ) -> list[Ownership]:
        if not contacts:
            return []
        people = [
            m for m, j in zip(mentions, judged, strict=True) if m.type == "PERSON" and j is None
        ]
        return self._ownership.decide(text, [mentions[i] for i in contacts], people, identifiers)

    @staticmethod
    def _undo(judged: list[Judgement | None], revocable: list[int]) -> list[int]:
        for i in revocable:
            judged[i] = None
        return []

    def _in_history(self, text: str, m: Mention) -> bool:
        """A history word on the name's line, and no act of a person dealing with the
        city today in its sentence (田中一郎から質問, 申し込んだ, 来庁)."""
        assert self._history is not None
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end
        if not self._history.search(text, line_start, line_end):
            return False
        opening = max(line_start, max(text.rfind(c, 0, m.start) for c in "。!?！？") + 1)
        stop = _STOP.search(text, m.end)
        closing = stop.start() if stop else len(text)
        return _PRESENT_ACTS.search(text, opening, closing) is None

    def _namesake(self, text: str, m: Mention) -> str | None:
        """The name (bare where it stands) also names a memorial in the text (小泉八雲
        and 小泉八雲記念館): a person a place is named after. Returns that place's name."""
        if self._namesakes is None or not _bare_name(text, m):
            return None
        name = text[m.start : m.end]
        at = text.find(name)
        while at >= 0:
            found = self._namesakes.match(text, at + len(name))
            if found:
                return name + found.group()
            at = text.find(name, at + 1)
        return None

    def _history_cues(self, text: str) -> tuple[str, ...]:
        assert self._history is not None
        return tuple(dict.fromkeys(m.group() for m in self._history.finditer(text)))[:3]

    def _listed_names(self, text: str) -> list[tuple[int, int]]:
        """Where the names of ``[public] public_names`` occur in ``text``."""
        spans: list[tuple[int, int]] = []
        for name in self._names:
            at = text.find(name)
            while at >= 0:
                spans.append((at, at + len(name)))
                at = text.find(name, at + 1)
        return spans


_NOT_PUBLIC = frozenset([Owner.PERSON, Owner.UNKNOWN])
_ROLES = frozenset([PublicBasis.PUBLIC_ROLE, PublicBasis.ROLE_IN_CONTEXT])
_STOP = re.compile(r"[。!?！？\n]")
# A person dealing with the city today — a resident, not a figure of history.
_PRESENT_ACTS = re.compile(
    "|".join(
        sorted(
            words.PERSON_ACTIONS
            | {"質問", "問い合わせ", "問合せ", "苦情", "要望", "依頼", "申込", "申し込", "応募",
               "受講", "参加", "来所", "来館", "入院", "通院", "欠席", "転入", "転出"},
            key=len,
            reverse=True,
        )
    )
)  # fmt: skip
# 氏 after a name in a text about history is a clan (今川氏の時代, 北条氏の家臣).
_CLAN_AFTER = re.compile(r"氏(?:の(?:時代|家臣|一族|支配|領地|居城|治世|滅亡)|一族|[とがは、])")


# What separates the names of one list: 委員　村田浩二、松浦清美、秋山達也.
_LIST_SEPARATOR = re.compile(r"[ \u3000]?(?:君|氏|議員)?[、，,・][ \u3000]?")


def _listed_after(
    text: str, mentions: Sequence[Mention], judged: Sequence[Judgement | None], i: int
) -> Judgement | None:
    """The judgement of the name listed right before this one, when it is in a public
    role and only a list separator stands between them (紹介議員：中村まゆみ、秋山達也)."""
    m = mentions[i]
    previous = next((k for k in range(i - 1, -1, -1) if mentions[k].type == "PERSON"), None)
    if previous is None:
        return None
    before = judged[previous]
    if before is None or before.public not in _ROLES:
        return None
    if _LIST_SEPARATOR.fullmatch(text, mentions[previous].end, m.start) is None:
        return None
    return before


def _bare_name(text: str, m: Mention) -> bool:
    """No honorific, title, label or act frames the name (only a clan's 氏 may)."""
    cues = person_cues(text, m.start, m.end)
    return not cues or (cues == ("氏",) and _CLAN_AFTER.match(text, m.end) is not None)


def _covered(text: str, m: Mention, listed: list[tuple[int, int]]) -> bool:
    """The finding is listed names and what joins them (ちぃたんとやい of ちぃたんと
    やいちゃん), with at least one listed name in it."""
    inside = [(a, b) for a, b in listed if a < m.end and m.start < b]
    if not inside:
        return False
    return all(
        text[k] in _JOINERS or any(a <= k < b for a, b in inside) for k in range(m.start, m.end)
    )
