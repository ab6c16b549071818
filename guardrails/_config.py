"""Loading ``conf/policy.toml`` and ``conf/recognizers.toml`` (data, not code).

The bundled files are read with ``importlib.resources``; a path overrides them.
Every mistake (unknown action, misspelt entity type, unknown key) is a
``GuardConfigError`` at start-up rather than a silently weaker guard.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from guardrails._errors import GuardConfigError
from guardrails._labels import ENTITY_TYPES
from guardrails._models import Action
from guardrails._normalize import normalize
from guardrails._placeholder_policy import PlaceholderPolicy, load_placeholder_policy
from guardrails._public_policy import (
    IngestPolicy,
    PublicPolicy,
    _flag,
    _known,
    _table,
    _words,
    load_ingest_policy,
    load_public_policy,
)

_PACKAGE = "guardrails"
POLICY_FILE = "policy.toml"
RECOGNIZERS_FILE = "recognizers.toml"

# Characters ignored when comparing a finding with an allowlisted value, so that
# "０３（１２３４）５６７８" matches an allowlisted "03-1234-5678". Dots are kept: they
# are significant in e-mail addresses.
_ALLOWLIST_IGNORED = frozenset(" \t\r\n-()")


def allowlist_key(value: str) -> str:
    """Canonical form used to compare a finding with allowlisted values."""
    text = normalize(value).text.casefold()
    return "".join(c for c in text if c not in _ALLOWLIST_IGNORED)


@dataclass(frozen=True)
class NameTaggerPolicy:
    """``[name_tagger]``: the learned name tagger beside the rules (docs/guard.md)."""

    enabled: bool = True
    threshold: float = 0.5
    """Probability a word needs in a text with a sign of a resident (さん, my wife …)."""
    threshold_without_cues: float = 0.9
    """… and in a text without any (public notices); above 1 the tagger stays silent."""


@dataclass(frozen=True)
class PublicDocumentPolicy:
    """``[public_document]``: the learned public-document gate on names (docs/guard.md)."""

    enabled: bool = True
    threshold: float = 0.9
    """P(public document) the whole text needs before its names are judged public."""
    resident_words: tuple[str, ...] = ()
    """Words of a text about a resident (私, 氏名, 来庁 …): any of them shuts the gate."""


@dataclass(frozen=True)
class Policy:
    """Per entity type action, the allowlist of public values, how public information
    is told from personal data (``public``), the ingest policy (``ingest``) and what
    each task may turn into placeholders (``placeholders``)."""

    default_action: Action = Action.BLOCK
    actions: Mapping[str, Action] = field(default_factory=lambda: MappingProxyType({}))
    allowlist: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    public: PublicPolicy = field(default_factory=PublicPolicy)
    ingest: IngestPolicy = field(default_factory=IngestPolicy)
    placeholders: PlaceholderPolicy = field(default_factory=PlaceholderPolicy)
    name_tagger: NameTaggerPolicy = field(default_factory=NameTaggerPolicy)
    public_document: PublicDocumentPolicy = field(default_factory=PublicDocumentPolicy)

    def action_for(self, entity_type: str) -> Action:
        """The configured action, or the default one for an unlisted type."""
        return self.actions.get(entity_type, self.default_action)

    def is_allowlisted(self, entity_type: str, value: str) -> bool:
        """True when ``value`` is an allowlisted public value of that type."""
        allowed = self.allowlist.get(entity_type)
        if not allowed:
            return False
        return allowlist_key(value) in allowed


@dataclass(frozen=True)
class RecognizerSpec:
    """One ``[[recognizers]]`` entry."""

    module: str
    class_name: str
    enabled: bool = True


def _read_toml(path: Path | None, default_name: str) -> tuple[dict[str, Any], str]:
    try:
        if path is None:
            resource = resources.files(_PACKAGE).joinpath("conf", default_name)
            return tomllib.loads(resource.read_text(encoding="utf-8")), str(resource)
        return tomllib.loads(Path(path).read_text(encoding="utf-8")), str(path)
    except OSError as exc:
        raise GuardConfigError(
            "ガード設定ファイルを読めません。", path=path or default_name, detail=str(exc)
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise GuardConfigError(
            "ガード設定ファイルの書式が正しくありません。",
            path=path or default_name,
            detail=str(exc),
        ) from exc


def _action(value: object, *, where: str, key: str) -> Action:
    try:
        return Action(str(value))
    except ValueError:
        raise GuardConfigError(
            f"不明な動作 {value!r} です（block, mask, warn, allow のいずれか）。",
            path=where,
            key=key,
        ) from None


def _entity(name: object, *, where: str, key: str) -> str:
    if not isinstance(name, str) or name not in ENTITY_TYPES:
        raise GuardConfigError(f"不明な検出種類 {name!r} です。", path=where, key=key)
    return name


def load_policy(path: Path | None = None) -> Policy:
    """Read the policy (bundled ``conf/policy.toml`` unless ``path`` is given).

    A city's file may only make the placeholder policy stricter than the bundled one
    (``_placeholder_policy``): the bundled file is read too, as the floor.
    """
    data, where = _read_toml(path, POLICY_FILE)
    unknown = set(data) - {
        "default_action",
        "actions",
        "allowlist",
        "public",
        "ownership",
        "ingest",
        "placeholders",
        "tasks",
        "name_tagger",
        "public_document",
    }
    if unknown:
        raise GuardConfigError(f"ポリシーに不明な項目があります: {sorted(unknown)}", path=where)
    default = _action(data.get("default_action", "block"), where=where, key="default_action")

    raw_actions = data.get("actions", {})
    if not isinstance(raw_actions, dict):
        raise GuardConfigError("[actions] は表でなければなりません。", path=where, key="actions")
    actions = {
        _entity(name, where=where, key=f"actions.{name}"): _action(
            value, where=where, key=f"actions.{name}"
        )
        for name, value in raw_actions.items()
    }

    raw_allow = data.get("allowlist", {})
    if not isinstance(raw_allow, dict):
        raise GuardConfigError(
            "[allowlist] は表でなければなりません。", path=where, key="allowlist"
        )
    allowlist: dict[str, frozenset[str]] = {}
    for name, values in raw_allow.items():
        key = f"allowlist.{name}"
        entity = _entity(name, where=where, key=key)
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise GuardConfigError(
                "許可リストの値は空でない文字列の配列です。", path=where, key=key
            )
        allowlist[entity] = frozenset(allowlist_key(v) for v in values)

    def general(entity_type: str) -> Action:
        return actions.get(entity_type, default)

    floor = None
    if path is not None:
        shipped = _bundled_policy()
        floor = (shipped.placeholders, shipped.action_for)
    return Policy(
        default_action=default,
        actions=MappingProxyType(actions),
        allowlist=MappingProxyType(allowlist),
        public=load_public_policy(data, where=where),
        ingest=load_ingest_policy(data, where=where),
        placeholders=load_placeholder_policy(data, where=where, general=general, floor=floor),
        name_tagger=_name_tagger_policy(data, where=where),
        public_document=_public_document_policy(data, where=where),
    )


def _name_tagger_policy(data: Mapping[str, Any], *, where: str) -> NameTaggerPolicy:
    key = "name_tagger"
    raw = _table(data, key, where)
    _known(raw, set(NameTaggerPolicy.__dataclass_fields__), key, where)
    values: dict[str, float] = {}
    for name in ("threshold", "threshold_without_cues"):
        value = raw.get(name, getattr(NameTaggerPolicy, name))
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 2:
            raise GuardConfigError(
                f"{name} は 0 より大きく 2 以下の数です。", path=where, key=f"{key}.{name}"
            )
        values[name] = float(value)
    return NameTaggerPolicy(enabled=_flag(raw, "enabled", key, where, default=True), **values)


def _public_document_policy(data: Mapping[str, Any], *, where: str) -> PublicDocumentPolicy:
    key = "public_document"
    raw = _table(data, key, where)
    _known(raw, set(PublicDocumentPolicy.__dataclass_fields__), key, where)
    threshold = raw.get("threshold", PublicDocumentPolicy.threshold)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0.5 <= threshold <= 1
    ):
        raise GuardConfigError(
            "threshold は 0.5 以上 1 以下の数です。", path=where, key=f"{key}.threshold"
        )
    return PublicDocumentPolicy(
        enabled=_flag(raw, "enabled", key, where, default=True),
        threshold=float(threshold),
        resident_words=_words(raw, "resident_words", key, where),
    )


@lru_cache(maxsize=1)
def _bundled_policy() -> Policy:
    """The bundled policy, the floor a city's policy file is checked against."""
    return load_policy(None)


def load_recognizer_specs(path: Path | None = None) -> list[RecognizerSpec]:
    """Read which recognisers to load (bundled ``conf/recognizers.toml`` by default)."""
    data, where = _read_toml(path, RECOGNIZERS_FILE)
    entries = data.get("recognizers")
    if not isinstance(entries, list) or not entries:
        raise GuardConfigError(
            "[[recognizers]] が一つもありません。", path=where, key="recognizers"
        )
    specs: list[RecognizerSpec] = []
    for i, entry in enumerate(entries):
        key = f"recognizers[{i}]"
        if not isinstance(entry, dict) or set(entry) - {"module", "class", "enabled"}:
            raise GuardConfigError(
                "認識器の項目は module, class, enabled だけです。", path=where, key=key
            )
        module, class_name = entry.get("module"), entry.get("class")
        enabled = entry.get("enabled", True)
        if not isinstance(module, str) or not isinstance(class_name, str):
            raise GuardConfigError("module と class は必須です。", path=where, key=key)
        if not isinstance(enabled, bool):
            raise GuardConfigError("enabled は true か false です。", path=where, key=key)
        specs.append(RecognizerSpec(module=module, class_name=class_name, enabled=enabled))
    return specs
