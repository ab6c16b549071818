"""Residents' data becomes placeholders on the way to the model (docs/placeholders.md).

    scan = guard.scan(text)                                         # 1. the guard, as ever
    plan = placeholder_prompt(text, scan, task="draft",
                              policy=guard.policy, mapping=mapping)  # 2. 〈氏名1〉 …
    if plan.blocked: refuse(plan)                                    #    a never type, an error
    answer = model(plan.text)                                        # 3. only plan.text leaves
    answer = screen(answer)                                          # 4. the output guard
    shown = restore_placeholders(answer, mapping, sent=plan.text)    # 5. values back, shown only
                                                                     #    to the person who asked

Each finding of the scan gets its task's action (``PlaceholderPolicy.action_for``):
a public finding (an office's number, 田中市長) is sent as written, as the guard decided;
a personal one becomes a placeholder, a mask label (``<電話番号>``) or blocks the prompt.
A placeholder keeps the honorifics and titles around a name outside (〈氏名1〉様,
Dear Ms. 〈氏名1〉), and one value written many ways is one placeholder
(``_placeholder_keys``); a surname written alone next to an honorific (山田様) is the
full name it belongs to (山田太郎) when exactly one full name fits, in this request or
earlier in the thread — the answer then shows the full name in its place.

``preview_placeholders`` computes the same without storing anything: what would be
replaced, by what, and what would block — for the page to show before the staff member
confirms. Nothing in a plan or a preview is a value: offsets, types and placeholders.

Fails closed: an error while placeholdering (a full or expired mapping, a bug) yields a
blocked plan carrying ``error``, never a prompt with values in it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from guardrails._config import Policy
from guardrails._errors import (
    GuardrailsError,
    PlaceholderExpiredError,
    PlaceholderLimitError,
)
from guardrails._labels import ENTITY_LABELS_JA, FALLBACK_LABEL, redaction_label
from guardrails._models import Finding, PublicBasis, ScanResult
from guardrails._placeholder_keys import name_parts, value_key
from guardrails._placeholder_kin import written_as_relative
from guardrails._placeholder_mapping import Occurrence, PlaceholderMapping
from guardrails._placeholder_policy import (
    STRICTNESS,
    PlaceholderPolicy,
    TaskAction,
    task_action_of,
)
from guardrails._placeholder_recheck import carry_back, merged
from guardrails._placeholder_tokens import EXACT
from guardrails._placeholder_widen import widen

logger = logging.getLogger(__name__)

PLACEHOLDER_ERROR = "placeholder_error"
PLACEHOLDER_LIMIT = "placeholder_limit"
PLACEHOLDER_EXPIRED = "placeholder_expired"

_SEVERITY = {
    TaskAction.ALLOW: 0,
    TaskAction.MASK: 1,
    TaskAction.PLACEHOLDER: 2,
    TaskAction.BLOCK: 3,
}
_TITLE_WINDOW = 16  # characters before a name searched for a title (Dear Ms. )
_HONORIFIC_WINDOW = 8
_EDGE_SPACE = " \t\u3000"


@dataclass(frozen=True, slots=True)
class Replacement:
    """One span of the prompt and what is sent in its place (offsets into the prompt)."""

    start: int
    end: int
    entity_type: str
    action: TaskAction
    text: str  # the placeholder (〈氏名1〉) or mask label (<氏名>); never a value


@dataclass(frozen=True, slots=True)
class PlaceholderPlan:
    """What to send for one text of one task, and why.

    ``action`` is ``block`` when the text must not be sent (``blocking`` says which
    findings, or ``error`` what failed), else ``placeholder`` when the answer needs
    restoring, ``mask`` when only labels replaced values, ``allow`` when nothing did.
    ``text`` is what goes to the model ("" when blocked). ``kept`` are findings sent as
    written (public information, warn types).
    """

    task: str
    action: TaskAction
    text: str
    replacements: tuple[Replacement, ...] = ()
    blocking: tuple[Finding, ...] = ()
    kept: tuple[Finding, ...] = ()
    error: str | None = None
    message: str | None = None

    @property
    def blocked(self) -> bool:
        return self.action is TaskAction.BLOCK

    def placeholders(self) -> tuple[str, ...]:
        """The placeholders in ``text``, in order of first appearance."""
        return tuple(
            dict.fromkeys(r.text for r in self.replacements if r.action is TaskAction.PLACEHOLDER)
        )

    def entity_counts(self) -> dict[str, int]:
        """Replaced spans per entity type (for the audit record, beside the text sent)."""
        return dict(sorted(Counter(r.entity_type for r in self.replacements).items()))

    def preview(self) -> PlaceholderPreview:
        """The plan as the page and the API show it (JSON-ready, no values)."""
        items = [
            PreviewItem(
                start=r.start,
                end=r.end,
                type=r.entity_type,
                label=_label(r.entity_type),
                action=r.action,
                placeholder=r.text if r.action is TaskAction.PLACEHOLDER else None,
            )
            for r in self.replacements
        ]
        items += [
            PreviewItem(
                start=f.start,
                end=f.end,
                type=f.type,
                label=_label(f.type),
                action=a,
                public=f.public,
            )
            for findings, a in ((self.blocking, TaskAction.BLOCK), (self.kept, TaskAction.ALLOW))
            for f in findings
        ]
        items.sort(key=lambda item: item.start)
        return PlaceholderPreview(
            task=self.task,
            action=self.action,
            text="" if self.blocked else self.text,
            items=items,
            summary_ja=_summary(self),
            error=self.error,
        )


class PreviewItem(BaseModel):
    """One span of the staff member's text and what would happen to it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    type: str
    label: str = Field(description="種類の日本語名（氏名、住所 …）")
    action: TaskAction
    placeholder: str | None = Field(default=None, description="置き換える仮名（〈氏名1〉）")
    public: PublicBasis | None = Field(default=None, description="公開情報と判断した理由")


class PlaceholderPreview(BaseModel):
    """What sending a text would do, for the staff member to confirm (``/v1`` JSON)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    task: str
    action: TaskAction
    text: str = Field(description="モデルに送る文（仮名入り）。送信できない場合は空")
    items: list[PreviewItem] = Field(default_factory=list)
    summary_ja: str
    error: str | None = None


def placeholder_prompt(
    text: str,
    scan: ScanResult,
    *,
    task: str,
    policy: Policy,
    mapping: PlaceholderMapping,
    use_placeholders: bool = True,
    rescan: Callable[[str], ScanResult] | None = None,
) -> PlaceholderPlan:
    """Plan ``text`` for ``task`` from its ``scan`` and store its new placeholders in
    ``mapping`` (the request's or the thread's). ``use_placeholders=False`` (the
    request did not ask for them, e.g. a plain OpenAI call) blocks what would have become
    a placeholder, as before placeholders existed.

    ``rescan`` (the pipeline passes ``guard.scan``) looks once more at the text to be
    sent and replaces what it still finds (``_placeholder_recheck``); a failed rescan
    blocks."""
    request = _Request(text, task, policy, mapping, use_placeholders)
    return _plan(request, scan, rescan, commit=True)


def preview_placeholders(
    text: str,
    scan: ScanResult,
    *,
    task: str,
    policy: Policy,
    mapping: PlaceholderMapping | None = None,
    use_placeholders: bool = True,
    rescan: Callable[[str], ScanResult] | None = None,
) -> PlaceholderPreview:
    """What ``placeholder_prompt`` would do, without storing anything (``mapping``: the
    thread's, so that known values show their existing placeholders; ``rescan`` as
    there)."""
    mapping = mapping if mapping is not None else PlaceholderMapping()
    request = _Request(text, task, policy, mapping, use_placeholders)
    return _plan(request, scan, rescan, commit=False).preview()


@dataclass(frozen=True, slots=True)
class _Request:
    text: str
    task: str
    policy: Policy
    mapping: PlaceholderMapping
    use_placeholders: bool

    def refused(self, error: str, message: str | None = None) -> PlaceholderPlan:
        return PlaceholderPlan(
            task=self.task, action=TaskAction.BLOCK, text="", error=error, message=message
        )


def _plan(
    request: _Request,
    scan: ScanResult,
    rescan: Callable[[str], ScanResult] | None,
    *,
    commit: bool,
) -> PlaceholderPlan:
    text = request.text
    if not isinstance(text, str):
        raise GuardrailsError(
            "仮名化の対象は文字列でなければなりません。", detail=type(text).__name__
        )
    if any(f.end > len(text) for f in scan.findings):
        raise GuardrailsError("検査結果がこの文のものではありません。", detail="span outside text")
    if scan.error is not None:
        return request.refused(scan.error)
    try:
        scan = _widened(request, scan)
        if rescan is None:
            return _decide(request, scan, commit=commit)
        first = _decide(request, scan, commit=False)
        if first.blocked:
            return first
        again = rescan(first.text)
        if again.error is not None:
            return request.refused(again.error)
        put = [(r.start, r.end, r.text) for r in first.replacements]
        extra = [f for f in carry_back(first.text, put, again) if _meaningful(request, f)]
        if extra:
            scan = _widened(request, merged(scan, first.kept, extra))
        return _decide(request, scan, commit=commit)
    except PlaceholderLimitError as exc:
        return request.refused(PLACEHOLDER_LIMIT, str(exc))
    except PlaceholderExpiredError as exc:
        return request.refused(PLACEHOLDER_EXPIRED, str(exc))
    except Exception as exc:
        # Only the type: a message may quote the text.
        logger.error("placeholdering failed (%s); blocking", type(exc).__name__)
        return request.refused(PLACEHOLDER_ERROR, "個人情報の置き換えを完了できませんでした。")


def _widened(request: _Request, scan: ScanResult) -> ScanResult:
    """Placeholder mode only (``_placeholder_widen``): a value found in part becomes
    whole, and a few strongly cued values the recognisers leave are added — for the
    types this task placeholders. Without placeholders the scan is used as the guard
    made it."""
    if not request.use_placeholders:
        return scan
    policy, task = request.policy, request.task

    def placeholdered(entity_type: str) -> bool:
        general = policy.action_for(entity_type)
        action = policy.placeholders.action_for(task, entity_type, general)
        return action is TaskAction.PLACEHOLDER

    return widen(request.text, scan, placeholdered)


def _decide(request: _Request, scan: ScanResult, *, commit: bool) -> PlaceholderPlan:
    text, task, policy = request.text, request.task, request.policy
    rules = policy.placeholders
    kept: list[Finding] = []
    blocking: list[Finding] = []
    masked: list[Replacement] = []
    spans: list[tuple[Finding, int, int, Occurrence]] = []
    for finding in sorted(scan.findings, key=lambda f: f.start):
        action = _action(finding, task, policy, request.use_placeholders)
        if action is TaskAction.ALLOW:
            kept.append(finding)
        elif action is TaskAction.BLOCK:
            blocking.append(finding)
        elif action is TaskAction.MASK:
            label = redaction_label(finding.type)
            masked.append(Replacement(finding.start, finding.end, finding.type, action, label))
        else:
            start, end, occurrence = _occurrence(text, finding, rules)
            spans.append((finding, start, end, occurrence))
    literal = {m.group(0) for m in EXACT.finditer(text)}
    tokens = request.mapping._assign(
        [occ for *_, occ in spans], literal=literal, commit=commit and not blocking
    )
    replacements = sorted(
        [
            Replacement(start, end, f.type, TaskAction.PLACEHOLDER, token)
            for (f, start, end, _), token in zip(spans, tokens, strict=True)
        ]
        + masked,
        key=lambda r: r.start,
    )
    if blocking:
        action = TaskAction.BLOCK
    else:
        action = max(
            (r.action for r in replacements), key=_SEVERITY.__getitem__, default=TaskAction.ALLOW
        )
    return PlaceholderPlan(
        task=task,
        action=action,
        text="" if blocking else _replaced(text, replacements),
        replacements=tuple(replacements),
        blocking=tuple(blocking),
        kept=tuple(kept),
    )


def _action(finding: Finding, task: str, policy: Policy, use_placeholders: bool) -> TaskAction:
    general = policy.action_for(finding.type)
    if finding.public is not None:
        # As the guard decided: a public finding takes the [public] action (warn: sent).
        public = task_action_of(policy.public.action)
        return min(task_action_of(general), public, key=STRICTNESS.__getitem__)
    action = policy.placeholders.action_for(task, finding.type, general)
    if action is TaskAction.PLACEHOLDER and not use_placeholders:
        return TaskAction.BLOCK
    return action


def _occurrence(
    text: str, finding: Finding, rules: PlaceholderPolicy
) -> tuple[int, int, Occurrence]:
    """The span to replace (honorifics, titles and edge spaces left outside) and the
    value as the mapping sees it."""
    start, end = finding.start, finding.end
    while start < end and text[start] in _EDGE_SPACE:
        start += 1
    while end > start and text[end - 1] in _EDGE_SPACE:
        end -= 1
    addressed = False
    if finding.type == "PERSON":
        affixes = rules.affixes
        title = affixes.title_start.match(text, start, end)
        if title is not None and end - title.end() >= 2:
            start, addressed = title.end(), True
        honorific = affixes.honorific_end.search(text, start, end)
        if honorific is not None and honorific.start() - start >= 2:
            end, addressed = honorific.start(), True
        while end > start and text[end - 1] in _EDGE_SPACE:
            end -= 1
        if not addressed:
            after = affixes.honorific_after.match(text[end : end + _HONORIFIC_WINDOW])
            before = affixes.title_before.search(text[max(0, start - _TITLE_WINDOW) : start])
            addressed = after is not None or before is not None
    value = text[start:end]
    key = value_key(finding.type, value)
    person = finding.type == "PERSON"
    parts = name_parts(value) if person else frozenset()
    relative = person and written_as_relative(text, start)
    return start, end, Occurrence(finding.type, key, parts, addressed, value, relative)


def _meaningful(request: _Request, finding: Finding) -> bool:
    """False for what is left of a rescan's finding once the placeholders are cut out of
    it when that is only an honorific, a title, spaces or punctuation (〈氏名1〉|様)."""
    rest = request.text[finding.start : finding.end].strip(_EDGE_SPACE + "、。,.・:：()（）")
    rules = request.policy.placeholders
    return (
        bool(rest)
        and rest not in rules.honorifics
        and rest.casefold() not in {t.casefold() for t in rules.titles}
    )


def _replaced(text: str, replacements: list[Replacement]) -> str:
    out: list[str] = []
    pos = 0
    for r in replacements:
        out.append(text[pos : r.start])
        out.append(r.text)
        pos = r.end
    out.append(text[pos:])
    return "".join(out)


def _label(entity_type: str) -> str:
    return ENTITY_LABELS_JA.get(entity_type, FALLBACK_LABEL)


def _summary(plan: PlaceholderPlan) -> str:
    if plan.error is not None:
        return plan.message or "安全確認を完了できなかったため、送信しません。"
    if plan.blocking:
        kinds = "、".join(dict.fromkeys(_label(f.type) for f in plan.blocking))
        return (
            f"{kinds}が含まれているため、この業務では送信できません。該当箇所を削除してください。"
        )
    # Distinct values: one resident named three times is one 氏名.
    placeholders = {
        r.text: r.entity_type for r in plan.replacements if r.action is TaskAction.PLACEHOLDER
    }
    counts = Counter(placeholders.values())
    masked = Counter(r.entity_type for r in plan.replacements if r.action is TaskAction.MASK)
    parts: list[str] = []
    if counts:
        listed = "、".join(f"{_label(t)}{n}件" for t, n in counts.items())
        parts.append(
            f"{listed}を仮名（〈氏名1〉など）に置き換えて送信し、回答ではあなたにだけ元に戻して表示します。"
        )
    if masked:
        listed = "、".join(f"{_label(t)}{n}件" for t, n in masked.items())
        parts.append(
            f"{listed}は「<{_label(next(iter(masked)))}>」のような表示に置き換えて送信します（元に戻しません）。"
        )
    if plan.kept:
        parts.append(f"公開情報など{len(plan.kept)}件はそのまま送信します。")
    return "".join(parts) or "置き換える個人情報はありません。"
