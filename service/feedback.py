"""Staff feedback (👍/👎 and a comment) on an answer, identified by its audit record.

The comment is free text and may quote personal data, so it passes the guard and is
stored only in its redacted form; feedback is never refused for that, since nothing
goes to a model — the staff member is told what was replaced.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from guardrails import ENTITY_LABELS_JA, Action, Guard

from .audit import AuditStore
from .errors import InputError, NotFoundError
from .pipeline.contracts import RequestContext

Rating = Literal["up", "down"]
MAX_COMMENT_CHARS = 2_000


class FeedbackResult(BaseModel):
    id: int
    audit_id: int
    rating: Rating
    comment: str = Field(description="the comment as stored (personal data replaced by labels)")
    guard_action: Literal["allow", "mask", "block"]
    findings: dict[str, int] = Field(default_factory=dict)
    notices: list[str] = Field(default_factory=list)


_ACTIONS: dict[Action, Literal["allow", "mask", "block"]] = {
    Action.ALLOW: "allow",
    Action.WARN: "allow",
    Action.MASK: "mask",
    Action.BLOCK: "block",
}


def record_feedback(
    *,
    audit: AuditStore,
    guard: Guard,
    audit_id: int,
    rating: Rating,
    comment: str,
    ctx: RequestContext,
) -> FeedbackResult:
    """Raises NotFoundError when the record does not exist or is not the user's own."""
    if len(comment) > MAX_COMMENT_CHARS:
        raise InputError(
            f"コメントが長すぎます（{len(comment):,}文字）。{MAX_COMMENT_CHARS:,}文字以内にしてください。",
            code="prompt_too_long",
        )
    record = audit.get(audit_id)
    # Someone else's record is reported as missing: its existence is not theirs to know.
    if record is None or record.user != ctx.user:
        raise NotFoundError(f"回答（監査ID {audit_id}）が見つかりません。", code="not_found")
    stored, findings, action, notices = comment, {}, Action.ALLOW, []
    if comment.strip():
        verdict = guard.scan(comment)
        action, findings = verdict.action, verdict.entity_counts()
        if verdict.error:
            stored = verdict.redacted
            notices.append("安全確認を完了できなかったため、コメントは保存していません。")
        elif verdict.findings:
            stored = verdict.redacted
            kinds = "、".join(ENTITY_LABELS_JA.get(k, k) for k in findings)
            notices.append(
                f"コメントに個人情報などと思われる内容（{kinds}）があったため、"
                "その部分を記号に置き換えて保存しました。"
            )
    saved = audit.add_feedback(
        audit_id=audit_id, user=ctx.user, rating=rating, comment=stored, findings=findings
    )
    return FeedbackResult(
        id=saved.id,
        audit_id=audit_id,
        rating=rating,
        comment=stored,
        guard_action=_ACTIONS[action],
        findings=findings,
        notices=notices,
    )
