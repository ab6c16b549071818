"""The administrators' console (`GET /admin/`), a page of its own beside the staff page.

The page is static and carries no data: everything it shows comes from `/v1/admin/*`,
which checks the caller's permissions on every request, so serving the page itself needs
none. Its script and style are served with the staff page's assets (`/static/app/`) under
the same Content-Security-Policy: no inline code, nothing from another origin.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse

from ...channels.web import SECURITY_HEADERS

PATH = "/admin/"

router = APIRouter(include_in_schema=False)


@cache
def _page() -> str:
    return resources.files("service").joinpath("static", "admin.html").read_text("utf-8")


@router.get(PATH)
def console() -> HTMLResponse:
    return HTMLResponse(_page(), headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})


@router.get(PATH.rstrip("/"))
def console_without_slash() -> RedirectResponse:
    return RedirectResponse(PATH, status_code=308)


def mount(app: FastAPI) -> None:
    app.include_router(router)
