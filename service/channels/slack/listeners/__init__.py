"""Bolt listeners, one module per kind; each module's `register(app, pipeline, answers)`
binds its handlers. A listener acknowledges and hands the work to the answer scheduler
(service.channels._background) instead of Bolt's lazy listeners, which deep-copy every
request and poll for the acknowledgement every 10 ms (bench/bots.py, docs/bots.md)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from ..._background import AnswerScheduler
from ..._pipeline import BotPipeline
from . import actions, commands, events

__all__ = ["register"]


def register(app: AsyncApp, pipeline: BotPipeline, answers: AnswerScheduler) -> None:
    events.register(app, pipeline, answers)
    commands.register(app, pipeline, answers)
    actions.register(app, pipeline, answers)
