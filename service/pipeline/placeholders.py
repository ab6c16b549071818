"""Placeholders in the pipeline (issue 18, docs/placeholders.md): residents' data goes to
the model as 〈氏名1〉, 〈住所1〉 … and comes back only in the answer for the person who asked.

A request asks for it (the staff member confirmed the preview, or the API call set
`placeholders`); then the input guard plans each field with `guardrails.placeholder_prompt`
for the task, the model sees only the plans' texts, the output guard screens the answer
*as the model wrote it*, and `PlaceholderSession.restore` puts the values back for the
reply. The mapping (placeholder → value) lives in memory only: per request, cleared when
the answer is made, or per (user, thread) in `PlaceholderMappings` (bounded, expiring).
Nothing this module returns for the audit record, the logs or a response body other than
the answer text holds a value: placeholders, entity types, counts and offsets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from guardrails import (
    ENTITY_LABELS_JA,
    Guard,
    PlaceholderError,
    PlaceholderMapping,
    PlaceholderMappings,
    PlaceholderPlan,
    PlaceholderPreview,
    Restoration,
    ScanResult,
    StreamRestorer,
    TaskAction,
    explain_ja,
    placeholder_prompt,
    preview_placeholders,
    restore_placeholders,
)

from .contracts import PlaceholderIssue, PlaceholderSummary, ReplacedValue
from .fields import InputField

__all__ = [
    "EXPIRED_NOTICE",
    "FieldPreview",
    "PlaceholderRequest",
    "PlaceholderSession",
    "RequestPreview",
    "preview_field",
    "preview_request",
]

# The request's action is its fields' most telling one (as a plan ranks its spans).
_RANK = {TaskAction.ALLOW: 0, TaskAction.MASK: 1, TaskAction.PLACEHOLDER: 2, TaskAction.BLOCK: 3}
NOTHING_FOUND = "個人情報は見つかりませんでした。このまま送信します。"

EXPIRED_NOTICE = (
    "仮名の対応表の有効期限が切れたため、回答の仮名（〈氏名1〉など）を元に戻せませんでした。"
    "もう一度送信してください。"
)
HINT = (
    "氏名・住所・電話番号などは、仮名（〈氏名1〉など）に置き換えて送信することもできます"
    "（画面の「仮名に置き換えて送信」、API では placeholders: true、チャット API では"
    " yakuba.placeholders、ボットでは作業名の後に「仮名」）。"
    "回答では、あなたにだけ元の値に戻して表示します。"
)


@dataclass(frozen=True)
class PlaceholderRequest:
    """A channel's request for placeholders: the thread whose mapping to use (None: one
    mapping for this request only)."""

    thread: str | None = None

    def mapping(self, mappings: PlaceholderMappings, user: str) -> tuple[PlaceholderMapping, bool]:
        """The mapping and whether it belongs to this request alone (cleared after it)."""
        if self.thread is None:
            return PlaceholderMapping(), True
        return mappings.get(user, self.thread), False


@dataclass
class PlaceholderSession:
    """One request's placeholders: the plans of its fields and the mapping."""

    mapping: PlaceholderMapping
    owned: bool
    plans: list[PlaceholderPlan] = field(default_factory=list)
    restoration: Restoration | None = None
    expired: bool = False

    def plan(self, guard: Guard, text: str, scan: ScanResult, task: str) -> PlaceholderPlan:
        """The field's plan (its new placeholders stored in the mapping)."""
        plan = placeholder_prompt(
            text,
            scan,
            task=task,
            policy=guard.policy,
            mapping=self.mapping,
            # The second look costs a scan: only texts where something was found need it.
            rescan=guard.scan if scan.findings else None,
        )
        self.plans.append(plan)
        return plan

    @property
    def sent(self) -> list[str]:
        return [p.text for p in self.plans]

    @property
    def used(self) -> bool:
        """True when the model was sent placeholders to be restored."""
        return any(p.action is TaskAction.PLACEHOLDER for p in self.plans)

    def restore(self, text: str) -> str:
        """`text` (screened by the output guard) with the values back; never store it."""
        if not self.used:
            return text
        try:
            self.restoration = restoration = restore_placeholders(
                text, self.mapping, sent=self.sent
            )
        except PlaceholderError:
            self.expired = True
            return text
        return restoration.text

    def streamer(self) -> StreamRestorer | None:
        if not self.used:
            return None
        try:
            return StreamRestorer(self.mapping, sent=self.sent)
        except PlaceholderError:
            self.expired = True
            return None

    def finish(self, restorer: StreamRestorer | None = None) -> None:
        """The stream's report, then the per-request mapping wiped."""
        if restorer is not None and self.restoration is None:
            self.restoration = restorer.result()
        if self.owned:
            self.mapping.clear()

    def notices(self) -> list[str]:
        if self.expired:
            return [EXPIRED_NOTICE]
        if self.restoration is None:
            return []
        return self.restoration.notices_ja()

    def summary(self) -> PlaceholderSummary:
        """What was replaced and what was odd on the way back (no values)."""
        uses: Counter[str] = Counter()
        kinds: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for plan in self.plans:
            for r in plan.replacements:
                counts[r.entity_type] += 1
                if r.action is TaskAction.PLACEHOLDER:
                    uses[r.text] += 1
                    kinds[r.text] = r.entity_type
        replaced = [
            ReplacedValue(
                placeholder=token,
                type=kinds[token],
                label=ENTITY_LABELS_JA.get(kinds[token], kinds[token]),
                count=n,
            )
            for token, n in uses.items()
        ]
        restoration = self.restoration
        issues = [
            PlaceholderIssue(
                kind=a.kind.value,
                written=a.written,
                placeholder=a.placeholder,
                message=a.message_ja(),
            )
            for a in (restoration.anomalies if restoration is not None else ())
        ]
        return PlaceholderSummary(
            replaced=replaced,
            counts=dict(sorted(counts.items())),
            restored=restoration.restored if restoration is not None else 0,
            issues=issues,
            expired=self.expired,
        )


def preview_field(
    guard: Guard, text: str, scan: ScanResult, task: str, mapping: PlaceholderMapping | None
) -> PlaceholderPreview:
    """What sending `text` for `task` with placeholders would do; nothing is stored."""
    return preview_placeholders(
        text,
        scan,
        task=task,
        policy=guard.policy,
        mapping=mapping,
        rescan=guard.scan if scan.findings else None,
    )


class FieldPreview(BaseModel):
    """One field of the request and what sending it would do."""

    name: str
    label: str
    preview: PlaceholderPreview


class RequestPreview(BaseModel):
    """What a request with placeholders would send, before the staff member confirms."""

    task: str
    action: TaskAction = Field(
        description="placeholder: sent with placeholders; block: would be refused; "
        "mask / allow: sent with labels / as written"
    )
    fields: list[FieldPreview] = Field(default_factory=list)
    message: str = Field(description="Japanese: what would be replaced, or why it is refused")


class DocumentPreview(RequestPreview):
    """The preview of an uploaded file: its text as extracted on the server (the items'
    offsets index it), for the page to mark what would be replaced."""

    document: str = Field(
        description="ファイルから取り出した本文（プレビューの位置はこの本文のもの）"
    )
    kind: str = Field(description="ファイルの形式（テキスト・PDF・Word）")


def preview_request(
    guard: Guard,
    task: str,
    fields: Sequence[InputField],
    purpose: str,
    mapping: PlaceholderMapping | None,
) -> RequestPreview:
    """`preview_field` for each field (and the purpose's verdict: it is never sent, so it
    is never placeholdered); nothing is stored and nothing is audited, since nothing
    leaves."""
    shown: list[FieldPreview] = []
    for f in fields:
        if not f.text:
            continue
        preview = preview_field(guard, f.text, guard.scan(f.text), task, mapping)
        shown.append(FieldPreview(name=f.name, label=f.label, preview=preview))
    actions = [s.preview.action for s in shown] or [TaskAction.ALLOW]
    action = max(actions, key=_RANK.__getitem__)
    labelled = len(shown) > 1
    message = "\n".join(
        f"【{s.label}】{s.preview.summary_ja}" if labelled else s.preview.summary_ja
        for s in shown
        if s.preview.items or s.preview.error
    )
    if purpose.strip():
        verdict = guard.scan(purpose)
        if verdict.blocked:
            action = TaskAction.BLOCK
            message = "\n".join(
                m for m in (message, f"【業務内容】{explain_ja(purpose, verdict)}") if m
            )
    return RequestPreview(task=task, action=action, fields=shown, message=message or NOTHING_FOUND)
