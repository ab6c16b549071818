"""The guard: normalise → recognise → map back → allowlist → overlaps → policy → redact.

Fail closed: whatever goes wrong while scanning — an exception anywhere, or a scan
that does not finish within ``timeout_s`` — the verdict is *block*, with the whole
text replaced by ``<検査不能>``. Nothing in here may ever turn a failure into allow.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from bisect import bisect_left
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from presidio_anonymizer.entities import RecognizerResult as AnonymizerResult

from guardrails._config import Policy, load_policy, load_recognizer_specs
from guardrails._errors import GuardConfigError, GuardrailsError
from guardrails._labels import UNSCANNABLE_LABEL, redaction_label
from guardrails._models import GUARD_ERROR, GUARD_TIMEOUT, Action, Finding, ScanResult
from guardrails._nlp_engine import LANGUAGE, SudachiNlpEngine
from guardrails._normalize import normalize
from guardrails._registry import build_analyzer, build_registry, instantiate_recognizers
from guardrails._strict_mask import strict_mask
from guardrails.recognizers.denylist_term import DenylistTermRecognizer

logger = logging.getLogger(__name__)

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
    def config_version(self) -> tuple[int, ...]:
        """Changes whenever what a scan finds can change without a restart (a reloaded
        deny-list): callers that remember verdicts key them on it."""
        return tuple(r.current_generation() for r in self._denylists)

    def scan(self, text: str) -> ScanResult:
        """Scan ``text``; never raises for a scanning failure (it blocks instead).

        Raises ``GuardrailsError`` only for a programming error: ``text`` not a str.
        """
        if not isinstance(text, str):
            raise GuardrailsError(
                "検査対象は文字列でなければなりません。", detail=type(text).__name__
            )
        started = time.perf_counter()
        try:
            future: Future[ScanResult] = self._executor.submit(self._scan_now, text)
        except RuntimeError:  # executor shut down
            logger.error("guard scan refused: guard is closed")
            return _failed(GUARD_ERROR)
        try:
            return future.result(timeout=self._timeout_s)
        except TimeoutError:
            if not future.done():
                future.cancel()
                logger.warning(
                    "guard scan timed out after %.3f s (%d chars); blocking",
                    time.perf_counter() - started,
                    len(text),
                )
                return _failed(GUARD_TIMEOUT)
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
        return _failed(GUARD_ERROR)

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
    def _scan_now(self, text: str) -> ScanResult:
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
                _Candidate(result.entity_type, start, end, float(result.score), action, checked)
            )

        kept = _resolve_overlaps(candidates)
        findings = [
            Finding(
                type=c.entity_type,
                start=c.start,
                end=c.end,
                score=round(min(max(c.score, 0.0), 1.0), _SCORE_DIGITS),
            )
            for c in kept
        ]
        overall = _overall_action(c.action for c in kept)
        return ScanResult(action=overall, findings=findings, redacted=self._redact(text, kept))

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


def build_guard(
    policy_path: Path | None = None,
    *,
    timeout_s: float = 2.0,
    recognizers_path: Path | None = None,
    denylist_path: Path | None = None,
) -> Guard:
    """Build the guard once per process (loads Sudachi and the recognisers).

    ``policy_path`` / ``recognizers_path`` override the bundled ``conf/*.toml``;
    ``denylist_path`` the bundled ``conf/denylist.txt`` (the service setting
    ``YAKUBA_GUARD_DENYLIST_FILE``; it must be readable now, and is re-read on change).
    Raises ``GuardConfigError`` for any configuration problem.
    """
    _check_timeout(timeout_s)  # before the (slower) analyzer build
    policy = load_policy(policy_path)
    recognizers = instantiate_recognizers(load_recognizer_specs(recognizers_path))
    if denylist_path is not None:
        _use_denylist(recognizers, denylist_path)
    analyzer = build_analyzer(build_registry(recognizers))
    guard = Guard(analyzer=analyzer, policy=policy, timeout_s=timeout_s)
    # Warm-up: compiles the patterns so the first real request is not the slow one.
    # A failure here is only logged — every scan would block anyway (fail closed).
    if guard.scan("起動確認 0").error is not None:
        logger.error("guard self-check failed; every scan will be blocked")
    return guard


def _use_denylist(recognizers: list[EntityRecognizer], path: Path) -> None:
    lists = [r for r in recognizers if isinstance(r, DenylistTermRecognizer)]
    if not lists:
        raise GuardConfigError(
            "非公開用語リストが指定されましたが、その認識器が無効です。", path=path
        )
    for recognizer in lists:
        recognizer.use_file(path)
