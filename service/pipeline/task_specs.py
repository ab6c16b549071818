"""Every municipal task declared once: its input model (the API's request body), its
prompt's variables, the fields the staff member fills in (each a unit of the input
guard), its route summary and its option on the web page. The API routes, the prompt
loader, `Tasks` and the page are all built from `TASKS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from pydantic import BaseModel, Field

from .fields import InputField
from .vocabulary import (
    DraftKind,
    Length,
    PromptSpec,
    SummaryFormat,
    TargetLanguage,
    Tone,
    prompt_spec,
)

TaskName = Literal["draft", "summarize", "translate", "proofread", "faq"]


class DraftInput(BaseModel):
    kind: DraftKind = Field(description="文書の種類")
    tone: Tone = Field(default="丁寧", description="文体")
    length: Length = Field(default="標準", description="分量の目安")
    instructions: str = Field(
        description="何を書くか: 行事や用件、伝えたい要点、宛先など（個人情報は書かない）",
        examples=["市民体育祭の開会式での市長挨拶。天候に恵まれたことへの感謝と、けがへの注意。"],
    )


class SummarizeOptions(BaseModel):
    length: Length = Field(default="標準", description="分量の目安")
    format: SummaryFormat = Field(default="箇条書き", description="箇条書きか文章か")


class SummarizeInput(SummarizeOptions):
    text: str = Field(description="要約する文書（会議録、長文資料など）")


class TranslateInput(BaseModel):
    text: str = Field(description="原文")
    target: TargetLanguage = Field(
        description="訳す言語: ISO 639-1 コード（zh は簡体字、zh-TW は繁体字）、"
        "ja は日本語へ、easy_ja は「やさしい日本語」への書き換え",
        examples=["easy_ja"],
    )


class ProofreadInput(BaseModel):
    text: str = Field(description="校正する文書")
    instructions: str = Field(default="", description="特に見てほしい点（任意）")


class FaqInput(BaseModel):
    question: str = Field(description="住民からの質問")
    instructions: str = Field(default="", description="回答作成にあたっての注意（任意）")


@dataclass(frozen=True)
class FieldSpec:
    """A text field of a task's input: its template variable (= the input model's
    attribute), its Japanese label, which limit applies, whether it may be empty."""

    name: str
    label: str
    limit: Literal["prompt", "document"]
    required: bool = True


@dataclass(frozen=True)
class TaskSpec:
    name: TaskName
    title: str  # the option on the web page
    summary: str  # the route's summary in the OpenAPI document
    description: str
    input_model: type[BaseModel]
    prompt: PromptSpec
    fields: tuple[FieldSpec, ...]
    choices: tuple[str, ...] = ()  # the input's choice attributes, passed to the template
    labelled: bool = False  # the output ends with the AI label (YAKUBA_AI_LABEL)
    grounded: bool = False  # answered from the knowledge base, with citations

    def input_fields(self, inp: BaseModel, limits: Mapping[str, int]) -> list[InputField]:
        return [
            InputField(f.name, f.label, getattr(inp, f.name), limits[f.limit], f.required)
            for f in self.fields
        ]

    def choice_values(self, inp: BaseModel) -> dict[str, str]:
        return {name: str(getattr(inp, name)) for name in self.choices}


TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(
        name="draft",
        title="文書作成",
        summary="文書の下書き（挨拶文・お知らせ・通知文・メール）",
        description="The draft ends with the AI label (YAKUBA_AI_LABEL) and the staff-check notice.",
        input_model=DraftInput,
        prompt=prompt_spec(
            {"instructions"},
            {"kind", "tone", "length"},
            kind=get_args(DraftKind),
            tone=get_args(Tone),
            length=get_args(Length),
        ),
        fields=(FieldSpec("instructions", "指示", "prompt"),),
        choices=("kind", "tone", "length"),
        labelled=True,
    ),
    TaskSpec(
        name="summarize",
        title="要約",
        summary="要約（テキスト）",
        description="",
        input_model=SummarizeInput,
        prompt=prompt_spec(
            {"text"}, {"length", "format"}, length=get_args(Length), format=get_args(SummaryFormat)
        ),
        fields=(FieldSpec("text", "本文", "document"),),
        choices=("length", "format"),
    ),
    TaskSpec(
        name="translate",
        title="翻訳",
        summary="翻訳・やさしい日本語への書き換え",
        description="",
        input_model=TranslateInput,
        prompt=prompt_spec({"text", "target"}, target=get_args(TargetLanguage)),
        fields=(FieldSpec("text", "原文", "document"),),
        choices=("target",),
    ),
    TaskSpec(
        name="proofread",
        title="校正",
        summary="公用文の校正（指摘と修正案）",
        description="",
        input_model=ProofreadInput,
        prompt=prompt_spec({"text"}, {"instructions"}),
        fields=(
            FieldSpec("text", "原文", "document"),
            FieldSpec("instructions", "特に見てほしい点", "prompt", required=False),
        ),
    ),
    TaskSpec(
        name="faq",
        title="FAQ回答案",
        summary="FAQ回答案（資料に基づき出典付き）",
        description="Works without a model too: the extractive mode quotes the sources.",
        input_model=FaqInput,
        prompt=prompt_spec({"context", "question"}, {"instructions"}),
        fields=(
            FieldSpec("question", "質問", "prompt"),
            FieldSpec("instructions", "回答作成にあたっての注意", "prompt", required=False),
        ),
        labelled=True,
        grounded=True,
    ),
)
TASKS_BY_NAME: Mapping[str, TaskSpec] = {t.name: t for t in TASKS}
TASK_NAMES: tuple[TaskName, ...] = tuple(t.name for t in TASKS)
