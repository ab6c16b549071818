"""The staff web page (`GET /`) and its assets (`/static/app/`), served from package data;
the page and its headers are service.channels.web's."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from ...channels.web import SECURITY_HEADERS, WithSecurityHeaders, page

ASSETS = "/static/app"

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> HTMLResponse:
    # no-cache: after an upgrade the page and its assets must come back together.
    return HTMLResponse(page(), headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"})


def mount(app: FastAPI) -> None:
    assets = StaticFiles(packages=[("service", "static")])
    app.mount(ASSETS, WithSecurityHeaders(assets), name="web-assets")
    app.include_router(router)
