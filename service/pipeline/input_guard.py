"""The input guard: every text the model will see, scanned one unit at a time AND as the
model will see it — all units together (all chat messages, a thread's earlier questions
and the new one, every field of a task) — before anything goes on.

A value split over units passes the unit scans: the halves of a マイナンバー in two
messages, a name whose surname ends one field and given name starts the next. The
assembled scan runs over the units' safe forms (masked values already replaced by
labels), joined as a reader runs them together, plus `split_values` for numbers spread
over units with words between. Anything found there cannot be masked in place — it
belongs to no single unit — so the request is refused.

The declared purpose is guarded as a unit (it is stored) but never sent to the model, so
it is not part of the assembled text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guardrails import Action, Guard, PlaceholderPlan, ScanResult, TaskAction, explain_ja

from ..audit import AuditEntry, AuditStatus
from ..purpose import PurposePolicy
from .contracts import GuardAction, RequestContext
from .fields import InputField
from .placeholders import HINT, PlaceholderSession
from .split_values import find_split_numbers, mask_split_numbers

PURPOSE_LABEL = "業務内容"
NEVER_PLACEHOLDERED = (
    "マイナンバー・口座番号・保険証の番号など、仮名に置き換えても送信できない情報"
    "（またはこの業務では仮名にしない情報）が含まれています。"
)
SPLIT_MESSAGE = (
    "複数の入力（メッセージ・項目・会話の前の質問）にまたがって、個人情報と思われる内容があります。"
    "それぞれは問題がなくても、生成AIには続けて渡るため送信できません。"
    "個人を特定できる情報を含めずに入力し直してください。"
)


@dataclass
class Screened:
    """A request the guard let through: the texts that may go on, in their safe form."""

    entry: AuditEntry
    started: float
    safe: dict[str, str]
    guard_action: GuardAction
    notices: list[str]
    placeholders: PlaceholderSession | None = None


@dataclass(frozen=True)
class Refused:
    """A request the guard (or a restricted purpose) stopped; `entry` says why."""

    message: str
    guard_action: GuardAction


class InputGuard:
    def __init__(self, guard: Guard, purpose_policy: PurposePolicy) -> None:
        self.guard = guard
        self.purpose_policy = purpose_policy

    def screen(
        self,
        entry: AuditEntry,
        started: float,
        ctx: RequestContext,
        fields: Sequence[InputField],
        *,
        context: Sequence[str] = (),
        placeholders: PlaceholderSession | None = None,
    ) -> Screened | Refused:
        """Scans each field and the purpose, then the assembled text: `context` (safe
        texts the model sees before these fields, e.g. a thread's earlier questions)
        followed by the fields. Fills the entry's prompt, findings and status.

        With `placeholders` (the request asked for them), each field is planned for the
        entry's task (`guardrails.placeholder_prompt`): what the task's policy turns into
        placeholders no longer blocks, and the field's safe form is the plan's text. The
        purpose is never sent, so it is guarded as before."""
        scanned = [(f.label, f.text, self.guard.scan(f.text)) for f in fields if f.text]
        if ctx.purpose.strip():
            scanned.append((PURPOSE_LABEL, ctx.purpose, self.guard.scan(ctx.purpose)))
        verdicts = {label: v for label, _, v in scanned}
        field_results = [(f, verdicts.get(f.label)) for f in fields]
        plans: dict[str, PlaceholderPlan] = {}
        if placeholders is not None:
            plans = {
                f.label: placeholders.plan(self.guard, f.text, v, entry.task)
                for f, v in field_results
                if v is not None
            }
        passed = {label: p for label, p in plans.items() if not p.blocked}

        def stored(f: InputField, v: ScanResult, *, strict: bool) -> str:
            if f.label in passed:
                return passed[f.label].text
            if strict and v.action is Action.BLOCK:
                return self.guard.strict_mask(f.text, v)
            return v.redacted

        entry.prompt = _stored_prompt(
            [(f.label, stored(f, v, strict=False)) for f, v in field_results if v is not None]
        )
        if purpose := verdicts.get(PURPOSE_LABEL):
            entry.purpose = purpose.redacted
        for _, _, v in scanned:
            _count(entry, v)

        labelled = len(scanned) > 1
        blocked = [
            (label, text, v)
            for label, text, v in scanned
            if v.action is Action.BLOCK and label not in passed
        ]
        if blocked:
            # A blocked prompt holds personal data by definition; beside what the guard
            # found, whatever it missed must not reach the audit store either: the
            # blocked fields are stored in the guard's aggressive mask (strict_mask).
            entry.prompt = _stored_prompt(
                [(f.label, stored(f, v, strict=True)) for f, v in field_results if v is not None]
            )
            purpose = verdicts.get(PURPOSE_LABEL)
            if purpose is not None and purpose.action is Action.BLOCK:
                entry.purpose = self.guard.strict_mask(ctx.purpose, purpose)
            entry.status = AuditStatus.BLOCKED
            failed = (plans[label].error for label, *_ in blocked if label in plans)
            entry.error_code = (
                next((v.error for *_, v in blocked if v.error), None)
                or next((e for e in failed if e), None)
                or "personal_data"
            )
            message = "\n\n".join(
                _labelled(label, _refusal(text, v, plans.get(label)), labelled)
                for label, text, v in blocked
            )
            if placeholders is None and self._placeholders_would_do(entry.task, blocked):
                message += "\n\n" + HINT
            return Refused(message, "block")

        masked = any(v.action is Action.MASK for label, _, v in scanned if label not in passed)
        masked = masked or any(p.action is TaskAction.MASK for p in passed.values())
        placeheld = any(p.action is TaskAction.PLACEHOLDER for p in passed.values())
        guard_action: GuardAction = "placeholder" if placeheld else "mask" if masked else "allow"
        safe = {
            f.name: (
                passed[f.label].text
                if f.label in passed
                else v.redacted
                if v is not None and v.action is Action.MASK
                else f.text
            )
            for f, v in field_results
        }
        units = [*context, *(safe[f.name] for f in fields if safe[f.name])]
        if (split := self._assembled(entry, units)) is not None:
            return split
        entry.status = AuditStatus.MASKED if masked or placeheld else AuditStatus.ALLOWED
        notices = [
            _labelled(
                label,
                passed[label].preview().summary_ja if label in passed else explain_ja(text, v),
                labelled,
            )
            for label, text, v in scanned
            if v.findings
        ]
        decision = self.purpose_policy.check(ctx.purpose)
        if decision is not None and decision.refused:
            entry.status = AuditStatus.BLOCKED
            entry.error_code = "restricted_purpose"
            return Refused(decision.message, guard_action)
        if decision is not None:
            notices.append(decision.message)
        return Screened(entry, started, safe, guard_action, notices, placeholders)

    def _placeholders_would_do(
        self, task: str, blocked: Sequence[tuple[str, str, ScanResult]]
    ) -> bool:
        """True when every personal finding that blocked a field is one the task would
        send as a placeholder (the refusal then says how to ask for that)."""
        types = self.guard.policy.placeholders.placeholder_types(task)
        if not types:
            return False
        return all(
            label != PURPOSE_LABEL and v.error is None and f.type in types
            for label, _, v in blocked
            for f in v.personal_findings
        )

    def _assembled(self, entry: AuditEntry, units: Sequence[str]) -> Refused | None:
        """The refusal when the units together hold what none holds alone."""
        if len(units) < 2:
            return None
        split = find_split_numbers(units)
        parts = mask_split_numbers(units, split) if split else list(units)
        # Joined with nothing between: a value cut at any point reads whole again.
        joined = "".join(parts)
        result: ScanResult = self.guard.scan(joined)
        if not split and result.action is Action.ALLOW:
            return None
        entry.status = AuditStatus.BLOCKED
        entry.error_code = result.error or "personal_data"
        # Stored as the model would have read it, in the guard's aggressive mask (the
        # values split across units are masked already).
        entry.prompt = self.guard.strict_mask(joined, result)
        for number in split:
            entry.findings[number.type] = entry.findings.get(number.type, 0) + 1
        _count(entry, result)
        detail = explain_ja(joined, result) if result.action is not Action.ALLOW else ""
        return Refused("\n\n".join(m for m in (SPLIT_MESSAGE, detail) if m), "block")


def _stored_prompt(texts: Sequence[tuple[str, str]]) -> str:
    """The fields as the audit record keeps them: one field bare, several labelled."""
    if len(texts) == 1:
        return texts[0][1]
    return "\n".join(f"【{label}】\n{text}" for label, text in texts)


def _refusal(text: str, result: ScanResult, plan: PlaceholderPlan | None) -> str:
    """Why a field is refused: the guard's explanation, of what blocks even as
    placeholders when the request asked for them."""
    if plan is None or not plan.blocking:
        if plan is not None and plan.message:
            return plan.message
        return explain_ja(text, result)
    blocking = ScanResult(action=Action.BLOCK, findings=list(plan.blocking), redacted="")
    return f"{NEVER_PLACEHOLDERED}\n{explain_ja(text, blocking)}"


def _count(entry: AuditEntry, result: ScanResult) -> None:
    for kind, n in result.entity_counts().items():
        entry.findings[kind] = entry.findings.get(kind, 0) + n


def _labelled(label: str, message: str, labelled: bool) -> str:
    return f"【{label}】\n{message}" if labelled else message
