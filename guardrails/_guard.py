"""The guard: normalise → recognise → allowlist → overlaps → public information → policy
→ map back → redact.

The public-information step (``_public_step``) decides which findings are public —
registered values, officials in their public role, organisations' contacts, areas —
and such findings take the policy's ``[public] action`` (warn by default) instead of
their type's. ``review_public_text`` applies the ingest policy to a chunk of a document
declared public instead, and harvests its public values for the register.

Fail closed: whatever goes wrong while scanning — an exception anywhere, a scan that
does not finish within ``timeout_s`` of starting, or one that finds no free worker for
``QUEUE_BUDGET_FACTOR × timeout_s`` — the verdict is *block*, with the whole
text replaced by ``<検査不能>``. Nothing in here may ever turn a failure into allow.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from presidio_anonymizer.entities import RecognizerResult as AnonymizerResult

from guardrails._config import Policy, load_policy, load_recognizer_specs
from guardrails._cues import label_cues, person_cues
from guardrails._errors import GuardConfigError, GuardrailsError
from guardrails._harvest import OrganisationNames
from guardrails._ingest import PRIVATE_CONTACT, PublicTextReview, PublicValue
from guardrails._labels import UNSCANNABLE_LABEL, redaction_label
from guardrails._mentions import repeated_surnames
from guardrails._models import (
    GUARD_ERROR,
    GUARD_TIMEOUT,
    Action,
    Finding,
    PublicBasis,
    ScanResult,
)
from guardrails._nlp_engine import LANGUAGE, SudachiNlpEngine
from guardrails._normalize import NormalizedText, normalize
from guardrails._ownership import CONTACT_TYPES, NAME_NEARBY, STAFF_MAILBOX, Mention, Owner
from guardrails._public_step import Judgement, PublicInformation, document_gate
from guardrails._register import PublicRegister
from guardrails._register_keys import ORGANIZATION
from guardrails._registry import build_analyzer, build_registry, instantiate_recognizers
from guardrails._strict_mask import strict_mask
from guardrails.recognizers.denylist_term import DenylistTermRecognizer
from guardrails.recognizers.name_tagger import NameTaggerRecognizer

# Public by the policy's own lists or by the context of history, not by publication:
# such names are not harvested into the public register (it would make a resident of
# the same name public everywhere; a listed name is public everywhere already).
_NOT_HARVESTED = frozenset(
    [
        PublicBasis.PUBLIC_NAME,
        PublicBasis.HISTORICAL,
        PublicBasis.ROLE_IN_CONTEXT,
        PublicBasis.PUBLIC_GENRE,
    ]
)

# Public bases whose judgement carries the whole explanation as its cues.
_OWN_CUES = frozenset([PublicBasis.ROLE_IN_CONTEXT, PublicBasis.PUBLIC_GENRE])

logger = logging.getLogger(__name__)

_R = TypeVar("_R")

# How many scan budgets a scan may wait for a free worker before the guard concludes that
# every worker is stuck and blocks (see Guard._run).
QUEUE_BUDGET_FACTOR = 5

# Severity used to combine per-finding actions into the overall one.
_SEVERITY = {Action.ALLOW: 0, Action.WARN: 1, Action.MASK: 2, Action.BLOCK: 3}

# Scores are reported rounded: the contract shows 0.99, and 0.1 + 0.35 should read 0.45.
_SCORE_DIGITS = 2


@dataclass(frozen=True, slots=True)
class _Candidate:
    entity_type: str
    start: int
    end: int
    score: float
    action: Action
    # The recogniser scored it from its own context check (Presidio's
    # is_score_enhanced_by_context); only breaks ties, see _resolve_overlaps.
    context_checked: bool = False
    # The span in the normalised text the recognisers saw.
    analysed: tuple[int, int] = (0, 0)
    public: PublicBasis | None = None
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Inspection:
    """What a scan found before the policy: the normalised text, the findings kept
    after overlaps, and the public-information step's judgement of each."""

    normalized: NormalizedText
    kept: list[_Candidate]
    judgements: list[Judgement]


class Guard:
    """Scans text before it reaches (or after it leaves) a model.

    Build it with ``build_guard``; it is thread-safe and meant to live for the whole
    process (the analyzer and the Sudachi dictionary are loaded once).
    """

    def __init__(
        self,
        *,
        analyzer: AnalyzerEngine,
        policy: Policy,
        timeout_s: float = 2.0,
        max_workers: int | None = None,
        register: PublicRegister | None = None,
    ) -> None:
        _check_timeout(timeout_s)
        self._analyzer = analyzer
        self._denylists = [
            r for r in analyzer.registry.recognizers if isinstance(r, DenylistTermRecognizer)
        ]
        # Asking for explicit entities skips Presidio's "all entities" path, which
        # re-collects recognisers and logs at INFO on every call.
        self._entities = sorted(analyzer.get_supported_entities(language=LANGUAGE))
        self._policy = policy
        self._register = register if register is not None else PublicRegister()
        self._public = PublicInformation(
            policy.public, self._register, document_gate=document_gate(policy.public_document)
        )
        self._organisations = OrganisationNames(policy.public.ownership)
        # Each type's context words, to name the label that made a finding (口座番号 …).
        self._labels: dict[str, tuple[str, ...]] = {}
        for recognizer in analyzer.registry.recognizers:
            for entity in recognizer.supported_entities:
                self._labels[entity] = (*self._labels.get(entity, ()), *(recognizer.context or ()))
        self._timeout_s = float(timeout_s)
        self._anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]
        workers = max_workers or max(2, min(8, os.cpu_count() or 2))
        # Scans run in worker threads so that the caller can stop *waiting* after
        # timeout_s. A stuck scan keeps its thread; once all are stuck every scan times
        # out, i.e. blocks — the failure mode we want.
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="yakuba-guard")
        self._closed = threading.Event()

    @property
    def policy(self) -> Policy:
        """The policy this guard applies."""
        return self._policy

    @property
    def timeout_s(self) -> float:
        """Time budget of one scan, in seconds."""
        return self._timeout_s

    @property
    def register(self) -> PublicRegister:
        """The public register this guard consults (shared, thread-safe)."""
        return self._register

    @property
    def config_version(self) -> tuple[int, ...]:
        """Changes whenever what a scan finds can change without a restart (a reloaded
        deny-list, a changed public register): callers that remember verdicts key them
        on it."""
        return (*(r.current_generation() for r in self._denylists), self._register.version)

    def scan(self, text: str) -> ScanResult:
        """Scan ``text``; never raises for a scanning failure (it blocks instead).

        Raises ``GuardrailsError`` only for a programming error: ``text`` not a str.
        """
        if not isinstance(text, str):
            raise GuardrailsError(
                "検査対象は文字列でなければなりません。", detail=type(text).__name__
            )
        return self._run(self._scan_now, text, _failed)

    def review_public_text(self, text: str) -> PublicTextReview:
        """Apply the ingest policy to ``text``, a chunk of a document declared public:
        whether to withhold it, what was found, and the public values it publishes
        (addresses, phone numbers, e-mail addresses, postal codes, facility and office
        names, officials' names in their role) for the public register.

        Fails closed like ``scan``: an error or a timeout withholds the chunk.
        """
        if not isinstance(text, str):
            raise GuardrailsError(
                "検査対象は文字列でなければなりません。", detail=type(text).__name__
            )
        return self._run(self._review_now, text, _failed_review)

    def _run(self, work: Callable[[str], _R], text: str, failed: Callable[[str], _R]) -> _R:
        """``work(text)`` in a worker thread within the time budget; ``failed(error)``
        for any failure (never an exception, never an allow)."""
        started = time.perf_counter()
        taken = threading.Event()

        def timed(text: str) -> _R:
            taken.set()
            return work(text)

        try:
            future: Future[_R] = self._executor.submit(timed, text)
        except RuntimeError:  # executor shut down
            logger.error("guard scan refused: guard is closed")
            return failed(GUARD_ERROR)
        try:
            # The budget is the scan's own: waiting behind other requests' scans on a busy
            # host is not a stuck scan, and blocking for it refused clean text under load.
            # A queue that does not move for QUEUE_BUDGET_FACTOR budgets means every
            # worker is stuck: then every scan blocks, as before.
            if not taken.wait(self._timeout_s * QUEUE_BUDGET_FACTOR):
                raise TimeoutError
            return future.result(timeout=self._timeout_s)
        except TimeoutError:
            if not future.done():
                future.cancel()
                logger.warning(
                    "guard scan timed out after %.3f s (%d chars); blocking",
                    time.perf_counter() - started,
                    len(text),
                )
                return failed(GUARD_TIMEOUT)
            # Done after all: either the scan raised TimeoutError itself, or it
            # finished in the instant between the deadline and this check.
            failure: BaseException | None = future.exception()
            if failure is None:
                return future.result()
        except Exception as exc:
            failure = exc
        except BaseException as exc:
            # SystemExit & co. raised *inside* a recogniser still only block; a
            # KeyboardInterrupt in the waiting thread itself must propagate.
            if not (future.done() and not future.cancelled() and future.exception() is exc):
                raise
            failure = exc
        # Only the type: exception messages may quote the scanned text.
        logger.error("guard scan failed (%s); blocking", type(failure).__name__)
        return failed(GUARD_ERROR)

    def strict_mask(self, text: str, result: ScanResult) -> str:
        """The aggressively masked ``text`` of a blocked prompt, for the audit store
        (see ``guardrails.strict_mask``), using this guard's Sudachi dictionary."""
        engine = self._analyzer.nlp_engine
        return strict_mask(
            text, result, engine=engine if isinstance(engine, SudachiNlpEngine) else None
        )

    def close(self) -> None:
        """Stop the worker threads (pending scans are cancelled and thus block)."""
        if not self._closed.is_set():
            self._closed.set()
            self._executor.shutdown(wait=False, cancel_futures=True)

    # -- the scan itself (runs in a worker thread) ---------------------------------------
    def _inspect(self, text: str) -> _Inspection:
        normalized = normalize(text)
        results = self._analyzer.analyze(
            text=normalized.text, language=LANGUAGE, entities=self._entities
        )
        candidates: list[_Candidate] = []
        for result in results:
            action = self._policy.action_for(result.entity_type)
            if action is Action.ALLOW:
                continue
            value = normalized.text[result.start : result.end]
            if self._policy.is_allowlisted(result.entity_type, value):
                continue
            start, end = normalized.to_original_span(result.start, result.end)
            metadata = result.recognition_metadata or {}
            checked = bool(metadata.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY))
            candidates.append(
                _Candidate(
                    result.entity_type,
                    start,
                    end,
                    float(result.score),
                    action,
                    checked,
                    (result.start, result.end),
                )
            )
        kept = _resolve_overlaps(candidates)
        mentions = [Mention(c.entity_type, *c.analysed) for c in kept]
        judgements = self._public.judge(normalized.text, mentions) if kept else []
        kept, judgements = _with_repeated_surnames(normalized, kept, judgements)
        return _Inspection(normalized, kept, judgements)

    def _scan_now(self, text: str) -> ScanResult:
        inspection = self._inspect(text)
        public = self._policy.public
        final: list[_Candidate] = []
        for cand, judged in zip(inspection.kept, inspection.judgements, strict=True):
            basis = judged.public if public.enabled else None
            action = cand.action
            if basis is not None:
                action = min(action, public.action, key=_SEVERITY.__getitem__)
                if action is Action.ALLOW:
                    continue
            cues = self._cues(inspection.normalized.text, cand, judged)
            final.append(replace(cand, action=action, public=basis, cues=cues))
        overall = _overall_action(c.action for c in final)
        return ScanResult(
            action=overall, findings=_findings(final), redacted=self._redact(text, final)
        )

    def _review_now(self, text: str) -> PublicTextReview:
        inspection = self._inspect(text)
        ingest = self._policy.ingest
        analysed = inspection.normalized.text
        reasons: list[str] = []
        reported: list[_Candidate] = []
        values: list[PublicValue] = []
        private_names = any(
            c.entity_type == "PERSON" and j.public is None
            for c, j in zip(inspection.kept, inspection.judgements, strict=True)
        )
        for cand, judged in zip(inspection.kept, inspection.judgements, strict=True):
            basis = judged.public
            if basis is None and (
                judged.owner is Owner.UNKNOWN or judged.cues[:1] == (STAFF_MAILBOX,)
            ):
                # No sign of a person — or a staff member's mailbox at the city's
                # domain, which a public document publishes (then registered).
                basis = PublicBasis.PUBLIC_DOCUMENT
            if cand.entity_type in ingest.withhold:
                reasons.append(cand.entity_type)
            elif (
                ingest.withhold_private_contact
                and private_names
                and (
                    (judged.owner is Owner.PERSON and NAME_NEARBY in judged.cues)
                    or cand.entity_type == "BIRTH_DATE"
                )
            ):
                reasons.append(PRIVATE_CONTACT)
            cues = self._cues(analysed, cand, judged)
            reported.append(replace(cand, public=basis, cues=cues))
            if (
                basis is not None
                and basis not in _NOT_HARVESTED
                and (cand.entity_type in CONTACT_TYPES or cand.entity_type == "PERSON")
            ):
                values.append(
                    PublicValue(
                        kind=cand.entity_type,
                        value=text[cand.start : cand.end],
                        start=cand.start,
                        end=cand.end,
                        cues=cues,
                    )
                )
        for start, end in self._organisations.find(analysed):
            start, end = inspection.normalized.to_original_span(start, end)
            values.append(
                PublicValue(kind=ORGANIZATION, value=text[start:end], start=start, end=end)
            )
        reasons = list(dict.fromkeys(reasons))
        return PublicTextReview(
            withhold=bool(reasons), reasons=reasons, findings=_findings(reported), values=values
        )

    def _cues(self, analysed: str, cand: _Candidate, judged: Judgement) -> tuple[str, ...]:
        """The words that decided the finding (see ``_cues``): for a contact value whose
        it is, for a name what made it one (and its public role), for the other types
        the label that named them."""
        start, end = cand.analysed
        kind = cand.entity_type
        if kind in CONTACT_TYPES:
            return judged.cues
        if kind == "PERSON" and judged.public in _OWN_CUES:
            return judged.cues  # (context word, role, kind of text) for the explanation
        if kind == "PERSON":
            return tuple(dict.fromkeys((*person_cues(analysed, start, end), *judged.cues)))
        return label_cues(analysed, start, end, self._labels.get(kind, ()))

    def _redact(self, text: str, kept: list[_Candidate]) -> str:
        if not kept:
            return text
        operators = {
            c.entity_type: OperatorConfig("replace", {"new_value": redaction_label(c.entity_type)})
            for c in kept
        }
        engine_result = self._anonymizer.anonymize(
            text=text,
            analyzer_results=[
                AnonymizerResult(c.entity_type, c.start, c.end, c.score) for c in kept
            ],
            operators=operators,
            merge_entities_with_spaces=False,
        )
        return str(engine_result.text)


def _resolve_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the best of overlapping findings: stricter policy action first, then higher
    score, then longer, then context-checked (two types sharing a format, e.g. 12 digits
    labelled 運転免許証 that also pass the マイナンバー check digit: the label decides).

    The action comes first so that a weaker action can never hide a stricter one: a
    法人番号 (warn) scored above a マイナンバー or a ゆうちょ account (block) on the same
    digits must not let the prompt through — whatever the scores, an overlapping block
    finding survives.

    Greedy in rank order; kept spans are disjoint and held sorted, so each overlap test
    is a bisect plus a look at the two neighbours.
    """
    ranked = sorted(
        candidates,
        key=lambda c: (
            -_SEVERITY[c.action],
            -c.score,
            -(c.end - c.start),
            -c.context_checked,
            c.start,
        ),
    )
    starts: list[int] = []
    kept: list[_Candidate] = []
    for cand in ranked:
        pos = bisect_left(starts, cand.start)
        if pos > 0 and kept[pos - 1].end > cand.start:
            continue
        if pos < len(kept) and kept[pos].start < cand.end:
            continue
        starts.insert(pos, cand.start)
        kept.insert(pos, cand)
    return kept


def _with_repeated_surnames(
    normalized: NormalizedText, kept: list[_Candidate], judgements: list[Judgement]
) -> tuple[list[_Candidate], list[Judgement]]:
    """Add the later mentions of a personal name's surname (see ``_mentions``), each
    judged as the name it repeats."""
    sources = [
        i
        for i, (c, j) in enumerate(zip(kept, judgements, strict=True))
        if c.entity_type == "PERSON" and j.public is None
    ]
    if not sources:
        return kept, judgements
    repeats = repeated_surnames(
        normalized.text, [kept[i].analysed for i in sources], [c.analysed for c in kept]
    )
    if not repeats:
        return kept, judgements
    pairs = list(zip(kept, judgements, strict=True))
    for start, end, index in repeats:
        source = kept[sources[index]]
        original = normalized.to_original_span(start, end)
        pairs.append(
            (replace(source, start=original[0], end=original[1], analysed=(start, end)),
             judgements[sources[index]])
        )  # fmt: skip
    pairs.sort(key=lambda pair: (pair[0].start, pair[0].end))
    return [c for c, _ in pairs], [j for _, j in pairs]


def _overall_action(actions: Iterable[Action]) -> Action:
    worst = max((_SEVERITY[a] for a in actions), default=0)
    if worst >= _SEVERITY[Action.BLOCK]:
        return Action.BLOCK
    if worst >= _SEVERITY[Action.MASK]:
        return Action.MASK
    # warn findings are reported, yet the prompt goes through.
    return Action.ALLOW


def _check_timeout(timeout_s: float) -> None:
    if not timeout_s > 0:  # also rejects NaN
        raise GuardConfigError("timeout_s は正の数でなければなりません。", key="timeout_s")


def _failed(error: str) -> ScanResult:
    return ScanResult(action=Action.BLOCK, findings=[], redacted=UNSCANNABLE_LABEL, error=error)


def _failed_review(error: str) -> PublicTextReview:
    return PublicTextReview(withhold=True, reasons=[error], error=error)


def _findings(kept: Iterable[_Candidate]) -> list[Finding]:
    return [
        Finding(
            type=c.entity_type,
            start=c.start,
            end=c.end,
            score=round(min(max(c.score, 0.0), 1.0), _SCORE_DIGITS),
            public=c.public,
            cues=c.cues or None,
        )
        for c in kept
    ]


def build_guard(
    policy_path: Path | None = None,
    *,
    timeout_s: float = 2.0,
    recognizers_path: Path | None = None,
    denylist_path: Path | None = None,
    register: PublicRegister | None = None,
) -> Guard:
    """Build the guard once per process (loads Sudachi and the recognisers).

    ``policy_path`` / ``recognizers_path`` override the bundled ``conf/*.toml``;
    ``denylist_path`` the bundled ``conf/denylist.txt`` (the service setting
    ``YAKUBA_GUARD_DENYLIST_FILE``; it must be readable now, and is re-read on change);
    ``register`` the public register to consult (an empty one by default; the caller
    loads it from its store and keeps it up to date).
    Raises ``GuardConfigError`` for any configuration problem.
    """
    _check_timeout(timeout_s)  # before the (slower) analyzer build
    policy = load_policy(policy_path)
    recognizers = instantiate_recognizers(load_recognizer_specs(recognizers_path))
    if denylist_path is not None:
        _use_denylist(recognizers, denylist_path)
    recognizers = _configure_name_tagger(recognizers, policy)
    analyzer = build_analyzer(build_registry(recognizers))
    guard = Guard(analyzer=analyzer, policy=policy, timeout_s=timeout_s, register=register)
    # Warm-up: compiles the patterns so the first real request is not the slow one.
    # A failure here is only logged — every scan would block anyway (fail closed).
    if guard.scan("起動確認 0").error is not None:
        logger.error("guard self-check failed; every scan will be blocked")
    return guard


def _configure_name_tagger(
    recognizers: list[EntityRecognizer], policy: Policy
) -> list[EntityRecognizer]:
    """Drop the learned name tagger when ``[name_tagger] enabled = false``; otherwise
    give it the policy's thresholds."""
    settings = policy.name_tagger
    kept: list[EntityRecognizer] = []
    for recognizer in recognizers:
        if isinstance(recognizer, NameTaggerRecognizer):
            if not settings.enabled:
                continue
            recognizer.threshold = settings.threshold
            recognizer.threshold_without_cues = settings.threshold_without_cues
        kept.append(recognizer)
    if not kept:
        raise GuardConfigError("有効な認識器が一つもありません。")
    return kept


def _use_denylist(recognizers: list[EntityRecognizer], path: Path) -> None:
    lists = [r for r in recognizers if isinstance(r, DenylistTermRecognizer)]
    if not lists:
        raise GuardConfigError(
            "非公開用語リストが指定されましたが、その認識器が無効です。", path=path
        )
    for recognizer in lists:
        recognizer.use_file(path)
