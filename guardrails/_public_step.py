"""The guard's decision step after recognition: which findings are public information.

For each finding (in the analysed text), in order:

1. its value is in the public register → ``PublicBasis.REGISTER``;
2. a name in a public role (田中市長, 議長（田中一郎君）) → ``PublicBasis.PUBLIC_ROLE``;
3. a contact value is an organisation's or only an area → ``ORGANISATION`` / ``AREA``
   (see ``_ownership``; the other names found are the evidence of a person nearby).

Everything else stays personal, with the words that made it so as ``cues``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guardrails._models import PublicBasis
from guardrails._ownership import (
    CONTACT_TYPES,
    IDENTIFIER_TYPES,
    Mention,
    Owner,
    OwnershipRules,
)
from guardrails._public_policy import PublicPolicy
from guardrails._public_roles import PublicRoles
from guardrails._register import PublicRegister
from guardrails._register_keys import REGISTER_KINDS

# Shown as the cue of a registered value.
REGISTER_CUE = "公開情報登録簿"
_BASIS = {Owner.ORGANISATION: PublicBasis.ORGANISATION, Owner.AREA: PublicBasis.AREA}


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the step decided about one finding. ``owner`` is set for contact values
    (UNKNOWN: no evidence either way — personal in a prompt, public in a document
    declared public)."""

    public: PublicBasis | None = None
    cues: tuple[str, ...] = ()
    owner: Owner | None = None


class PublicInformation:
    """The public-information step of one guard (its policy and register)."""

    def __init__(self, policy: PublicPolicy, register: PublicRegister) -> None:
        self._register = register
        self._roles = PublicRoles(
            policy.public_roles,
            minutes_speakers=policy.minutes_speakers,
            minutes_headers=policy.minutes_headers,
        )
        self._ownership = OwnershipRules(
            policy.ownership,
            area_information=policy.area_information,
            named_mailboxes_personal=policy.named_mailboxes == "personal",
        )

    def judge(self, text: str, mentions: Sequence[Mention]) -> list[Judgement]:
        """One judgement per mention of ``text`` (the analysed, normalised text)."""
        judged: list[Judgement | None] = [None] * len(mentions)
        for i, m in enumerate(mentions):
            # (An empty register is asked nothing: canonical keys cost a normalisation.)
            if (
                m.type in REGISTER_KINDS
                and self._register
                and self._register.contains(m.type, text[m.start : m.end])
            ):
                judged[i] = Judgement(PublicBasis.REGISTER, (REGISTER_CUE,), Owner.ORGANISATION)
            elif m.type == "PERSON":
                role = self._roles.role_of(text, m.start, m.end)
                if role is not None:
                    judged[i] = Judgement(PublicBasis.PUBLIC_ROLE, (role,))
        people = [
            m for m, j in zip(mentions, judged, strict=True) if m.type == "PERSON" and j is None
        ]
        contacts = [
            i for i, m in enumerate(mentions) if m.type in CONTACT_TYPES and judged[i] is None
        ]
        if contacts:
            identifiers = [m for m in mentions if m.type in IDENTIFIER_TYPES]
            owned = self._ownership.decide(
                text, [mentions[i] for i in contacts], people, identifiers
            )
            for i, ownership in zip(contacts, owned, strict=True):
                judged[i] = Judgement(_BASIS.get(ownership.owner), ownership.cues, ownership.owner)
        return [j if j is not None else Judgement() for j in judged]
