"""Adds the configured chat-tool bots' routes to the app: a bot is served once its
secrets are set (docs/bots.md)."""

from __future__ import annotations

from fastapi import FastAPI

from ..auth import AccessControl
from ..runtime import Runtime
from ._guards import CallbackGate
from ._pipeline import BotPipeline

__all__ = ["mount_bots"]


def mount_bots(app: FastAPI, runtime: Runtime, access: AccessControl) -> None:
    settings = runtime.settings
    pipeline = BotPipeline(runtime, access)  # reads the bot directory now: errors stop start-up
    gate = CallbackGate(runtime, access)
    if settings.slack_signing_secret and settings.slack_bot_token:
        from .slack import slack_router

        app.include_router(slack_router(pipeline, gate))
    if settings.webhook_secret:
        from .webhook import webhook_router

        app.include_router(webhook_router(pipeline, gate))
    if settings.lineworks_bot_secret:
        from .lineworks import lineworks_router

        app.include_router(lineworks_router(pipeline, gate))
    if settings.teams_app_id and settings.teams_app_password:
        from .teams import teams_router

        app.include_router(teams_router(pipeline, gate))
