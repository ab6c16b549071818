"""The Microsoft Teams bot on the Microsoft 365 Agents SDK (`POST /teams/messages`):
personal chats and channel @mentions answered with an Adaptive Card (answer, sources)."""

from __future__ import annotations

from ._route import teams_router

__all__ = ["teams_router"]
