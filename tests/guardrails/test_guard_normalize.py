"""Normalisation and its offset map back to the original text."""

from __future__ import annotations

import pytest

from guardrails._normalize import normalize

CASES = [
    # original, normalised
    pytest.param("abc 123", "abc 123", id="ascii-untouched"),
    pytest.param("０３－１２３４", "03-1234", id="fullwidth"),
    pytest.param("㈱山田", "(株)山田", id="expansion"),
    pytest.param("12\u200b34\u2060\ufeff5\u00ad6", "123456", id="invisible"),
    pytest.param("〇九〇ー一二三四", "090-1234", id="kanji-and-choon"),
    pytest.param("零一二", "012", id="rei"),
    pytest.param("1二3四", "1234", id="mixed-digits"),
    pytest.param("一般の一つ", "一般の一つ", id="lone-kanji-one-kept"),
    pytest.param("三四人", "34人", id="kanji-run-counted"),
    pytest.param("データー", "データー", id="choon-in-word-kept"),
    pytest.param("5 ー 6", "5 - 6", id="spaced-choon"),
    pytest.param("1―2–3—4−5", "1-2-3-4-5", id="dashes"),
    pytest.param("٠١٢", "012", id="arabic-indic"),
    pytest.param("1\ufe0f\u20e32\ufe0f\u20e3", "12", id="keycap-digits"),
    pytest.param("①②", "12", id="circled-digits"),
    pytest.param("ｱｲｳ　ＡＢＣ", "アイウ ABC", id="kana-and-space"),
]


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_normalised_text(original: str, expected: str) -> None:
    assert normalize(original).text == expected


@pytest.mark.parametrize(("original", "expected"), CASES)
def test_offset_map_is_monotonic_and_in_range(original: str, expected: str) -> None:
    norm = normalize(original)
    origins = [norm.original_index(i) for i in range(len(norm.text))]
    assert origins == sorted(origins)
    assert all(0 <= o < len(original) for o in origins)


@pytest.mark.parametrize(
    ("original", "norm_span", "original_span"),
    [
        pytest.param("㈱山田", (0, 3), (0, 1), id="expansion-maps-to-one-char"),
        pytest.param("㈱山田", (3, 5), (1, 3), id="after-expansion"),
        pytest.param("㈱山田", (1, 2), (0, 1), id="inside-expansion"),
        pytest.param("12\u200b34", (0, 4), (0, 5), id="removed-char-inside-span"),
        pytest.param("12\u200b34", (2, 4), (3, 5), id="after-removed-char"),
        pytest.param("\u200b\u200b1234", (0, 4), (2, 6), id="leading-invisible"),
        pytest.param("私の０９０", (2, 5), (2, 5), id="fullwidth-one-to-one"),
        pytest.param("abc", (1, 1), (1, 1), id="empty-span"),
        pytest.param("ａｂ\u200b", (2, 2), (3, 3), id="empty-span-at-end"),
    ],
)
def test_to_original_span(
    original: str, norm_span: tuple[int, int], original_span: tuple[int, int]
) -> None:
    assert normalize(original).to_original_span(*norm_span) == original_span


@pytest.mark.parametrize("span", [(-1, 2), (2, 1), (0, 99)])
def test_to_original_span_rejects_bad_spans(span: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        normalize("０１２").to_original_span(*span)
