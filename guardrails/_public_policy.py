"""The public-information part of ``conf/policy.toml``: ``[public]``, ``[ownership]``
and ``[ingest]`` (data, not code; see docs/guard.md for what each key means).

Every mistake — an unknown key, a misspelt entity type, an empty word — is a
``GuardConfigError`` at start-up, like the rest of the policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from guardrails._errors import GuardConfigError
from guardrails._labels import ENTITY_TYPES
from guardrails._models import Action
from guardrails._public_context_roles import ContextRoles


@dataclass(frozen=True)
class OwnershipWords:
    """``[ownership]``: the words that tell whose a contact value is."""

    organisation_words: tuple[str, ...] = ()
    """Labels and words of an organisation's contacts: 問い合わせ先, 代表, 内線, 会場."""
    legal_forms: tuple[str, ...] = ()
    """Legal forms that open a business's name, counted glued to it: 株式会社(大和建設)."""
    facility_words: tuple[str, ...] = ()
    """Kinds of facility that end their names: 市役所, センター, 図書館 (also harvested)."""
    organisation_suffixes: tuple[str, ...] = ()
    """One-character ends of units' names: 課, 係, 室 (市民課, 住民記録係)."""
    branch_words: tuple[str, ...] = ()
    """Ends of a business's branch name after a place: 中央, 駅前 (Little Walkers 焼津中央)."""
    person_words: tuple[str, ...] = ()
    """Words that make the values of their sentence a person's: 自宅, 携帯, 在住."""
    person_labels: tuple[str, ...] = ()
    """Owners of a contact label that make it a person's: 申請者(の住所), 相談者(の携帯)."""
    honorifics: tuple[str, ...] = ()
    """Honorifics right next to a value: 様, さん, 様方."""
    generic_people: tuple[str, ...] = ()
    """Words before an honorific that mean people in general: 皆, お客, 利用者."""
    public_email_suffixes: tuple[str, ...] = ()
    """Ends of public mail domains: .lg.jp, .go.jp."""
    public_email_prefixes: tuple[str, ...] = ()
    """Starts of public mail domains: city., pref."""
    personal_email_domains: tuple[str, ...] = ()
    """Personal mail services: gmail.com, docomo.ne.jp."""
    personal_phone_prefixes: tuple[str, ...] = ()
    """Numbers that are a person's by themselves: 070, 080, 090."""
    organisation_phone_prefixes: tuple[str, ...] = ()
    """Numbers no person holds: 0120, 0570."""


@dataclass(frozen=True)
class PublicPolicy:
    """``[public]``: how public information is treated, and ``[ownership]``.

    ``action`` BLOCK switches the public-information step off (every finding keeps its
    type's action, as before the step existed).
    """

    action: Action = Action.BLOCK
    public_roles: tuple[str, ...] = ()
    minutes_speakers: bool = False
    minutes_headers: tuple[str, ...] = ()
    body_roles: tuple[str, ...] = ()
    """Roles of a public body (委員長, 委員, 候補者): public only where ``public_bodies`` …"""
    public_bodies: tuple[str, ...] = ()
    """… names such a body in the text (常任委員会, 教育委員会, 選挙公報)."""
    appointment_words: tuple[str, ...] = ()
    """選任, 就任 …: a name with 氏/君 appointed to a public role in its sentence."""
    public_names: tuple[str, ...] = ()
    """Names the city declares public wherever they appear: mascots and characters
    (やいちゃん), historical persons of the town (小泉八雲)."""
    history_words: tuple[str, ...] = ()
    """Words of a text about history or literature (明治, 作品, 句碑): a full name alone
    there (no honorific, no label, no personal data in the text) is a historical person."""
    context_roles: tuple[ContextRoles, ...] = ()
    """Roles public only in a kind of text (staff in internal mail, 表彰, 入札結果 …)."""
    sensitive_words: tuple[str, ...] = ()
    """Special-care personal information (要配慮個人情報: welfare, health, debt,
    discipline): a name judged public only by the kind of text (its role in a roster or
    notice, history, a memorial) is a person again in a text that holds one."""
    namesake_words: tuple[str, ...] = ()
    """Memorials named after a person (記念館, 文学館): a bare name that also stands
    before one of them in the text (小泉八雲 and 小泉八雲記念館) is that person."""
    area_information: bool = False
    named_mailboxes: str = "personal"
    """A mailbox named after a person (t.yamada@city…): ``personal`` (theirs: it blocks
    unless it is in the public register) or ``public`` (at a public mail domain the
    organisation's, like shiminka@)."""
    ownership: OwnershipWords = field(default_factory=OwnershipWords)

    @property
    def enabled(self) -> bool:
        return self.action is not Action.BLOCK


@dataclass(frozen=True)
class IngestPolicy:
    """``[ingest]``: what withholds a chunk of a document declared public."""

    withhold: frozenset[str] = frozenset()
    withhold_private_contact: bool = True


_PUBLIC_KEYS = {
    "action",
    "public_roles",
    "minutes_speakers",
    "minutes_headers",
    "body_roles",
    "public_bodies",
    "appointment_words",
    "public_names",
    "history_words",
    "context_roles",
    "namesake_words",
    "sensitive_words",
    "area_information",
    "named_mailboxes",
}
_MAILBOX_CHOICES = ("personal", "public")
_CONTEXT_ROLE_KEYS = {"label", "contexts", "roles", "honorifics", "signatures", "letter_lines"}
_INGEST_KEYS = {"withhold", "withhold_private_contact"}


def load_public_policy(data: Mapping[str, Any], *, where: str) -> PublicPolicy:
    """``[public]`` and ``[ownership]`` of a parsed policy file (no ``[public]``: the
    step is off and public information blocks like personal data)."""
    ownership = _table(data, "ownership", where)
    fields = OwnershipWords.__dataclass_fields__
    _known(ownership, set(fields), "ownership", where)
    words = OwnershipWords(**{name: _words(ownership, name, "ownership", where) for name in fields})
    if "public" not in data:
        return PublicPolicy(ownership=words)
    public = _table(data, "public", where)
    _known(public, _PUBLIC_KEYS, "public", where)
    try:
        action = Action(str(public.get("action", "warn")))
    except ValueError:
        raise GuardConfigError(
            "public.action は block, mask, warn, allow のいずれかです。", path=where, key="public"
        ) from None
    return PublicPolicy(
        action=action,
        public_roles=_words(public, "public_roles", "public", where),
        minutes_speakers=_flag(public, "minutes_speakers", "public", where, default=False),
        minutes_headers=_words(public, "minutes_headers", "public", where),
        body_roles=_words(public, "body_roles", "public", where),
        public_bodies=_words(public, "public_bodies", "public", where),
        appointment_words=_words(public, "appointment_words", "public", where),
        public_names=_words(public, "public_names", "public", where),
        history_words=_words(public, "history_words", "public", where),
        context_roles=_context_roles(public, where),
        namesake_words=_words(public, "namesake_words", "public", where),
        sensitive_words=_words(public, "sensitive_words", "public", where),
        area_information=_flag(public, "area_information", "public", where, default=False),
        named_mailboxes=_choice(public, "named_mailboxes", _MAILBOX_CHOICES, where),
        ownership=words,
    )


def _context_roles(public: Mapping[str, Any], where: str) -> tuple[ContextRoles, ...]:
    """``[[public.context_roles]]``: each entry a label, its context words, and roles,
    honorifics or signatures (at least one of them)."""
    entries = public.get("context_roles", [])
    key = "public.context_roles"
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise GuardConfigError("[[public.context_roles]] の表の配列です。", path=where, key=key)
    out: list[ContextRoles] = []
    for entry in entries:
        _known(entry, _CONTEXT_ROLE_KEYS, "public.context_roles", where)
        label = entry.get("label")
        if not isinstance(label, str) or not label:
            raise GuardConfigError("label（文章の種類）が必要です。", path=where, key=key)
        contexts = _words(entry, "contexts", key, where)
        roles = _words(entry, "roles", key, where)
        honorifics = _words(entry, "honorifics", key, where)
        signatures = _flag(entry, "signatures", key, where, default=False)
        letter_lines = _flag(entry, "letter_lines", key, where, default=False)
        if not contexts or not (roles or honorifics or signatures):
            raise GuardConfigError(
                f"{label}: contexts と、roles・honorifics・signatures のいずれかが必要です。",
                path=where,
                key=key,
            )
        out.append(ContextRoles(label, contexts, roles, honorifics, signatures, letter_lines))
    return tuple(out)


def load_ingest_policy(data: Mapping[str, Any], *, where: str) -> IngestPolicy:
    """``[ingest]`` of a parsed policy file (absent: withhold nothing by type)."""
    ingest = _table(data, "ingest", where)
    _known(ingest, _INGEST_KEYS, "ingest", where)
    withhold = _words(ingest, "withhold", "ingest", where)
    for name in withhold:
        if name not in ENTITY_TYPES:
            raise GuardConfigError(
                f"不明な検出種類 {name!r} です。", path=where, key="ingest.withhold"
            )
    return IngestPolicy(
        withhold=frozenset(withhold),
        withhold_private_contact=_flag(
            ingest, "withhold_private_contact", "ingest", where, default=True
        ),
    )


def _table(data: Mapping[str, Any], name: str, where: str) -> Mapping[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise GuardConfigError(f"[{name}] は表でなければなりません。", path=where, key=name)
    return table


def _known(table: Mapping[str, Any], keys: set[str], section: str, where: str) -> None:
    unknown = set(table) - keys
    if unknown:
        raise GuardConfigError(
            f"[{section}] に不明な項目があります: {sorted(unknown)}", path=where, key=section
        )


def _words(table: Mapping[str, Any], name: str, section: str, where: str) -> tuple[str, ...]:
    values = table.get(name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise GuardConfigError(
            "空でない文字列の配列でなければなりません。", path=where, key=f"{section}.{name}"
        )
    return tuple(values)


def _choice(table: Mapping[str, Any], name: str, choices: tuple[str, ...], where: str) -> str:
    value = table.get(name, choices[0])
    if value not in choices:
        raise GuardConfigError(
            f"{' か '.join(choices)} のいずれかでなければなりません。",
            path=where,
            key=f"public.{name}",
        )
    return str(value)


def _flag(table: Mapping[str, Any], name: str, section: str, where: str, *, default: bool) -> bool:
    value = table.get(name, default)
    if not isinstance(value, bool):
        raise GuardConfigError(
            "true か false でなければなりません。", path=where, key=f"{section}.{name}"
        )
    return value
