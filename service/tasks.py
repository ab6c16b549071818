"""Former home of the tasks, kept so existing imports keep working: `service.pipeline.tasks`."""

from __future__ import annotations

from .pipeline.tasks import (
    DEFAULT_AI_LABEL,
    TASK_NAMES,
    DraftInput,
    FaqInput,
    ProofreadInput,
    SummarizeInput,
    SummarizeOptions,
    TaskName,
    Tasks,
    TranslateInput,
    parse_ai_label,
)

__all__ = [
    "DEFAULT_AI_LABEL",
    "TASK_NAMES",
    "DraftInput",
    "FaqInput",
    "ProofreadInput",
    "SummarizeInput",
    "SummarizeOptions",
    "TaskName",
    "Tasks",
    "TranslateInput",
    "parse_ai_label",
]
