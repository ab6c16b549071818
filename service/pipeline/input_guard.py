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

from guardrails import Action, Guard, ScanResult, explain_ja

from ..audit import AuditEntry, AuditStatus
from ..purpose import PurposePolicy
from .contracts import GuardAction, RequestContext
from .fields import InputField
from .split_values import find_split_numbers, mask_split_numbers

PURPOSE_LABEL = "業務内容"
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
    ) -> Screened | Refused:
        """Scans each field and the purpose, then the assembled text: `context` (safe
        texts the model sees before these fields, e.g. a thread's earlier questions)
        followed by the fields. Fills the entry's prompt, findings and status."""
        scanned = [(f.label, f.text, self.guard.scan(f.text)) for f in fields if f.text]
        if ctx.purpose.strip():
            scanned.append((PURPOSE_LABEL, ctx.purpose, self.guard.scan(ctx.purpose)))
        verdicts = {label: v for label, _, v in scanned}
        field_results = [(f, verdicts.get(f.label)) for f in fields]

        entry.prompt = _stored_prompt(
            [(f.label, v.redacted) for f, v in field_results if v is not None]
        )
        if purpose := verdicts.get(PURPOSE_LABEL):
            entry.purpose = purpose.redacted
        for _, _, v in scanned:
            _count(entry, v)

        labelled = len(scanned) > 1
        blocked = [(label, text, v) for label, text, v in scanned if v.action is Action.BLOCK]
        if blocked:
            # A blocked prompt holds personal data by definition; beside what the guard
            # found, whatever it missed must not reach the audit store either: the
            # blocked fields are stored in the guard's aggressive mask (strict_mask).
            entry.prompt = _stored_prompt(
                [
                    (f.label, self.guard.strict_mask(f.text, v))
                    if v.action is Action.BLOCK
                    else (f.label, v.redacted)
                    for f, v in field_results
                    if v is not None
                ]
            )
            purpose = verdicts.get(PURPOSE_LABEL)
            if purpose is not None and purpose.action is Action.BLOCK:
                entry.purpose = self.guard.strict_mask(ctx.purpose, purpose)
            entry.status = AuditStatus.BLOCKED
            entry.error_code = next((v.error for *_, v in blocked if v.error), None) or (
                "personal_data"
            )
            message = "\n\n".join(
                _labelled(label, explain_ja(text, v), labelled) for label, text, v in blocked
            )
            return Refused(message, "block")

        masked = any(v.action is Action.MASK for *_, v in scanned)
        guard_action: GuardAction = "mask" if masked else "allow"
        safe = {
            f.name: (v.redacted if v is not None and v.action is Action.MASK else f.text)
            for f, v in field_results
        }
        units = [*context, *(safe[f.name] for f in fields if safe[f.name])]
        if (split := self._assembled(entry, units)) is not None:
            return split
        entry.status = AuditStatus.MASKED if masked else AuditStatus.ALLOWED
        notices = [
            _labelled(label, explain_ja(text, v), labelled)
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
        return Screened(entry, started, safe, guard_action, notices)

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


def _count(entry: AuditEntry, result: ScanResult) -> None:
    for kind, n in result.entity_counts().items():
        entry.findings[kind] = entry.findings.get(kind, 0) + n


def _labelled(label: str, message: str, labelled: bool) -> str:
    return f"【{label}】\n{message}" if labelled else message
