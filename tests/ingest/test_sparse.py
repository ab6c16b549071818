from __future__ import annotations

import pytest

from ingest import SudachiBm25

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
    once = BM25.embed_document("審査")
    thrice = BM25.embed_document("審査 審査 審査")
    assert once.indices == thrice.indices
    assert thrice.values[0] > once.values[0]
    assert thrice.values[0] < 3 * once.values[0]
    query = BM25.embed_query("審査 審査")
    assert query.values == [1.0]


def test_oversized_input_does_not_crash() -> None:
    vec = BM25.embed_document("長い文書。" * 20_000)
    assert vec.indices
