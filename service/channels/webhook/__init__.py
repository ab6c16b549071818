"""The signed webhook for LoGoチャット-style and in-house chat tools (docs/bots.md):
`POST /webhook/v1/messages`, HMAC-SHA256 both ways, a replay window."""

from __future__ import annotations

from ._route import webhook_router

__all__ = ["webhook_router"]
