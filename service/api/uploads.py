"""File uploads: FastAPI's `UploadFile`/`Form` (python-multipart), with Yakuba's errors.

Starlette parses the form before the endpoint runs (the file is spooled to a temporary
file past 1 MiB) inside `BodySizeLimit`'s bound; `read_capped` then reads the file in
chunks and stops one byte past the limit, so an oversized file is never held whole.

`UploadRoute` keeps the API's one error body for what goes wrong before the endpoint:
a body that is not multipart (415), a form python-multipart cannot parse and missing or
invalid fields (400 `invalid_form` instead of FastAPI's 422 list or a bare string).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from .errors import http_error

CHUNK_BYTES = 64 * 1024

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


async def read_capped(upload: UploadFile, limit: int) -> bytes:
    """At most `limit + 1` bytes of the file: enough to tell that it is too large."""
    parts: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = await upload.read(min(CHUNK_BYTES, remaining))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _invalid_fields(exc: RequestValidationError) -> HTTPException:
    errors = exc.errors()
    names = [str(e["loc"][-1]) for e in errors if e.get("loc")]
    if any(e.get("type") == "missing" and e.get("loc", ())[-1:] == ("file",) for e in errors):
        return http_error("invalid_form", "file 項目にファイルを指定してください。")
    fields = "、".join(dict.fromkeys(names)) or "（不明）"
    return http_error("invalid_form", f"項目 {fields} の値が正しくありません。")


class UploadRoute(APIRoute):
    """A route whose body is multipart/form-data, with Yakuba's error bodies."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            content_type = request.headers.get("content-type", "")
            if not content_type.lower().startswith("multipart/form-data"):
                raise http_error(
                    "unsupported_media_type",
                    "ファイルは multipart/form-data の file 項目で送ってください。",
                )
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise _invalid_fields(exc) from None
            except HTTPException as exc:
                # Starlette and FastAPI report a form they cannot parse as a 400 with a
                # bare English string; ours carry a code and a Japanese message.
                if exc.status_code == 400 and isinstance(exc.detail, str):
                    raise http_error(
                        "invalid_form", f"フォームを読み取れませんでした（{exc.detail}）。"
                    ) from None
                raise

        return route_handler
