"""The words of the tasks: the values the API accepts for each choice variable, and what a
prompt template may use (`PromptSpec`). Shared by the task declarations (task_specs) and
the prompt loader (prompting)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

# The values the API accepts for the tasks' choice variables. They are Japanese because
# they are shown to staff as they are and name the choice in the template's own words.
DraftKind = Literal["挨拶文", "お知らせ", "通知文", "メール"]
Tone = Literal["丁寧", "標準", "簡潔"]
Length = Literal["短め", "標準", "長め"]
SummaryFormat = Literal["箇条書き", "文章"]
# ISO 639-1 codes (zh-TW for Traditional Chinese) plus easy_ja, やさしい日本語: the
# languages municipalities most often publish resident information in.
TargetLanguage = Literal[
    "ja", "easy_ja", "en", "zh", "zh-TW", "ko", "vi", "pt", "es", "tl", "ne", "id", "th", "my"
]


@dataclass(frozen=True)
class PromptSpec:
    """What a task's template may use.

    `required` variables carry the staff member's input or the retrieved passages: a
    template without them would silently drop that input. `choices` lists, per choice
    variable, the values a `[choices.<variable>]` table must describe.
    """

    required: frozenset[str]
    optional: frozenset[str] = frozenset()
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def allowed(self) -> frozenset[str]:
        return self.required | self.optional


def prompt_spec(
    required: set[str], optional: set[str] | None = None, **choices: tuple[str, ...]
) -> PromptSpec:
    return PromptSpec(frozenset(required), frozenset(optional or ()), MappingProxyType(choices))
