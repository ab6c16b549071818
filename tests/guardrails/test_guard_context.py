"""The guard's context step gives exactly Presidio's results, without Presidio's copies."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from guardrails import Guard
from guardrails._context import ContextAnalyzerEngine, FastLemmaContextEnhancer
from guardrails._nlp_engine import LANGUAGE
from guardrails._normalize import normalize
from guardrails._registry import (
    CONTEXT_PREFIX_COUNT,
    CONTEXT_SIMILARITY_FACTOR,
    CONTEXT_SUFFIX_COUNT,
    MIN_SCORE_WITH_CONTEXT,
    SCORE_THRESHOLD,
)

TEXTS = [
    "私のマイナンバーは123456789018です。",
    "123456789019（個人番号カード記載）",
    "電話番号は03-1234-5678、携帯は090 1234 5678。連絡先はtaro@example.jpです",
    "1. 個人番号 123456789018\n2. 電話 090-1234-5678\n",
    "法人番号 1234567890123、登録番号T1234567890123、口座 普通 1234567",
    "申請者 山田太郎様（0312345678）〒100-0001 東京都千代田区千代田1-1",
    "基礎年金番号 1234-567890、運転免許証 123456789012、カード 4111 1111 1111 1111",
    "被保険者番号 12345678 保険者番号 06130012 旅券 TK1234567 在留カード AB12345678CD",
    "受付番号 20240115-0001 2024年1月15日 1.5 2.0 3,000円 第12条第3項 12345 67890",
    "ゆうちょ銀行の記号番号は1234512345671です。生年月日：昭和50年1月2日",
    "連絡先 0 9 0 1 2 3 4 5 6 7 8、FAX 03-1234-5679（代表）",
]


def _key(results: list[RecognizerResult]) -> list[tuple[str, int, int, float]]:
    return sorted((r.entity_type, r.start, r.end, round(r.score, 9)) for r in results)


@pytest.fixture(scope="module")
def engines(guard: Guard) -> tuple[AnalyzerEngine, AnalyzerEngine]:
    ours = guard._analyzer
    assert isinstance(ours, ContextAnalyzerEngine)
    assert isinstance(ours.context_aware_enhancer, FastLemmaContextEnhancer)
    presidio = AnalyzerEngine(
        registry=ours.registry,
        nlp_engine=ours.nlp_engine,
        supported_languages=[LANGUAGE],
        default_score_threshold=SCORE_THRESHOLD,
        context_aware_enhancer=LemmaContextAwareEnhancer(
            context_similarity_factor=CONTEXT_SIMILARITY_FACTOR,
            min_score_with_context_similarity=MIN_SCORE_WITH_CONTEXT,
            context_prefix_count=CONTEXT_PREFIX_COUNT,
            context_suffix_count=CONTEXT_SUFFIX_COUNT,
        ),
    )
    return ours, presidio


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("threshold", [None, 0.0], ids=["threshold", "everything"])
def test_same_results_as_presidio(
    engines: tuple[AnalyzerEngine, AnalyzerEngine], text: str, threshold: float | None
) -> None:
    ours, presidio = engines
    normalized = normalize(text).text
    entities = sorted(ours.get_supported_entities(language=LANGUAGE))
    expected = presidio.analyze(
        text=normalized, language=LANGUAGE, entities=entities, score_threshold=threshold
    )
    got = ours.analyze(
        text=normalized, language=LANGUAGE, entities=entities, score_threshold=threshold
    )
    assert _key(got) == _key(expected)


def test_enhancer_scores_in_place_and_adds_context(
    engines: tuple[AnalyzerEngine, AnalyzerEngine],
) -> None:
    ours, _ = engines
    text = "個人番号 123456789019"  # wrong check digit: only the context word lifts it
    results = ours.analyze(
        text=text, language=LANGUAGE, entities=["MY_NUMBER"], return_decision_process=True
    )
    assert [(r.start, r.end) for r in results] == [(5, 17)]
    explanation = results[0].analysis_explanation
    assert explanation is not None
    assert explanation.supportive_context_word == "個人番号"
    assert results[0].score == pytest.approx(0.45)
