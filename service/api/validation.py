"""Request validation errors in Japanese, in the body shape the client expects.

FastAPI answers an invalid request with pydantic's English messages; staff see these
messages in the web page and in chat bots, so each error is translated from its type and
context (limits, allowed values). Yakuba's own endpoints keep their error shape
(`{"detail": {"code", "message", "audit_id", "errors"}}`); the OpenAI-compatible paths
answer in OpenAI's (`{"error": {"message", "type", "code"}}`) so existing clients parse it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

__all__ = ["field_name", "translate_error", "validation_error_handler"]

_OPENAI_PREFIXES = ("/v1/chat/", "/v1/models")
_MAX_LISTED = 5

# pydantic error type → Japanese message; {placeholders} come from the error's context.
_MESSAGES: dict[str, str] = {
    "missing": "必須の項目です。",
    "string_too_short": "{min_length}文字以上で入力してください。",
    "string_too_long": "{max_length}文字以内で入力してください。",
    "too_short": "{min_length}件以上を指定してください。",
    "too_long": "{max_length}件以内で指定してください。",
    "string_type": "文字列で指定してください。",
    "string_pattern_mismatch": "形式が正しくありません。",
    "int_type": "整数で指定してください。",
    "int_parsing": "整数で指定してください。",
    "int_from_float": "整数で指定してください。",
    "float_type": "数値で指定してください。",
    "float_parsing": "数値で指定してください。",
    "bool_type": "true または false で指定してください。",
    "bool_parsing": "true または false で指定してください。",
    "greater_than": "{gt} より大きい値を指定してください。",
    "greater_than_equal": "{ge} 以上の値を指定してください。",
    "less_than": "{lt} より小さい値を指定してください。",
    "less_than_equal": "{le} 以下の値を指定してください。",
    "literal_error": "次のいずれかを指定してください: {expected}",
    "enum": "次のいずれかを指定してください: {expected}",
    "list_type": "配列で指定してください。",
    "dict_type": "オブジェクトで指定してください。",
    "model_type": "オブジェクトで指定してください。",
    "model_attributes_type": "オブジェクトで指定してください。",
    "extra_forbidden": "指定できない項目です。",
    "json_invalid": "JSON として読み取れません。",
    "json_type": "JSON として読み取れません。",
    "date_parsing": "日付（YYYY-MM-DD）で指定してください。",
    "date_from_datetime_parsing": "日付（YYYY-MM-DD）で指定してください。",
    "date_type": "日付（YYYY-MM-DD）で指定してください。",
    "datetime_parsing": "日時（ISO 8601）で指定してください。",
    "datetime_from_date_parsing": "日時（ISO 8601）で指定してください。",
    "uuid_parsing": "UUID の形式で指定してください。",
}
_FALLBACK = "値が正しくありません。"


def field_name(loc: Sequence[Any]) -> str:
    """`("body", "messages", 0, "content")` → `messages[0].content`; the request part
    (body, query, path, header) is left out."""
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "リクエスト"


def translate_error(error: Mapping[str, Any]) -> str:
    """One pydantic error as a Japanese sentence naming the field."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error":
        # Our own validators raise ValueError with a Japanese message already.
        reason = str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
        message = reason or _FALLBACK
    else:
        template = _MESSAGES.get(kind, _FALLBACK)
        try:
            message = template.format(**ctx)
        except (KeyError, IndexError, ValueError):
            message = _FALLBACK
    return f"{field_name(error.get('loc', ()))}: {message}"


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    messages = [translate_error(e) for e in errors] or [_FALLBACK]
    summary = "入力内容を確認してください。" + " / ".join(messages[:_MAX_LISTED])
    if len(messages) > _MAX_LISTED:
        summary += f" ほか{len(messages) - _MAX_LISTED}件"
    if request.url.path.startswith(_OPENAI_PREFIXES):
        body: dict[str, Any] = {
            "error": {"message": summary, "type": "invalid_request_error", "code": "invalid_input"}
        }
    else:
        body = {
            "detail": {
                "code": "invalid_input",
                "message": summary,
                "audit_id": None,
                "errors": [
                    {"field": field_name(e.get("loc", ())), "message": m}
                    for e, m in zip(errors, messages, strict=False)
                ],
            }
        }
    return JSONResponse(status_code=422, content=body)
