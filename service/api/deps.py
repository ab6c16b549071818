"""Shared FastAPI dependencies and their `Annotated` aliases.

The getters are `async def` although they never await: FastAPI runs a plain `def`
dependency in a worker thread, and a request resolved ~10 of them — each hop through the
thread pool costs the event loop more than the getter itself (yappi, bench/service.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..pipeline.contracts import RequestContext
from ..pipeline.core import Pipeline
from ..pipeline.tasks import Tasks
from ..pipeline.threads import Conversations
from ..runtime import Runtime
from ..settings import Settings
from .access import WEB_CLIENT_HEADER as WEB_CLIENT_HEADER
from .access import PrincipalDep
from .access import require as require  # re-exported: routes import dependencies here


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings_dep(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_assistant(runtime: RuntimeDep) -> Pipeline:
    return runtime.assistant


AssistantDep = Annotated[Pipeline, Depends(get_assistant)]


async def get_tasks(runtime: RuntimeDep) -> Tasks:
    return runtime.tasks


TasksDep = Annotated[Tasks, Depends(get_tasks)]


async def get_conversations(runtime: RuntimeDep) -> Conversations:
    return runtime.conversations


ConversationsDep = Annotated[Conversations, Depends(get_conversations)]


async def get_current_user(principal: PrincipalDep, request: Request) -> RequestContext:
    """The authenticated caller (service.auth, by YAKUBA_AUTH_MODE) as the assistant's
    request context: user, department, role and channel go into the audit record.
    The staff web page marks its requests, so the audit log tells web from API use (a
    label only: it grants nothing, and an API key's own channel is kept)."""
    ctx = principal.context()
    if ctx.channel == "api" and request.headers.get(WEB_CLIENT_HEADER) == "web":
        return ctx.model_copy(update={"channel": "web"})
    return ctx


CurrentUser = Annotated[RequestContext, Depends(get_current_user)]
