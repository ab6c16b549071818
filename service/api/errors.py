"""Domain outcomes → HTTP errors, with one body shape for every error of Yakuba's own API."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from ..pipeline.contracts import Answer
from .schemas import ErrorDetail, ErrorResponse

# Codes of refusals the staff member can fix by changing the request.
_INPUT_CODES = frozenset(
    {"empty_prompt", "empty_file", "unreadable_file", "invalid_input", "invalid_form"}
)
_STATUS = {
    "prompt_too_long": 413,
    "file_too_large": 413,
    "unsupported_file_type": 415,
    "unsupported_media_type": 415,
    "restricted_purpose": 403,
    "not_found": 404,
    "llm_not_configured": 503,
    "llm_busy": 503,
    "audit_error": 503,
}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "入力が空、または読み取れない"},
    403: {"model": ErrorResponse, "description": "管理者が制限した業務内容（restricted_purpose）"},
    413: {"model": ErrorResponse, "description": "入力またはファイルが大きすぎる"},
    502: {"model": ErrorResponse, "description": "生成モデルの呼び出しに失敗（llm_*）"},
    503: {"model": ErrorResponse, "description": "生成モデル未設定・混雑、監査ログ書き込み不可"},
}
UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    415: {"model": ErrorResponse, "description": "対応していないファイル形式（内容で判定）"},
}


def status_for(code: str) -> int:
    if code in _STATUS:
        return _STATUS[code]
    if code in _INPUT_CODES:
        return 400
    if code.startswith("llm_"):
        return 502
    return 500


def http_error(code: str, message: str, audit_id: int | None = None) -> HTTPException:
    detail = ErrorDetail(code=code, message=message, audit_id=audit_id)
    return HTTPException(status_code=status_for(code), detail=detail.model_dump())


def raise_for_answer(answer: Answer) -> None:
    """Failures and restricted purposes become HTTP errors; a guard block is an answer
    (200, status "blocked") whose text explains what was found and how to rephrase."""
    if answer.status == "failed" or answer.error_code == "restricted_purpose":
        raise http_error(answer.error_code or "failed", answer.text, answer.audit_id)
