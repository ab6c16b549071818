"""Building Presidio's registry and analyzer from ``recognizers.toml``.

The registry (which recognisers) and the engine (how to run them) are separate
objects; the analyzer is built once by ``build_guard`` and injected into the ``Guard``.
Only our recognisers load: Presidio's predefined ones are English/US-centric, and its
e-mail recogniser would try to download the public-suffix list.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from typing import cast

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry

from guardrails._config import RecognizerSpec
from guardrails._context import ContextAnalyzerEngine, FastLemmaContextEnhancer
from guardrails._errors import GuardConfigError
from guardrails._nlp_engine import LANGUAGE, SudachiNlpEngine

logger = logging.getLogger(__name__)

# Findings below this score are discarded. Recogniser scores are designed around it:
# a bare pattern that needs a context word scores < 0.4, a context word adds 0.35.
SCORE_THRESHOLD = 0.4

# Context window, in keywords (Sudachi lemmas minus particles and punctuation).
# Japanese puts the label before the value (マイナンバー：…) but also after it in
# brackets (…（代表電話）), hence a short suffix window as well.
CONTEXT_PREFIX_COUNT = 6
CONTEXT_SUFFIX_COUNT = 3
CONTEXT_SIMILARITY_FACTOR = 0.35
MIN_SCORE_WITH_CONTEXT = 0.4


def instantiate_recognizers(specs: Iterable[RecognizerSpec]) -> list[EntityRecognizer]:
    """Import and build every enabled recogniser listed in the configuration."""
    recognizers: list[EntityRecognizer] = []
    for spec in specs:
        if not spec.enabled:
            continue
        where = f"{spec.module}.{spec.class_name}"
        try:
            module = importlib.import_module(spec.module)
        except ImportError as exc:
            raise GuardConfigError(
                "認識器のモジュールを読み込めません。", key=where, detail=str(exc)
            ) from exc
        cls = getattr(module, spec.class_name, None)
        if not isinstance(cls, type) or not issubclass(cls, EntityRecognizer):
            raise GuardConfigError("認識器のクラスが見つかりません。", key=where)
        # Our recognisers take only optional arguments; the base class signature
        # does not say so.
        recognizer = cast(Callable[[], EntityRecognizer], cls)()
        if recognizer.supported_language != LANGUAGE:
            raise GuardConfigError(f"認識器の言語が {LANGUAGE!r} ではありません。", key=where)
        recognizers.append(recognizer)
    if not recognizers:
        raise GuardConfigError("有効な認識器が一つもありません。")
    return recognizers


def build_registry(recognizers: Iterable[EntityRecognizer]) -> RecognizerRegistry:
    """A registry holding exactly ``recognizers`` (no Presidio defaults)."""
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    return registry


def build_analyzer(
    registry: RecognizerRegistry, nlp_engine: SudachiNlpEngine | None = None
) -> AnalyzerEngine:
    """The Presidio analyzer: our registry, the Sudachi NLP engine, Japanese only."""
    engine = nlp_engine if nlp_engine is not None else SudachiNlpEngine()
    engine.load()
    analyzer = ContextAnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=[LANGUAGE],
        default_score_threshold=SCORE_THRESHOLD,
        context_aware_enhancer=FastLemmaContextEnhancer(
            context_similarity_factor=CONTEXT_SIMILARITY_FACTOR,
            min_score_with_context_similarity=MIN_SCORE_WITH_CONTEXT,
            context_prefix_count=CONTEXT_PREFIX_COUNT,
            context_suffix_count=CONTEXT_SUFFIX_COUNT,
        ),
    )
    logger.info(
        "Guard analyzer ready with recognizers: %s",
        sorted(type(r).__name__ for r in registry.recognizers),
    )
    return analyzer
