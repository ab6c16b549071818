"""Loads the task prompt templates in `prompts/` into LangChain prompt templates.

Each task has one TOML file (`id`, `version`, `system`, `human` and, for tasks with
choices, a `[choices.<variable>]` table per choice variable). An administrator can put a
file of the same name in `YAKUBA_PROMPTS_DIR` to replace the bundled one without touching
code. Every file is checked when the service starts — which variables it uses, that each
choice table covers every value the API accepts, that it renders — so a broken override
stops the start-up with a `ConfigurationError` instead of failing staff requests later.
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

from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate

from ..errors import ConfigurationError
from .task_specs import TASKS
from .vocabulary import (
    DraftKind,
    Length,
    PromptSpec,
    SummaryFormat,
    TargetLanguage,
    Tone,
    prompt_spec,
)

__all__ = [
    "SPECS",
    "DraftKind",
    "Length",
    "PromptLibrary",
    "PromptSpec",
    "SummaryFormat",
    "TargetLanguage",
    "TaskPrompt",
    "Tone",
    "load_prompt",
    "load_prompts",
]

# What each template may use: `ask`'s here, every task's in its declaration (task_specs).
SPECS: Mapping[str, PromptSpec] = MappingProxyType(
    {"ask": prompt_spec({"context", "question"}), **{t.name: t.prompt for t in TASKS}}
)

_KEYS = frozenset({"id", "version", "system", "human", "choices"})


@dataclass(frozen=True)
class TaskPrompt:
    """A prompt template and the identity recorded in the audit log."""

    id: str
    version: str
    template: ChatPromptTemplate
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    origin: str = ""

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def format_messages(self, **values: str) -> list[BaseMessage]:
        """Renders the template; a choice variable's value is replaced by its description."""
        rendered = {
            name: self.choices[name][value] if name in self.choices else value
            for name, value in values.items()
        }
        return self.template.format_messages(**rendered)


class PromptLibrary:
    """Every task's prompt, bundled or overridden, checked at load."""

    def __init__(self, prompts: Mapping[str, TaskPrompt]) -> None:
        self._prompts = dict(prompts)

    def __getitem__(self, task: str) -> TaskPrompt:
        try:
            return self._prompts[task]
        except KeyError:
            raise ConfigurationError(f"プロンプト {task} はありません。") from None

    def refs(self) -> dict[str, str]:
        return {task: p.ref for task, p in sorted(self._prompts.items())}


def load_prompts(prompts_dir: Path | None = None) -> PromptLibrary:
    """All task prompts; a `<task>.toml` in `prompts_dir` replaces the bundled file.

    Raises `ConfigurationError` naming the file and the problem.
    """
    overrides: dict[str, Path] = {}
    if prompts_dir is not None:
        if not prompts_dir.is_dir():
            raise ConfigurationError(
                f"プロンプトのフォルダ {prompts_dir} がありません（YAKUBA_PROMPTS_DIR）。"
            )
        for path in sorted(prompts_dir.glob("*.toml")):
            if path.stem not in SPECS:
                # Most likely a misspelt name, which would otherwise be ignored silently.
                raise ConfigurationError(
                    f"プロンプト {path} はどのタスクにも対応しません。"
                    f"ファイル名は {', '.join(f'{t}.toml' for t in SPECS)} のいずれかにしてください。"
                )
            overrides[path.stem] = path
    return PromptLibrary({task: _load(task, overrides.get(task)) for task in SPECS})


@lru_cache
def load_prompt(task: str) -> TaskPrompt:
    """One bundled prompt (tests and tools; the service uses `load_prompts`)."""
    if task not in SPECS:
        raise ConfigurationError(f"プロンプト {task} はありません。")
    return _load(task, None)


def _load(task: str, path: Path | None) -> TaskPrompt:
    origin = str(path) if path else f"prompts/{task}.toml（同梱）"

    def fail(problem: str) -> ConfigurationError:
        return ConfigurationError(f"プロンプト {origin} を読み込めませんでした: {problem}")

    try:
        if path is None:
            raw = resources.files("prompts").joinpath(f"{task}.toml").read_text(encoding="utf-8")
        else:
            raw = path.read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise fail(str(exc)) from exc

    unknown = set(data) - _KEYS
    if unknown:
        raise fail(f"知らない項目があります: {', '.join(sorted(unknown))}")
    ident = _text_field(data, "id", fail)
    version = _text_field(data, "version", fail)
    system = _text_field(data, "system", fail)
    human = _text_field(data, "human", fail)
    try:
        template = ChatPromptTemplate.from_messages([("system", system), ("human", human)])
    except (ValueError, KeyError) as exc:
        raise fail(f"テンプレートの書式が正しくありません（{{ }} の対応など）: {exc}") from exc

    spec = SPECS[task]
    used = set(template.input_variables)
    if extra := used - spec.allowed:
        raise fail(
            f"使えない変数 {_braced(extra)} があります（使える変数: {_braced(spec.allowed)}）"
        )
    if missing := spec.required - used:
        raise fail(f"必要な変数 {_braced(missing)} がありません")
    choices = _choices(data.get("choices", {}), spec, used, fail)
    prompt = TaskPrompt(ident, version, template, choices, origin)
    try:
        # A trial render catches what parsing does not, such as a bad format spec.
        prompt.format_messages(**{name: _sample(spec, name) for name in spec.allowed})
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise fail(f"テンプレートを展開できません: {exc}") from exc
    return prompt


def _text_field(data: Mapping[str, Any], key: str, fail: Any) -> str:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and key == "version":
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise fail(f"{key} を空でない文字列で指定してください")
    return value.strip()


def _choices(
    raw: object, spec: PromptSpec, used: set[str], fail: Any
) -> Mapping[str, Mapping[str, str]]:
    if not isinstance(raw, dict):
        raise fail("choices は表（[choices.変数名]）で指定してください")
    if unknown := set(raw) - set(spec.choices):
        raise fail(f"choices に選択肢の無い変数 {', '.join(sorted(unknown))} があります")
    tables: dict[str, Mapping[str, str]] = {}
    for name, values in spec.choices.items():
        if name not in used:
            continue
        table = raw.get(name)
        if not isinstance(table, dict):
            raise fail(f"[choices.{name}] がありません（{' / '.join(values)} の説明）")
        if missing := [v for v in values if v not in table]:
            raise fail(f"[choices.{name}] に {', '.join(missing)} の説明がありません")
        if extra := sorted(set(table) - set(values)):
            raise fail(f"[choices.{name}] の {', '.join(extra)} は選べない値です")
        if bad := [k for k, v in table.items() if not isinstance(v, str) or not v.strip()]:
            raise fail(f"[choices.{name}] の {', '.join(bad)} を空でない文字列にしてください")
        tables[name] = MappingProxyType({k: v.strip() for k, v in table.items()})
    return MappingProxyType(tables)


def _sample(spec: PromptSpec, name: str) -> str:
    values = spec.choices.get(name)
    return values[0] if values else "試験"


def _braced(names: set[str] | frozenset[str]) -> str:
    return " ".join(f"{{{n}}}" for n in sorted(names))
