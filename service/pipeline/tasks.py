"""The municipal tasks: drafting, summarizing, translating, proofreading, FAQ answers.

Each task is `Assistant`'s pipeline with its own prompt (prompts/<task>.toml): length
limits → the guard on every text the staff member supplied (and the purpose) → restricted
purposes → (faq: retrieval with citations) → prompt → model → guard on the output →
one audit record. Nothing here talks to the model or the audit log directly, so the
invariants stay where `Assistant` keeps them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field

from ..documents import extract_text
from ..errors import InputError
from .contracts import CHECK_NOTICE, TASK_CHECK_NOTICE, Answer, RequestContext
from .core import Pipeline, new_entry
from .fields import InputField
from .input_guard import Screened
from .prompting import DraftKind, Length, SummaryFormat, TargetLanguage, Tone

TaskName = Literal["draft", "summarize", "translate", "proofread", "faq"]
TASK_NAMES: tuple[TaskName, ...] = ("draft", "summarize", "translate", "proofread", "faq")
DEFAULT_AI_LABEL = "※この文書は生成AIにより作成した案です"
_NOTHING = "特になし"  # an empty optional field, as the templates read it


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


def parse_ai_label(value: str) -> str:
    """The label setting: on/off words, or the label text itself ("" = no label)."""
    word = value.strip().casefold()
    if word in ("", "off", "false", "0", "no", "none"):
        return ""
    if word in ("on", "true", "1", "yes"):
        return DEFAULT_AI_LABEL
    return value.strip()


class Tasks:
    def __init__(
        self,
        assistant: Pipeline,
        *,
        ai_label: str = DEFAULT_AI_LABEL,
        max_document_chars: int = 30_000,
        max_upload_bytes: int = 10 * 1024 * 1024,
    ) -> None:
        self._a = assistant
        self.ai_label = parse_ai_label(ai_label)
        self.max_document_chars = max_document_chars
        self.max_upload_bytes = max_upload_bytes

    # -- the tasks -----------------------------------------------------------------------
    def draft(self, inp: DraftInput, ctx: RequestContext) -> Answer:
        fields = [InputField("instructions", "指示", inp.instructions, self._a.max_prompt_chars)]
        screened = self._a.screen(ctx, "draft", fields)
        if isinstance(screened, Answer):
            return screened
        values = {"kind": inp.kind, "tone": inp.tone, "length": inp.length}
        return self._generate(screened, "draft", values, labelled=True)

    def summarize(self, inp: SummarizeInput, ctx: RequestContext) -> Answer:
        fields = [InputField("text", "本文", inp.text, self.max_document_chars)]
        screened = self._a.screen(ctx, "summarize", fields)
        if isinstance(screened, Answer):
            return screened
        return self._generate(screened, "summarize", {"length": inp.length, "format": inp.format})

    def summarize_document(
        self,
        data: bytes,
        options: SummarizeOptions,
        ctx: RequestContext,
        *,
        size: int | None = None,
    ) -> Answer:
        """Summarize an uploaded text, PDF or DOCX file; its text is guarded like any prompt.
        `size` is the file's full size when `data` holds only its first bytes (an upload
        read no further than needed to know it is too large)."""
        started = time.perf_counter()
        entry = new_entry(ctx, "summarize", "")
        size = max(size or 0, len(data))
        entry.prompt = f"<未検査: ファイル {size:,}バイト>"
        try:
            document = extract_text(data, max_bytes=self.max_upload_bytes, size=size)
            field = InputField(
                "text",
                f"ファイル（{document.kind.label}）の本文",
                document.text,
                self.max_document_chars,
            )
            if len(field.text) > field.limit:
                raise InputError(
                    f"{field.label}が長すぎます（{len(field.text):,}文字）。"
                    f"{field.limit:,}文字以内の文書にするか、必要な部分だけを貼り付けてください。",
                    code="prompt_too_long",
                )
        except InputError as exc:
            return self._a.refuse(entry, started, exc)
        screened = self._a.screen_entry(entry, started, ctx, [field])
        if isinstance(screened, Answer):
            return screened
        values = {"length": options.length, "format": options.format}
        return self._generate(screened, "summarize", values)

    def translate(self, inp: TranslateInput, ctx: RequestContext) -> Answer:
        fields = [InputField("text", "原文", inp.text, self.max_document_chars)]
        screened = self._a.screen(ctx, "translate", fields)
        if isinstance(screened, Answer):
            return screened
        return self._generate(screened, "translate", {"target": inp.target})

    def proofread(self, inp: ProofreadInput, ctx: RequestContext) -> Answer:
        fields = [
            InputField("text", "原文", inp.text, self.max_document_chars),
            InputField(
                "instructions",
                "特に見てほしい点",
                inp.instructions,
                self._a.max_prompt_chars,
                required=False,
            ),
        ]
        screened = self._a.screen(ctx, "proofread", fields)
        if isinstance(screened, Answer):
            return screened
        return self._generate(screened, "proofread", {})

    def faq(self, inp: FaqInput, ctx: RequestContext) -> Answer:
        """An answer draft grounded in the knowledge base, with [n] citations; without a
        model, the extractive answer (the sources themselves) like `ask`."""
        limit = self._a.max_prompt_chars
        fields = [
            InputField("question", "質問", inp.question, limit),
            InputField("instructions", "回答作成にあたっての注意", inp.instructions, limit, False),
        ]
        screened = self._a.screen(ctx, "faq", fields)
        if isinstance(screened, Answer):
            return screened
        safe = screened.safe
        plan = self._a.grounded(
            screened,
            "faq",
            safe["question"],
            {"question": safe["question"], "instructions": safe["instructions"] or _NOTHING},
            notice=self._suffix_notice(labelled=True, notice=CHECK_NOTICE),
        )
        return plan if isinstance(plan, Answer) else self._a.complete(plan)

    # -- helpers -------------------------------------------------------------------------
    def _generate(
        self,
        screened: Screened,
        task: TaskName,
        values: Mapping[str, str],
        *,
        labelled: bool = False,
    ) -> Answer:
        variables = {name: text or _NOTHING for name, text in screened.safe.items()}
        plan = self._a.plan_generation(
            screened,
            task,
            {**variables, **values},
            suffix="\n\n" + self._suffix_notice(labelled=labelled, notice=TASK_CHECK_NOTICE),
        )
        return plan if isinstance(plan, Answer) else self._a.complete(plan)

    def _suffix_notice(self, *, labelled: bool, notice: str) -> str:
        # The label belongs to the document (staff copy it with the draft); the notice
        # is for the staff member and comes last.
        if labelled and self.ai_label:
            return f"{self.ai_label}\n\n{notice}"
        return notice
