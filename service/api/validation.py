"""Request validation errors in Japanese, in the body shape the client expects.

FastAPI answers an invalid request with pydantic's English messages; staff see these
messages in the web page and in chat bots, so each error is translated from its type and
context (limits, allowed values). Yakuba's own endpoints keep their error shape
(`{"detail": {"code", "message", "audit_id", "errors"}}`); the OpenAI-compatible paths
answer in OpenAI's (`{"error": {"message", "type", "code"}}`) so existing clients parse it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from .errors import error_content, is_openai_path, status_for
from .schemas import InvalidInputResponse, OpenAIErrorResponse

__all__ = [
    "document_validation_errors",
    "field_name",
    "reject_unreadable_text",
    "unreadable",
    "translate_error",
    "validation_error_handler",
]

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
    "unpaired_surrogate": "読み取れない文字（対になっていないサロゲート）が含まれています。"
    "文字化けしていないか確認し、入力し直してください。",
    "nul_character": "使えない制御文字（NUL）が含まれています。"
    "文字化けしていないか確認し、入力し直してください。",
}
_FALLBACK = "値が正しくありません。"


def field_name(loc: Sequence[Any]) -> str:
    """`("body", "messages", 0, "content")` → `messages[0].content`; the request part
    (body, query, path, header) is left out. A JSON syntax error's location is a
    character position, not a field: it names the body."""
    if len(loc) == 2 and loc[0] == "body" and isinstance(loc[1], int):
        return f"リクエスト本文（{loc[1] + 1}文字目付近）"
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
    elif isinstance(ctx.get("ge") or ctx.get("le"), date):
        bound = ctx.get("ge") or ctx.get("le")
        message = f"{bound} {'以降' if 'ge' in ctx else '以前'}の日付を指定してください。"
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
    listed = [
        {"field": field_name(e.get("loc", ())), "message": m}
        for e, m in zip(errors, messages, strict=False)
    ]
    content = error_content(
        "invalid_input", summary, path=request.url.path, extra={"errors": listed}
    )
    return JSONResponse(status_code=status_for("invalid_input"), content=content)


# -- text that is not text ---------------------------------------------------------------
# JSON may escape half of a surrogate pair ("\ud800") or a NUL ("\u0000") and Python's
# decoder accepts both; so do query strings and paths (%00). The guard and the model client
# fail on the first, PostgreSQL refuses the second in any text column or query — each
# later, as if the service were at fault (500s on the audit queries, 503 audit_error on
# writes). It is the request that is malformed, and it is refused as such before anything
# reads it.

_JSON_TYPES = ("application/json",)
Loc = tuple[str | int, ...]


def unreadable(text: str) -> str | None:
    """The error type of a text that cannot be encoded or stored, None for a good one."""
    if "\x00" in text:
        return "nul_character"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "unpaired_surrogate"
    return None


def _unreadable_in(value: Any, loc: Loc) -> tuple[str, Loc] | None:
    if isinstance(value, str):
        kind = unreadable(value)
        return None if kind is None else (kind, loc)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if (found := _unreadable_in(item, (*loc, i))) is not None:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            found = _unreadable_in(key, loc) or _unreadable_in(item, (*loc, str(key)))
            if found is not None:
                return found
    return None


def _strict_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


async def _json_body(request: Request) -> Any:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # No type at all is read as JSON too (FastAPI's lenient content type).
    if request.method in ("GET", "HEAD") or not (
        content_type in _JSON_TYPES or content_type.endswith("+json") or not content_type
    ):
        return None
    body = await request.body()
    if not body or (b"\\u" not in body and b"\x00" not in body and _strict_utf8(body)):
        # Neither can be in it: a NUL or half a surrogate comes only from an escape, a
        # NUL byte (also in UTF-16 and UTF-32 bodies) or bytes that are not UTF-8 (the
        # JSON decoder lets through an encoded surrogate). Walking the parsed body
        # instead cost ~45 Python calls a chat request.
        return None
    try:
        return await request.json()  # parsed once already: cached on the request
    except ValueError:
        return None  # not JSON: the route's own parsing answers it


async def reject_unreadable_text(request: Request) -> None:
    """An app-wide dependency over the path, the query and a JSON body (FastAPI has parsed
    the body before dependencies run and keeps it on the request). Form fields are the
    upload route's own (service.api.routes.tasks)."""
    found: tuple[str, Loc] | None = None
    params = [
        *(("path", k, v) for k, v in request.path_params.items()),
        *(("query", k, v) for k, v in request.query_params.multi_items()),
    ]
    for part, name, value in params:
        if isinstance(value, str) and (kind := unreadable(value)) is not None:
            found = (kind, (part, name))
            break
    if found is None:
        found = _unreadable_in(await _json_body(request), ("body",))
    if found is not None:
        kind, loc = found
        raise RequestValidationError([{"type": kind, "loc": loc, "msg": ""}])


# -- the OpenAPI document ----------------------------------------------------------------
# FastAPI documents every 422 as its own HTTPValidationError (English, a list of pydantic
# errors), which is not what the handler above answers.


def _component(schema: dict[str, Any], model: type[BaseModel]) -> dict[str, str]:
    generated = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(generated.pop("$defs", {}))
    components[model.__name__] = generated
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _with_shared_errors(schema: dict[str, Any]) -> None:
    ours = _component(schema, InvalidInputResponse)
    openai = _component(schema, OpenAIErrorResponse)
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                # The upload answers invalid fields with 400 invalid_form (service.api.uploads).
                operation.get("responses", {}).pop("422", None)
                continue
            response = operation.get("responses", {}).get("422")
            content = (response or {}).get("content", {}).get("application/json", {})
            if content.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                content["schema"] = openai if is_openai_path(path) else ours
                response["description"] = "入力の誤り（invalid_input、項目ごとの日本語の説明）"
    for unused in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(unused, None)


def document_validation_errors(app: FastAPI) -> None:
    """Makes the app's OpenAPI document show the 422 body the handler sends."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _with_shared_errors(build())  # build() keeps the schema on the app
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]
