"""The LINE WORKS bot (Bot API 2.0): `POST /lineworks/callback`, replies through the
message API with service-account (JWT) authentication."""

from __future__ import annotations

from ._route import lineworks_router

__all__ = ["lineworks_router"]
