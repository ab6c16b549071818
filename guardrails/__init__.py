"""The guard: Japanese personal / confidential data detection before any LLM call.

    guard = build_guard()                 # once per process
    result = guard.scan(prompt)           # allow | mask | block, offsets into prompt
    if result.blocked:
        reply(explain_ja(prompt, result))

Scanning fails closed: an internal error or a timeout yields a blocked result with
``error`` set, never an allow.
"""

from __future__ import annotations

from guardrails._errors import GuardConfigError, GuardrailsError, GuardTimeoutError
from guardrails._explain import explain_ja
from guardrails._guard import Guard, build_guard
from guardrails._labels import ENTITY_LABELS_JA
from guardrails._models import Action, Finding, ScanResult

__all__ = [
    "ENTITY_LABELS_JA",
    "Action",
    "Finding",
    "Guard",
    "GuardConfigError",
    "GuardTimeoutError",
    "GuardrailsError",
    "ScanResult",
    "build_guard",
    "explain_ja",
]
