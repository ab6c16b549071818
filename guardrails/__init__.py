"""The guard: Japanese personal / confidential data detection before any LLM call.

    guard = build_guard()                 # once per process
    result = guard.scan(prompt)           # allow | mask | block, offsets into prompt
    if result.blocked:
        reply(explain_ja(prompt, result))

For the audit record of a blocked prompt, ``guard.strict_mask(prompt, result)`` (or the
function ``strict_mask``) masks every name-, place- and number-like token on top of the
findings — a second pass that does not trust the first.

Scanning fails closed: an internal error or a timeout yields a blocked result with
``error`` set, never an allow.
"""

from __future__ import annotations

from guardrails._errors import GuardConfigError, GuardrailsError, GuardTimeoutError
from guardrails._explain import explain_ja
from guardrails._guard import Guard, build_guard
from guardrails._labels import ENTITY_LABELS_JA
from guardrails._models import Action, Finding, ScanResult
from guardrails._strict_mask import strict_mask

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
    "strict_mask",
]
