"""Domain outcomes → HTTP errors: one table from error code to HTTP status, and one body
shape per API for every error.

Every route, middleware and exception handler takes its status from `STATUS_BY_CODE`, so
a code means the same status wherever it is raised (`llm_busy` is 503 on /v1/ask and on
/v1/chat/completions alike). Yakuba's own endpoints answer
`{"detail": {"code", "message", "audit_id"}}`; the OpenAI-compatible paths answer OpenAI's
`{"error": {"message", "type", "code"}}` with the same status, so existing clients parse
it. docs/errors.md lists the table for people.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import structlog
from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..pipeline.contracts import Answer
from .schemas import ErrorDetail, ErrorResponse

_log = structlog.get_logger(__name__)

__all__ = [
    "ERROR_RESPONSES",
    "RETRY_AFTER_S",
    "STATUS_BY_CODE",
    "UPLOAD_RESPONSES",
    "error_content",
    "error_response",
    "http_error",
    "http_exception_handler",
    "internal_error_handler",
    "database_error_handler",
    "retry_headers",
    "is_openai_path",
    "raise_for_answer",
    "status_for",
]

STATUS_BY_CODE: Mapping[str, int] = MappingProxyType(
    {
        # The request itself: the staff member can fix it.
        "invalid_input": 422,
        "invalid_form": 400,
        "empty_prompt": 400,
        "empty_file": 400,
        "unreadable_file": 400,
        "untrusted_host": 400,
        "prompt_too_long": 413,
        "file_too_large": 413,
        "request_too_large": 413,
        "unsupported_file_type": 415,
        "unsupported_media_type": 415,
        "not_found": 404,
        "model_not_found": 404,
        "method_not_allowed": 405,
        # Who is asking, and may they.
        "unauthenticated": 401,
        "token_expired": 401,
        "metrics_forbidden": 401,
        "forbidden": 403,
        "restricted_purpose": 403,
        "cross_origin_request": 403,
        "quota_exceeded": 429,
        "token_quota_exceeded": 429,
        "rate_limited": 429,
        # The model behind the service.
        "llm_error": 502,
        "llm_failed": 502,
        "llm_unreachable": 502,
        "llm_timeout": 502,
        "llm_server_error": 502,
        "llm_rate_limited": 502,
        "llm_auth_failed": 502,
        "stream_interrupted": 502,
        "llm_busy": 503,
        "llm_not_configured": 503,
        # The service itself.
        "audit_error": 503,
        "database_unavailable": 503,
        "audit_no_signing_key": 500,
        "audit_chain_broken": 500,
        "configuration_error": 500,
        "auth_configuration_error": 500,
        "auth_error": 500,
        "yakuba_error": 500,
        "failed": 500,
        "internal_error": 500,
        # Bulk FAQ jobs (service.faq): the question file, jobs and rows, review.
        "invalid_faq_file": 400,
        "missing_column": 400,
        "bad_csv": 400,
        "bad_encoding": 400,
        "unsupported_file": 415,
        "purpose_blocked": 400,
        "answer_blocked": 400,
        "faq_job_not_found": 404,
        "faq_row_not_found": 404,
        "faq_job_state": 409,
        "faq_job_busy": 409,
        "faq_job_running": 409,
        "faq_row_blocked": 409,
        "faq_row_unchecked": 409,
        # The public register (service.register).
        "register_entry_not_found": 404,
        "faq_row_empty": 409,
        # Knowledge-base updates (service.kb): the document, its name, the job.
        "invalid_document": 400,
        "invalid_file_name": 400,
        "invalid_source": 400,
        "document_not_found": 404,
        "kb_job_not_found": 404,
        "handover_failed": 503,
        # Chat users registered through the admin API (service.auth.chat_users).
        "chat_user_exists": 409,
    }
)

# Seconds a client should wait after the database could not be reached (Retry-After): a
# restart of PostgreSQL takes about a second (tests/fault/test_postgres_restart.py), and
# the pool's pre-ping replaces the dropped connections on the next request.
RETRY_AFTER_S = 5
_RETRY_CODES = frozenset({"audit_error", "database_unavailable"})

# OpenAI's error `type` for a status, as its own API names them.
_OPENAI_TYPES = {
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    502: "upstream_error",
    503: "service_unavailable",
}
_OPENAI_PREFIXES = ("/v1/chat/", "/v1/models")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "入力が空、または読み取れない"},
    403: {"model": ErrorResponse, "description": "管理者が制限した業務内容（restricted_purpose）"},
    413: {"model": ErrorResponse, "description": "入力またはファイルが大きすぎる"},
    502: {"model": ErrorResponse, "description": "生成モデルの呼び出しに失敗（llm_*）"},
    503: {
        "model": ErrorResponse,
        "description": "生成モデル未設定・混雑、監査ログ書き込み不可、データベース接続不可",
    },
}
UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    415: {"model": ErrorResponse, "description": "対応していないファイル形式（内容で判定）"},
}


def status_for(code: str) -> int:
    """The HTTP status of an error code; a code missing from the table is a defect of the
    service (tests/service/test_api_hardening.py checks the table is complete): 500."""
    if code in STATUS_BY_CODE:
        return STATUS_BY_CODE[code]
    return 502 if code.startswith("llm_") else 500


def is_openai_path(path: str) -> bool:
    return path.startswith(_OPENAI_PREFIXES)


def error_content(
    code: str,
    message: str,
    *,
    path: str,
    audit_id: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The error body of the API that `path` belongs to."""
    if is_openai_path(path):
        kind = _OPENAI_TYPES.get(status_for(code), "invalid_request_error")
        if status_for(code) >= 500 and kind == "invalid_request_error":
            kind = "server_error"
        return {"error": {"message": message, "type": kind, "code": code}}
    detail = ErrorDetail(code=code, message=message, audit_id=audit_id).model_dump()
    return {"detail": {**detail, **(extra or {})}}


def error_response(
    code: str,
    message: str,
    *,
    path: str,
    audit_id: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        status_code=status_for(code),
        content=error_content(code, message, path=path, audit_id=audit_id),
        headers=dict(headers or {}),
    )


def http_error(code: str, message: str, audit_id: int | None = None) -> HTTPException:
    detail = ErrorDetail(code=code, message=message, audit_id=audit_id)
    return HTTPException(status_code=status_for(code), detail=detail.model_dump())


def raise_for_answer(answer: Answer) -> None:
    """Failures and restricted purposes become HTTP errors; a guard block is an answer
    (200, status "blocked") whose text explains what was found and how to rephrase."""
    if answer.status == "failed" or answer.error_code == "restricted_purpose":
        raise http_error(answer.error_code or "failed", answer.text, answer.audit_id)


# What Starlette and FastAPI raise themselves (an unknown URL, a method the route does not
# take, a body that is not UTF-8 JSON) carries an English string: code and Japanese message.
_FRAMEWORK_ERRORS: dict[int, tuple[str, str]] = {
    400: ("invalid_input", "リクエストを読み取れませんでした。UTF-8 の JSON で送ってください。"),
    404: ("not_found", "指定された URL はありません。アドレスを確認してください。"),
    405: ("method_not_allowed", "この URL では、この操作（HTTP メソッド）は使えません。"),
    413: ("request_too_large", "送信されたデータが大きすぎます。"),
    415: ("unsupported_media_type", "この形式のデータは受け付けていません。"),
}
_PARSE_FAILURE = "There was an error parsing the body"


async def http_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    path = request.url.path
    if isinstance(exc.detail, dict) and "code" in exc.detail:
        # Ours (http_error, service.api.access): its status, and the body of this API.
        detail = dict(exc.detail)
        code, message = str(detail.pop("code")), str(detail.pop("message", ""))
        audit_id = detail.pop("audit_id", None)
        content = error_content(code, message, path=path, audit_id=audit_id, extra=detail)
        return JSONResponse(status_code=exc.status_code, content=content, headers=headers)
    if exc.status_code == 400 and exc.detail == _PARSE_FAILURE:
        # Not UTF-8, nested too deeply, a number too long: the request is malformed.
        code, message = "invalid_input", _FRAMEWORK_ERRORS[400][1]
        return error_response(code, message, path=path, headers=headers)
    code, message = _FRAMEWORK_ERRORS.get(
        exc.status_code, ("internal_error", "リクエストを処理できませんでした。")
    )
    content = error_content(code, message, path=path)
    return JSONResponse(status_code=exc.status_code, content=content, headers=headers)


async def internal_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """The last resort (Starlette still logs the traceback): a Japanese message in the
    API's body instead of a bare "Internal Server Error", and never the exception's text."""
    return error_response(
        "internal_error",
        "サービス内部でエラーが発生しました。しばらくしてからもう一度お試しください。"
        "繰り返す場合はシステム管理者にお問い合わせください。",
        path=request.url.path,
    )


def retry_headers(code: str) -> dict[str, str]:
    """Retry-After for the failures that pass by themselves (the database is back)."""
    return {"Retry-After": str(RETRY_AFTER_S)} if code in _RETRY_CODES else {}


DATABASE_UNAVAILABLE_MESSAGE = (
    "データベースに接続できないため、この依頼を処理できませんでした。"
    "しばらくしてから、もう一度お試しください。"
)


async def database_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """The database went away under a request (a restart, a network cut) outside the audit
    store, which answers its own `audit_error`: an API-key look-up, a quota count. A clear
    503 with Retry-After rather than the last resort's 500 — which also made uvicorn close
    the keep-alive connection, and a client's next request on it ended unanswered."""
    _log.warning("database_unavailable", error=type(exc).__name__, path=request.url.path)
    return error_response(
        "database_unavailable",
        DATABASE_UNAVAILABLE_MESSAGE,
        path=request.url.path,
        headers=retry_headers("database_unavailable"),
    )
