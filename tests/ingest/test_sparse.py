from __future__ import annotations

import pytest

from ingest import SudachiBm25
from ingest._sparse import LEGACY_ANALYZER, analyzer_for

BM25 = SudachiBm25()


@pytest.mark.parametrize(
    ("text", "must_have", "must_not_have"),
    [
        # okurigana variants normalise to one term
        ("行政手続法の手続", {"手続き"}, set()),
        ("申し込みの方法", {"申し込み"}, {"の"}),
        # particles, auxiliaries and punctuation carry no topic
        ("審査基準を定めなければならない。", {"審査", "基準", "定める"}, {"を", "。", "ない"}),
        # full-width alphanumerics are folded (NFKC) and lower-cased
        ("ＰＤＦで提出", {"pdf", "提出"}, set()),
    ],
)
def test_terms(text: str, must_have: set[str], must_not_have: set[str]) -> None:
    terms = set(BM25.terms(text))
    assert must_have <= terms
    assert not (must_not_have & terms)


def test_document_weights_saturate_and_query_is_binary() -> None:
    words = SudachiBm25(synonym_weight=0, kanji_weight=0)
    once = words.embed_document("審査")
    thrice = words.embed_document("審査 審査 審査")
    assert once.indices == thrice.indices
    assert thrice.values[0] > once.values[0]
    assert thrice.values[0] < 3 * once.values[0]
    query = words.embed_query("審査 審査")
    assert query.values == [1.0]


def test_oversized_input_does_not_crash() -> None:
    vec = BM25.embed_document("長い文書。" * 20_000)
    assert vec.indices


# ---------------------------------------------------------------- synonym groups (issue 17)


@pytest.mark.parametrize(
    ("citizen", "official"),
    [
        ("引っ越し", "転居"),  # Sudachi synonym group 21673
        ("届け出", "申請"),
        ("こども", "子供"),  # normalised form, no group needed
    ],
)
def test_citizen_words_meet_official_words(citizen: str, official: str) -> None:
    query = set(BM25.embed_query(citizen).indices)
    document = set(BM25.embed_document(official).indices)
    assert query & document


def test_synonym_groups_and_kanji_weigh_less_than_the_word() -> None:
    synonyms = SudachiBm25(kanji_weight=0)
    assert sorted(synonyms.embed_query("転居").values) == [synonyms.synonym_weight, 1.0]
    assert SudachiBm25(synonym_weight=0, kanji_weight=0).embed_query("転居").values == [1.0]
    kanji = SudachiBm25(synonym_weight=0)
    assert sorted(kanji.embed_query("転居").values) == [kanji.kanji_weight] * 2 + [1.0]


def test_a_word_meets_a_longer_word_by_its_kanji() -> None:
    dog = set(BM25.embed_query("飼い犬").indices)
    assert dog & set(BM25.embed_document("犬を飼い始めた").indices)
    assert not dog & set(SudachiBm25(kanji_weight=0).embed_document("犬を飼い始めた").indices)


def test_analyser_names_round_trip_and_legacy_indexes_keep_theirs() -> None:
    for analyser in (
        BM25,
        SudachiBm25(synonym_weight=0),
        SudachiBm25(form="surface", kanji_weight=0),
    ):
        again = analyzer_for(analyser.name)
        assert again is not None and again.name == analyser.name
    legacy = analyzer_for(LEGACY_ANALYZER)
    assert legacy is not None and legacy.synonym_weight == legacy.kanji_weight == 0
    assert analyzer_for("another-analyser") is None
    assert analyzer_for("sudachi-bm25+synX") is None


def test_key_terms_are_nouns_with_their_groups() -> None:
    terms = BM25.analyse("引っ越しの届け出はどこでできますか")
    assert [t.text for t in terms if t.noun] == ["引っ越し", "届け出"]
    assert all(g.startswith("§") for t in terms for g in t.groups)
