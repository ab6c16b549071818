"""The guard: Japanese personal / confidential data detection before any LLM call.

    guard = build_guard(register=register)   # once per process
    result = guard.scan(prompt)              # allow | mask | block, offsets into prompt
    if result.blocked:
        reply(explain_ja(prompt, result))    # what was found, and which words decided it

For the audit record of a blocked prompt, ``guard.strict_mask(prompt, result)`` (or the
function ``strict_mask``) masks every name-, place- and number-like token on top of the
findings — a second pass that does not trust the first.

Scanning fails closed: an internal error or a timeout yields a blocked result with
``error`` set, never an allow.

Public information passes. After recognition a decision step tells a person's data from
public information (``conf/policy.toml`` ``[public]`` and ``[ownership]``, see
docs/guard.md): an organisation's address, phone number or e-mail (市民課 054-…),
an official named in a public role (田中市長), a postal code or 町名 alone (an area), and
any value of the public register. Such findings carry ``Finding.public``
(``PublicBasis``) and take the ``[public] action`` (warn: reported, not blocking)
instead of their type's action. Person evidence wins: a name, 自宅 or 携帯 next to the
value keeps it personal, and so does a mobile number by itself.

The public register (``PublicRegister``) holds the values the municipality has
published, each with its provenance (source document and locator), normalised per type
so that any written form matches. It is thread-safe and versioned;
``Guard.config_version`` includes its version, so cached verdicts expire when it
changes. Filling it from ingest:

    review = guard.review_public_text(chunk_text)     # ingest policy for public documents
    if review.withhold:                               # a never-public identifier, or a
        report(review.reasons)                        # private person with their contact
    else:
        index(chunk)
        guard.register.add_all(review.register_entries(source=path, locator="第3条"))
    # on re-ingest or deletion of a document: guard.register.revoke_source(path)

``review_public_text`` withholds a chunk only for ``[ingest] withhold`` types and a
private person's name together with their contact data; every other finding is
reported in ``review.findings``.

Placeholders (docs/placeholders.md). In drafting, summarizing, translating and
proofreading (``[tasks.*]`` of ``conf/policy.toml``; ``guard.policy.placeholders``),
residents' names, addresses, phone numbers, e-mail addresses, dates of birth and postal
codes go to the model as ``〈氏名1〉``, ``〈住所1〉`` …; the never-placeholdered types
(マイナンバー, accounts, cards, insurance, 秘 markers …) still block. In this order:

    mapping = mappings.get(user, thread)       # PlaceholderMappings; or PlaceholderMapping()
    scan = guard.scan(text)                     # per request, cleared after the answer
    preview = preview_placeholders(text, scan, task="draft", policy=guard.policy,
                                   mapping=mapping)          # for the staff member to confirm
    plan = placeholder_prompt(text, scan, task="draft", policy=guard.policy, mapping=mapping,
                              rescan=guard.scan)              # a second look at what is sent
    if plan.blocked:                            # a never type, or the mapping full/expired
        refuse(explain_ja(text, scan) if plan.error is None else plan.message)
    answer = model(plan.text)                   # audit: plan.text and plan.entity_counts()
    answer = guard_output(answer)               # the output guard on the placeholder text
    shown = restore_placeholders(answer, mapping, sent=plan.text)
    reply(shown.text, notices=shown.notices_ja())   # never log or store shown.text

Streamed: ``StreamRestorer(mapping, sent=plan.text)``, ``feed`` each guarded piece,
``close``, then ``result()``. The mapping is in memory only, bounded, expiring, wiped on
expiry, and refuses pickling and copying; nothing a plan, preview or report holds is a
value.
"""

from __future__ import annotations

from guardrails._errors import (
    GuardConfigError,
    GuardrailsError,
    GuardTimeoutError,
    PlaceholderError,
    PlaceholderExpiredError,
    PlaceholderLimitError,
)
from guardrails._explain import explain_ja
from guardrails._guard import Guard, build_guard
from guardrails._ingest import PRIVATE_CONTACT, PublicTextReview, PublicValue
from guardrails._labels import ENTITY_LABELS_JA
from guardrails._models import GUARD_ERROR, GUARD_TIMEOUT, Action, Finding, PublicBasis, ScanResult
from guardrails._placeholder_mapping import PlaceholderMapping, PlaceholderMappings
from guardrails._placeholder_policy import PlaceholderPolicy, TaskAction
from guardrails._placeholder_tokens import PLACEHOLDER_LABELS
from guardrails._placeholders import (
    PlaceholderPlan,
    PlaceholderPreview,
    PreviewItem,
    Replacement,
    placeholder_prompt,
    preview_placeholders,
)
from guardrails._register import PublicRegister, RegisterEntry, make_entry
from guardrails._register_keys import ORGANIZATION, REGISTER_KINDS, register_key
from guardrails._restore import (
    Anomaly,
    AnomalyKind,
    Restoration,
    StreamRestorer,
    restore_placeholders,
)
from guardrails._strict_mask import strict_mask

__all__ = [
    "ENTITY_LABELS_JA",
    "GUARD_ERROR",
    "GUARD_TIMEOUT",
    "ORGANIZATION",
    "PLACEHOLDER_LABELS",
    "PRIVATE_CONTACT",
    "REGISTER_KINDS",
    "Action",
    "Anomaly",
    "AnomalyKind",
    "Finding",
    "Guard",
    "GuardConfigError",
    "GuardTimeoutError",
    "GuardrailsError",
    "PlaceholderError",
    "PlaceholderExpiredError",
    "PlaceholderLimitError",
    "PlaceholderMapping",
    "PlaceholderMappings",
    "PlaceholderPlan",
    "PlaceholderPolicy",
    "PlaceholderPreview",
    "PreviewItem",
    "PublicBasis",
    "PublicRegister",
    "PublicTextReview",
    "PublicValue",
    "RegisterEntry",
    "Replacement",
    "Restoration",
    "ScanResult",
    "StreamRestorer",
    "TaskAction",
    "build_guard",
    "explain_ja",
    "make_entry",
    "placeholder_prompt",
    "preview_placeholders",
    "register_key",
    "restore_placeholders",
    "strict_mask",
]
