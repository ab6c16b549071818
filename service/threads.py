"""Former home of the threads, kept so existing imports keep working: `service.pipeline.threads`."""

from __future__ import annotations

from .pipeline.threads import MAX_THREADS, Conversations, Thread, Turn

__all__ = ["MAX_THREADS", "Conversations", "Thread", "Turn"]
