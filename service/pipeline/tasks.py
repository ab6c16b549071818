"""The municipal tasks (declared in task_specs): drafting, summarizing, translating,
proofreading, FAQ answers.

Each task is the pipeline with its own prompt (prompts/<task>.toml): length limits → the
input guard on every field the staff member filled in, each and together (and the
purpose) → restricted purposes → (grounded tasks: retrieval with citations) → prompt →
audit intent → model → output guard → the audit record. Nothing here talks to the model
or the audit log directly, so the invariants stay where `Pipeline` keeps them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from pydantic import BaseModel

from ..documents import extract_text
from ..errors import InputError
from .contracts import CHECK_NOTICE, TASK_CHECK_NOTICE, Answer, RequestContext
from .core import Pipeline, new_entry
from .fields import InputField, check_field
from .input_guard import Screened
from .placeholders import (
    DocumentPreview,
    PlaceholderRequest,
    RequestPreview,
    preview_request,
)
from .task_specs import (
    TASK_NAMES,
    TASKS_BY_NAME,
    DraftInput,
    FaqInput,
    ProofreadInput,
    SummarizeInput,
    SummarizeOptions,
    TaskName,
    TaskSpec,
    TranslateInput,
)

__all__ = [
    "DEFAULT_AI_LABEL",
    "TASK_NAMES",
    "DraftInput",
    "FaqInput",
    "ProofreadInput",
    "SummarizeInput",
    "SummarizeOptions",
    "TaskName",
    "Tasks",
    "TranslateInput",
    "parse_ai_label",
]

DEFAULT_AI_LABEL = "※この文書は生成AIにより作成した案です"
_NOTHING = "特になし"  # an empty optional field, as the templates read it


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
    def run(
        self,
        name: str,
        inp: BaseModel,
        ctx: RequestContext,
        *,
        placeholders: PlaceholderRequest | None = None,
    ) -> Answer:
        """Task `name` (task_specs.TASKS) on its input model `inp`; with `placeholders`,
        residents' data goes to the model as placeholders where the task's policy allows
        it, and comes back in the answer (service.pipeline.placeholders)."""
        spec = self._spec(name, inp)
        screened = self._a.screen(
            ctx, spec.name, self._fields(spec, inp), placeholders=placeholders
        )
        if isinstance(screened, Answer):
            return screened
        if spec.grounded:
            return self._grounded(spec, screened)
        return self._generate(screened, spec.name, spec.choice_values(inp), labelled=spec.labelled)

    def preview(
        self, name: str, inp: BaseModel, ctx: RequestContext, *, thread: str | None = None
    ) -> RequestPreview:
        """What `run(…, placeholders=…)` would send, for the staff member to confirm; the
        model is not called and nothing is stored. Lengths are checked as `run` does
        (InputError)."""
        spec = self._spec(name, inp)
        fields = self._fields(spec, inp)
        for f in fields:
            check_field(f)
        mapping = self._a.placeholder_mappings.get(ctx.user, thread) if thread is not None else None
        return preview_request(self._a.guard, spec.name, fields, ctx.purpose, mapping)

    def _spec(self, name: str, inp: BaseModel) -> TaskSpec:
        spec = TASKS_BY_NAME[name]
        if not isinstance(inp, spec.input_model):
            raise TypeError(f"{name} takes {spec.input_model.__name__}")
        return spec

    def _fields(self, spec: TaskSpec, inp: BaseModel) -> list[InputField]:
        limits = {"prompt": self._a.max_prompt_chars, "document": self.max_document_chars}
        return spec.input_fields(inp, limits)

    def draft(self, inp: DraftInput, ctx: RequestContext) -> Answer:
        return self.run("draft", inp, ctx)

    def summarize(self, inp: SummarizeInput, ctx: RequestContext) -> Answer:
        return self.run("summarize", inp, ctx)

    def translate(self, inp: TranslateInput, ctx: RequestContext) -> Answer:
        return self.run("translate", inp, ctx)

    def proofread(self, inp: ProofreadInput, ctx: RequestContext) -> Answer:
        return self.run("proofread", inp, ctx)

    def faq(self, inp: FaqInput, ctx: RequestContext) -> Answer:
        """An answer draft grounded in the knowledge base, with [n] citations; without a
        model, the extractive answer (the sources themselves) like `ask`."""
        return self.run("faq", inp, ctx)

    def summarize_document(
        self,
        data: bytes,
        options: SummarizeOptions,
        ctx: RequestContext,
        *,
        size: int | None = None,
        placeholders: PlaceholderRequest | None = None,
    ) -> Answer:
        """Summarize an uploaded text, PDF or DOCX file; its text is guarded like any prompt.
        `size` is the file's full size when `data` holds only its first bytes (an upload
        read no further than needed to know it is too large)."""
        started = time.perf_counter()
        entry = new_entry(ctx, "summarize", "")
        size = max(size or 0, len(data))
        entry.prompt = f"<未検査: ファイル {size:,}バイト>"
        try:
            field, _ = self._document_field(data, size)
        except InputError as exc:
            return self._a.refuse(entry, started, exc)
        screened = self._a.screen_entry(entry, started, ctx, [field], placeholders=placeholders)
        if isinstance(screened, Answer):
            return screened
        values = {"length": options.length, "format": options.format}
        return self._generate(screened, "summarize", values)

    def preview_document(
        self,
        data: bytes,
        ctx: RequestContext,
        *,
        size: int | None = None,
        thread: str | None = None,
    ) -> DocumentPreview:
        """What `summarize_document(…, placeholders=…)` would send: the file's text read
        with the same loaders and limits (InputError as there), and its preview. The model
        is not called; nothing is stored or audited — the text goes back only to the
        person who uploaded it."""
        field, kind = self._document_field(data, max(size or 0, len(data)))
        mapping = self._a.placeholder_mappings.get(ctx.user, thread) if thread is not None else None
        preview = preview_request(self._a.guard, "summarize", [field], ctx.purpose, mapping)
        return DocumentPreview(**preview.model_dump(), document=field.text, kind=kind)

    def _document_field(self, data: bytes, size: int) -> tuple[InputField, str]:
        """The uploaded file's text as the summary's one field, and the file's kind."""
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
        return field, document.kind.label

    def _grounded(self, spec: TaskSpec, screened: Screened) -> Answer:
        """Retrieval on the first field (the question), the other fields as variables."""
        safe = screened.safe
        question = safe[spec.fields[0].name]
        variables = {name: text or _NOTHING for name, text in safe.items()}
        plan = self._a.grounded(
            screened,
            spec.name,
            question,
            variables,
            notice=self._suffix_notice(labelled=spec.labelled, notice=CHECK_NOTICE),
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
