"""The Sudachi NLP engine and the context enhancer built on its artifacts."""

from __future__ import annotations

import pytest
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._context import FastLemmaContextEnhancer
from guardrails._nlp_engine import SudachiNlpEngine

TEXTS = [
    "私のマイナンバーは123456789018です。",
    "123456789019（個人番号カード記載）",
    "電話番号は03-1234-5678、携帯は090 1234 5678。連絡先はtaro@example.jpです",
    "1. 個人番号 123456789018\n2. 電話 090-1234-5678\n",
    "😀𠮷野家の電話090-1234-5678",
]


@pytest.fixture(scope="module")
def engine() -> SudachiNlpEngine:
    built = SudachiNlpEngine()
    built.load()
    return built


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_point_into_the_text(engine: SudachiNlpEngine, text: str) -> None:
    artifacts = engine.process_text(text, "ja")
    words = [t.text for t in artifacts.tokens]
    assert len(words) == len(artifacts.tokens_indices) == len(artifacts.lemmas)
    for word, start in zip(words, artifacts.tokens_indices, strict=True):
        assert text[start : start + len(word)] == word


def test_lemmas_are_normalized_forms(engine: SudachiNlpEngine) -> None:
    artifacts = engine.process_text("お知らせしてください", "ja")
    assert "為る" in artifacts.lemmas  # し → 為る
    assert "為る" not in artifacts.keywords  # function words leave the context window


def test_numbers_are_one_token(engine: SudachiNlpEngine) -> None:
    words = [t.text for t in engine.process_text("123456789019(個人番号)", "ja").tokens]
    assert words[0] == "123456789019"
    words = [t.text for t in engine.process_text("TEL 03-1234-5678 まで", "ja").tokens]
    assert "03-1234-5678" in words


def test_long_text_is_chunked(engine: SudachiNlpEngine) -> None:
    text = ("あいうえお。" * 2000) + "マイナンバー"
    artifacts = engine.process_text(text, "ja")
    assert artifacts.lemmas[-1] == "マイナンバー"
    assert artifacts.tokens_indices[-1] == len(text) - len("マイナンバー")


def test_only_japanese(engine: SudachiNlpEngine) -> None:
    assert engine.get_supported_languages() == ["ja"]
    with pytest.raises(ValueError):
        engine.process_text("hello", "en")


@pytest.mark.parametrize("text", TEXTS)
def test_fast_enhancer_sees_the_same_context_as_presidio(
    engine: SudachiNlpEngine, text: str
) -> None:
    artifacts = engine.process_text(text, "ja")
    presidio = LemmaContextAwareEnhancer(context_prefix_count=6, context_suffix_count=3)
    fast = FastLemmaContextEnhancer(context_prefix_count=6, context_suffix_count=3)
    for start in range(len(text)):
        expected = presidio._extract_surrounding_words(artifacts, "", start)
        assert sorted(fast._extract_surrounding_words(artifacts, "", start)) == sorted(expected), (
            start
        )


@pytest.mark.parametrize(
    ("text", "label", "word"),
    [
        ("山田太郎さんが来庁した。", "PERSON", "山田太郎"),
        ("横浜市に住んでいます。", "LOCATION", "横浜市"),
    ],
)
def test_raw_entities_index_the_text(
    engine: SudachiNlpEngine, text: str, label: str, word: str
) -> None:
    entities = engine.process_text(text, "ja").entities
    found = [(e.label_, e.text) for e in entities]
    assert (label, word) in found
    for entity in entities:
        assert text[entity.start_char : entity.end_char] == entity.text


@pytest.mark.parametrize("text", ["道路占用許可の申請について教えてください。", ""])
def test_no_raw_entities_without_names_or_places(engine: SudachiNlpEngine, text: str) -> None:
    assert engine.process_text(text, "ja").entities == []


def test_tokens_keep_no_spacy_vocab(engine: SudachiNlpEngine) -> None:
    # The tokens are plain objects: nothing keeps the prompt's words after the scan.
    tokens = engine.process_text("山田太郎の電話は090-1234-5678", "ja").tokens
    assert not hasattr(tokens, "vocab")
    assert [len(t) for t in tokens] == [len(t.text) for t in tokens]


@pytest.mark.parametrize(
    ("surface", "kinds", "reading"),
    [
        ("森", {"姓"}, "モリ"),  # analysed as a common noun, listed as a surname too
        ("服部", {"姓"}, "ハットリ"),
        ("学", {"名"}, "マナブ"),
        ("対応", set(), None),
        ("", set(), None),
        ("あ" * 20, set(), None),  # too long for any one name: not looked up
    ],
)
def test_lexicon_names(
    engine: SudachiNlpEngine, surface: str, kinds: set[str], reading: str | None
) -> None:
    found = engine.lexicon_names(surface)
    assert set(found.kinds) == kinds
    if reading is not None:
        assert reading in found.readings
    else:
        assert not found.readings


@pytest.mark.parametrize("text", TEXTS)
def test_lazy_keywords_follow_presidios_rule(engine: SudachiNlpEngine, text: str) -> None:
    artifacts = engine.process_text(text, "ja")
    expected = NlpArtifacts.set_keywords(engine, artifacts.lemmas, "ja")
    assert artifacts.keywords == expected
    assert artifacts.keywords is artifacts.keywords  # computed once
