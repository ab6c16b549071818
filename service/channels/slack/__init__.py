"""The Slack bot (Slack Bolt, HTTP Events API at `POST /slack/events`): @mentions and DMs
answered in their thread, the `/yakuba` slash command for tasks, 👍/👎 buttons."""

from __future__ import annotations

from ._route import slack_router

__all__ = ["slack_router"]
