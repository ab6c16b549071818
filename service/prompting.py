"""Loads the task prompt templates in `prompts/` into LangChain prompt templates."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from langchain_core.prompts import ChatPromptTemplate

from .errors import ConfigurationError


@dataclass(frozen=True)
class TaskPrompt:
    """A prompt template and the identity recorded in the audit log."""

    id: str
    version: str
    template: ChatPromptTemplate

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


@lru_cache
def load_prompt(task: str) -> TaskPrompt:
    try:
        raw = resources.files("prompts").joinpath(f"{task}.toml").read_text(encoding="utf-8")
        data = tomllib.loads(raw)
        template = ChatPromptTemplate.from_messages(
            [("system", data["system"].strip()), ("human", data["human"].strip())]
        )
        return TaskPrompt(id=str(data["id"]), version=str(data["version"]), template=template)
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"プロンプト {task} を読み込めませんでした: {exc}") from exc
