"""Former home of the request path, kept so existing imports keep working.

The pipeline lives in `service.pipeline` (docs/pipeline.md): `Pipeline` (was `Assistant`),
`ChatPipeline` (was `ChatAssistant`), and the contracts `RequestContext`, `Answer`,
`Citation` in `service.pipeline.contracts`. New code imports from there.
"""

from __future__ import annotations

from .pipeline.chat import ChatPipeline, PreparedChat
from .pipeline.contracts import (
    CHECK_NOTICE,
    EXTRACTIVE_NOTICE,
    NO_MODEL_MESSAGE,
    NO_RESULTS,
    TASK_CHECK_NOTICE,
    Answer,
    Citation,
    GuardAction,
    RequestContext,
)
from .pipeline.core import Pipeline, Plan, new_entry
from .pipeline.fields import InputField
from .pipeline.input_guard import Screened
from .pipeline.retrieval import CLOSEST_HEADING, citations_from, unanswered_text

Assistant = Pipeline
ChatAssistant = ChatPipeline

__all__ = [
    "CHECK_NOTICE",
    "CLOSEST_HEADING",
    "EXTRACTIVE_NOTICE",
    "NO_MODEL_MESSAGE",
    "NO_RESULTS",
    "TASK_CHECK_NOTICE",
    "Answer",
    "Assistant",
    "ChatAssistant",
    "ChatPipeline",
    "Citation",
    "GuardAction",
    "InputField",
    "Pipeline",
    "Plan",
    "PreparedChat",
    "RequestContext",
    "Screened",
    "citations_from",
    "new_entry",
    "unanswered_text",
]
