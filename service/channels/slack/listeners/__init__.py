"""Bolt listeners, one module per kind; each module's `register(app)` binds its handlers.
The handlers are plain functions of the pipeline and Bolt's arguments; `register` binds
the pipeline in (Bolt copies a lazy listener's context, which cannot hold the pipeline)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from ..._pipeline import BotPipeline
from . import actions, commands, events

__all__ = ["register"]


def register(app: AsyncApp, pipeline: BotPipeline) -> None:
    events.register(app, pipeline)
    commands.register(app, pipeline)
    actions.register(app, pipeline)
