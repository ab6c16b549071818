"""``[placeholders]`` and ``[tasks.*]`` of ``conf/policy.toml``: what each task may do
with each type of personal data (data, not code; docs/placeholders.md).

    [placeholders]
    never = ["MY_NUMBER", …]          # always blocked: in [actions] and in every task
    honorifics = ["様", "さん", …]     # kept outside a name's placeholder (〈氏名1〉様)
    titles = ["Mr", "Ms", …]           # likewise before it (Dear Ms. 〈氏名1〉)

    [tasks.draft]
    placeholder = ["PERSON", "ADDRESS", …]
    mask = []                          # replaced by a label (<電話番号>), never restored
    block = []
    allow = []

A type a task's table does not list follows ``[actions]`` (``default_action``), as every
task without a table does (ask, faq): the placeholder mechanism only adds what a table
says.

**Stricter only.** A city's policy file (``YAKUBA_GUARD_POLICY_FILE``) is checked
against the bundled one, the *floor*: the ``never`` types stay blocked (a city may add
types, never remove one — the two lists are joined), and no task table entry may be
looser than the bundled file's action for that task and type (allow < placeholder <
mask < block). Anything else is a ``GuardConfigError`` naming the key, in Japanese.
``[actions]`` keeps its meaning for everything else, as before placeholders existed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any, NamedTuple

from guardrails._errors import GuardConfigError
from guardrails._labels import ENTITY_LABELS_JA, ENTITY_TYPES
from guardrails._models import Action
from guardrails._placeholder_tokens import PLACEHOLDER_LABELS


class TaskAction(StrEnum):
    """What a task does with one finding, from the loosest to the strictest."""

    ALLOW = "allow"  # sent as written
    PLACEHOLDER = "placeholder"  # sent as 〈氏名1〉, restored in the answer shown
    MASK = "mask"  # sent as <氏名>, never restored
    BLOCK = "block"  # the prompt is not sent


STRICTNESS: Mapping[TaskAction, int] = MappingProxyType(
    {action: rank for rank, action in enumerate(TaskAction)}
)


def task_action_of(action: Action) -> TaskAction:
    """A general (``[actions]``) action seen from a task: warn sends the value too."""
    if action is Action.BLOCK:
        return TaskAction.BLOCK
    if action is Action.MASK:
        return TaskAction.MASK
    return TaskAction.ALLOW


_TASK_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_KEYS = {"never", "honorifics", "titles"}


@dataclass(frozen=True)
class PlaceholderPolicy:
    """Per task actions (``tasks[task][type]``), the never-placeholdered types, and the
    honorifics and titles kept outside a name's placeholder."""

    never: frozenset[str] = frozenset()
    honorifics: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    tasks: Mapping[str, Mapping[str, TaskAction]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def action_for(self, task: str, entity_type: str, general: Action) -> TaskAction:
        """The action of ``task`` for a personal finding whose ``[actions]`` action is
        ``general``."""
        if entity_type in self.never:
            return TaskAction.BLOCK
        table = self.tasks.get(task)
        if table is not None and entity_type in table:
            return table[entity_type]
        return task_action_of(general)

    def placeholder_types(self, task: str) -> frozenset[str]:
        """The types ``task`` turns into placeholders."""
        table = self.tasks.get(task, {})
        return frozenset(t for t, a in table.items() if a is TaskAction.PLACEHOLDER)

    @cached_property
    def affixes(self) -> NameAffixes:
        """The honorifics and titles as patterns (compiled once per policy)."""
        return NameAffixes(
            honorific_after=_words_at(self.honorifics, start=True),
            honorific_end=_words_at(self.honorifics, start=False),
            title_before=_titles(self.titles, start=False),
            title_start=_titles(self.titles, start=True),
        )


class NameAffixes(NamedTuple):
    """Where honorifics and titles stand around a name."""

    honorific_after: re.Pattern[str]
    """Right after a name (様, さん, 씨, 先生 …): ``.match(text, end)``."""
    honorific_end: re.Pattern[str]
    """At the end of a span that included it: ``.search(text, start, end)``."""
    title_before: re.Pattern[str]
    """Right before a name (Mr., Sra. …), with its dot and space: ``.search(before)``."""
    title_start: re.Pattern[str]
    """At the start of a span that included it: ``.match(text, start, end)``."""


def _words_at(words: tuple[str, ...], *, start: bool) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # start: used with .match(text, pos) right after a name.
    return re.compile(rf"[ \u3000]?(?:{alternatives})" if start else rf"(?:{alternatives})$")


def _titles(words: tuple[str, ...], *, start: bool) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # A title is a word of its own: Mr. / Mr / Sra. followed by a space (or the name).
    if start:
        return re.compile(rf"(?:{alternatives})\.?[ \u3000]+", re.I)
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})\.?[ \u3000]*$", re.I)


def load_placeholder_policy(
    data: Mapping[str, Any],
    *,
    where: str,
    general: Callable[[str], Action],
    floor: tuple[PlaceholderPolicy, Callable[[str], Action]] | None,
) -> PlaceholderPolicy:
    """``[placeholders]`` and ``[tasks]`` of a parsed policy file; ``general`` is the
    file's ``[actions]`` lookup. ``floor`` is the bundled policy (and its ``[actions]``)
    that a city's file may only make stricter; None when this *is* the bundled file."""
    section = data.get("placeholders", {})
    if not isinstance(section, dict):
        raise GuardConfigError(
            "[placeholders] は表でなければなりません。", path=where, key="placeholders"
        )
    unknown = set(section) - _KEYS
    if unknown:
        raise GuardConfigError(
            f"[placeholders] に不明な項目があります: {sorted(unknown)}",
            path=where,
            key="placeholders",
        )
    never = frozenset(_types(section, "never", where, "placeholders.never"))
    if floor is not None:
        never |= floor[0].never
    for name in sorted(never):
        if general(name) is not Action.BLOCK:
            raise GuardConfigError(
                f"{_named(name)}は常に送信を止める種類です（[placeholders] never）。"
                f'[actions] の {name} を "block" にしてください'
                "（既定の default_action が適用される場合も同じです）。",
                path=where,
                key=f"actions.{name}",
            )
    policy = PlaceholderPolicy(
        never=never,
        honorifics=_words(section, "honorifics", where),
        titles=_words(section, "titles", where),
        tasks=MappingProxyType(_tasks(data, where, never)),
    )
    if floor is not None:
        _check_floor(policy, general, floor, where)
    return policy


def _tasks(
    data: Mapping[str, Any], where: str, never: frozenset[str]
) -> dict[str, Mapping[str, TaskAction]]:
    raw = data.get("tasks", {})
    if not isinstance(raw, dict):
        raise GuardConfigError("[tasks] は表でなければなりません。", path=where, key="tasks")
    tasks: dict[str, Mapping[str, TaskAction]] = {}
    for task, table in raw.items():
        key = f"tasks.{task}"
        if not _TASK_NAME.fullmatch(task):
            raise GuardConfigError(
                f"業務名 {task!r} は英小文字・数字・_ で書いてください。", path=where, key=key
            )
        if not isinstance(table, dict):
            raise GuardConfigError(f"[{key}] は表でなければなりません。", path=where, key=key)
        unknown = set(table) - {a.value for a in TaskAction}
        if unknown:
            raise GuardConfigError(
                f"[{key}] に不明な動作があります: {sorted(unknown)}"
                "（placeholder, mask, block, allow のいずれか）。",
                path=where,
                key=key,
            )
        actions: dict[str, TaskAction] = {}
        for action in TaskAction:
            for name in _types(table, action.value, where, f"{key}.{action.value}"):
                if name in actions:
                    raise GuardConfigError(
                        f"{_named(name)}が [{key}] の {actions[name].value} と "
                        f"{action.value} の両方にあります。",
                        path=where,
                        key=f"{key}.{action.value}",
                    )
                if name in never and action is not TaskAction.BLOCK:
                    raise GuardConfigError(
                        f"{_named(name)}は仮名化・マスク・許可のできない種類です"
                        f"（[placeholders] never）。[{key}] の {action.value} から外してください。",
                        path=where,
                        key=f"{key}.{action.value}",
                    )
                if action is TaskAction.PLACEHOLDER and name not in PLACEHOLDER_LABELS:
                    raise GuardConfigError(
                        f"{_named(name)}には仮名（〈氏名1〉のような置き換え）がありません。"
                        f"仮名にできるのは {', '.join(PLACEHOLDER_LABELS)} です。",
                        path=where,
                        key=f"{key}.placeholder",
                    )
                actions[name] = action
        tasks[task] = MappingProxyType(actions)
    return tasks


def _check_floor(
    policy: PlaceholderPolicy,
    general: Callable[[str], Action],
    floor: tuple[PlaceholderPolicy, Callable[[str], Action]],
    where: str,
) -> None:
    shipped, shipped_general = floor
    for task, table in policy.tasks.items():
        for name, action in table.items():
            least = shipped.action_for(task, name, shipped_general(name))
            if STRICTNESS[action] < STRICTNESS[least]:
                raise GuardConfigError(
                    f"[tasks.{task}] で{_named(name)}を {action.value} にはできません。"
                    f"同梱のポリシーでは {least.value} です。市の設定では、同梱のポリシーより"
                    "厳しくすること（allow → placeholder → mask → block の順）だけができます。",
                    path=where,
                    key=f"tasks.{task}.{action.value}",
                )


def _named(name: str) -> str:
    return f"{name}（{ENTITY_LABELS_JA[name]}）"


def _types(table: Mapping[str, Any], name: str, where: str, key: str) -> tuple[str, ...]:
    values = table.get(name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise GuardConfigError("検出種類名の配列でなければなりません。", path=where, key=key)
    for value in values:
        if value not in ENTITY_TYPES:
            raise GuardConfigError(f"不明な検出種類 {value!r} です。", path=where, key=key)
    return tuple(values)


def _words(table: Mapping[str, Any], name: str, where: str) -> tuple[str, ...]:
    values = table.get(name, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise GuardConfigError(
            "空でない文字列の配列でなければなりません。", path=where, key=f"placeholders.{name}"
        )
    return tuple(v.strip() for v in values)
