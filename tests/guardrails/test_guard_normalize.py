"""Normalisation and its offset map back to the original text."""

from __future__ import annotations

import pytest

from guardrails import Guard
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
    # Half-width kana with a voicing mark: composed, as string-wide NFKC would.
    pytest.param("ﾔﾏｷﾞｼ ｸﾆﾖｼ", "ヤマギシ クニヨシ", id="halfwidth-dakuten"),
    pytest.param("ﾊﾟﾝ", "パン", id="halfwidth-handakuten"),
    # Ideographs beyond U+FFFF: the usual form of a name variant, else a stand-in kanji.
    pytest.param("𠮷田 𡈽屋", "吉田 土屋", id="name-variant-ideographs"),
    pytest.param("𩸽の開き", "丂の開き", id="other-supplementary-ideograph"),
    pytest.param("キ\u3099", "ギ", id="combining-dakuten"),
    # A lone kanji digit joined by a dash to a run of digits is a digit too.
    pytest.param("四ー九二六八ー九八六三ー二五六二", "4-9268-9863-2562", id="lone-kanji-dash"),
    pytest.param("五－２３４５", "5-2345", id="lone-kanji-fw-hyphen"),
    pytest.param("九二六八ー四", "9268-4", id="lone-kanji-after-dash"),
    # Digits written one at a time: the separator is dropped (4+ digits in a row).
    pytest.param("0.9.0.3.4.7.4.5.5.4.9", "09034745549", id="dot-each"),
    pytest.param("９．９．７．１．４．２", "997142", id="fw-dot-each"),
    pytest.param("3・4・0・6・2・4・1・4", "34062414", id="nakaguro-each"),
    pytest.param("０　５　０　７　７　０", "050770", id="ideographic-space-each"),
    pytest.param("0 9 0 1 2 3 4", "0901234", id="space-each"),
    pytest.param("1\n2\n3\n4", "1234", id="newline-each"),
    pytest.param("1\r\n2\r\n3\r\n4", "1234", id="crlf-each"),
    pytest.param("1\t2\t3\t4", "1234", id="tab-each"),
    pytest.param("連絡先 0 9 0 1 2 3 4 です", "連絡先 0901234 です", id="each-in-sentence"),
    pytest.param("0 9 0 - 1 2 3 4 - 5 6 7 8", "090-1234-5678", id="spaced-groups"),
    pytest.param("0 9 0 ー 1 2 3 4", "090-1234", id="spaced-choon-groups"),
    pytest.param("1 9 9 8 / 0 7 / 2 9", "1998/07/29", id="spaced-date"),
    pytest.param("1 2 3 4", "1234", id="four-is-enough"),
    pytest.param("03-1 2 3 4-5678", "03-1234-5678", id="spaced-group-inside"),
    # Normal text is left alone.
    pytest.param("3.5", "3.5", id="decimal"),
    pytest.param("1.5 2.0 3.5", "1.5 2.0 3.5", id="decimals-in-a-row"),
    pytest.param("バージョン1.2.3", "バージョン1.2.3", id="version"),
    pytest.param("v1.2.3.4", "v1.2.3.4", id="version-four-parts"),
    pytest.param("第1.2.3.4節", "第1.2.3.4節", id="section-number"),
    pytest.param("10.0.19041.1", "10.0.19041.1", id="long-version"),
    pytest.param("10.1.2.3.4", "10.1.2.3.4", id="glued-to-a-longer-number-before"),
    pytest.param("1 2 3 4 56", "1 2 3 4 56", id="glued-to-a-longer-number-after"),
    pytest.param("2024.1.15", "2024.1.15", id="dotted-date"),
    pytest.param("2024 1 15", "2024 1 15", id="spaced-date-multi-digit"),
    pytest.param("1. 2. 3. 4.", "1. 2. 3. 4.", id="enumeration"),
    pytest.param("1.\n2.\n3.\n4.", "1.\n2.\n3.\n4.", id="enumeration-lines"),
    pytest.param("第1・2項", "第1・2項", id="article-items"),
    pytest.param("1・2・3年生", "1・2・3年生", id="three-items"),
    pytest.param("8:30", "8:30", id="time"),
    pytest.param("8:30 9:45 10:00 11:15", "8:30 9:45 10:00 11:15", id="times"),
    pytest.param("1 2 3", "1 2 3", id="three-digits"),
    pytest.param("1.2-3.4", "1.2-3.4", id="mixed-separators"),
    pytest.param("1-2-3-4", "1-2-3-4", id="hyphenated-block-numbers"),
    pytest.param("三-5", "三-5", id="lone-kanji-before-single-digit"),
    pytest.param("統一ーAB", "統一ーAB", id="kanji-one-before-choon"),
    # Deliberate encodings are decoded (issue 12).
    pytest.param("&#23665;&#30000;", "山田", id="html-numeric"),
    pytest.param("&#x5c71;&amp;", "山&", id="html-hex-and-named"),
    pytest.param("\\u5c71\\u7530", "山田", id="u-escapes"),
    pytest.param("\\ud83d\\ude00", "\U0001f600", id="u-surrogate-pair"),
    pytest.param("\\xe5\\xb1\\xb1", "山", id="x-escapes-utf8"),
    pytest.param("%E5%B1%B1%E7%94%B0", "山田", id="percent-utf8"),
    pytest.param("%8ER%93c", "%8ER%93c", id="percent-with-plain-letters-left"),
    pytest.param("%82%A0%82%A2", "あい", id="percent-cp932"),
    pytest.param("a%40b", "a@b", id="percent-single-punctuation"),
    pytest.param("100%OFF", "100%OFF", id="percent-sign"),
    pytest.param("5bGx55Sw5aSq6YOO", "山田太郎", id="base64-japanese"),
    pytest.param("TWFyaWEgU2FudG9z", "Maria Santos", id="base64-ascii-words"),
    pytest.param("Internationalization", "Internationalization", id="long-word-not-base64"),
    # Numbers read out in kana.
    pytest.param("ゼロキュウゼロ", "090", id="katakana-numerals"),
    pytest.param("ぜろきゅうぜろいち", "ぜろきゅうぜろいち", id="hiragana-numerals-kept"),
    # In hiragana only a long number (runs of 3+ digits, 8+ in all) is one.
    pytest.param(
        "ぜろきゅうぜろ いちにさんよん ごろくななはち", "090 1234 5678", id="hiragana-phone"
    ),
    pytest.param("ぜろごよんのろくにろくのいちいちいちいち", "054の626の1111", id="hiragana-no"),
    pytest.param(
        "ごご にじから いちにち にかい", "ごご にじから いちにち にかい", id="hiragana-prose"
    ),
    pytest.param("いちご にしに さんご", "いちご にしに さんご", id="hiragana-short-words"),
    pytest.param("ロクナナ・ゼロキュウゼロ", "67・090", id="short-group-beside-a-number"),
    pytest.param("イチゴとニシ", "イチゴとニシ", id="numeral-words-kept"),
    pytest.param("サンゴ礁", "サンゴ礁", id="two-numerals-kept"),
    # Spaced Latin letters and look-alikes.
    pytest.param("M a r i a", "Maria", id="spaced-latin-letters"),
    # Letters written for digits inside a number.
    pytest.param("携帯 O9O-l234-5678", "携帯 090-1234-5678", id="letters-for-digits"),
    pytest.param("call O9O-l234-5678", "call 090-1234-5678", id="letters-for-digits-ascii"),
    pytest.param("ISO9001 and Oil 1234567", "ISO9001 and Oil 1234567", id="words-and-codes-kept"),
    pytest.param("Room IO1, ext 2134", "Room IO1, ext 2134", id="few-digits-kept"),
    pytest.param("Маria", "Maria", id="cyrillic-in-latin-word"),
    pytest.param("Иван", "Иван", id="cyrillic-word-kept"),
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
        # Dropped digit separators are covered by a span around them …
        pytest.param("TEL 0.9.0.1.2.3.4", (4, 11), (4, 17), id="joined-digits"),
        pytest.param("電話０　５　０　７", (2, 6), (2, 9), id="joined-fw-digits"),
        pytest.param("1\r\n2\r\n3\r\n4", (1, 3), (3, 7), id="joined-crlf-inside"),
        # … and a composed kana maps back to both of its characters.
        pytest.param("ﾔﾏｷﾞｼ", (2, 3), (2, 4), id="composed-kana"),
        pytest.param("ﾔﾏｷﾞｼ", (0, 4), (0, 5), id="composed-kana-inside"),
        pytest.param("ﾔﾏｷﾞｼ", (3, 4), (4, 5), id="after-composed-kana"),
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


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("バージョン1.2.3.4に更新してください。", id="version"),
        pytest.param("2024.1.15 8:30 開始、第1・2項を参照。", id="date-time-article"),
        pytest.param("手順:\n1. 申請\n2. 審査\n3. 交付\n4. 通知", id="enumeration"),
        pytest.param("気温は1.5 2.0 3.5 4.0度でした。", id="decimals"),
        pytest.param("定員 1 2 3 4 5 6 7 8 9 10 人", id="spaced-count"),
    ],
)
def test_normal_numbers_are_not_findings(guard: Guard, text: str) -> None:
    assert guard.scan(text).findings == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param(
            "要望を出された 𠮷田 聡一郎 様にお知らせする文。", "𠮷田 聡一郎", id="tsuchiyoshi"
        ),
        pytest.param("𡈽屋さんの件、明日連絡します。", "𡈽屋", id="tsuchi-dot"),
    ],
)
def test_a_name_written_beyond_the_bmp_is_found_whole(guard: Guard, text: str, name: str) -> None:
    found = [text[f.start : f.end] for f in guard.scan(text).findings if f.type == "PERSON"]
    assert found == [name]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("本日のおすすめ：𩸽の塩焼き定食", id="hokke"),
        pytest.param("𠮷野家の牛丼と𩸽の開きを食べた話を広報に載せます。", id="shop-and-fish"),
    ],
)
def test_supplementary_ideographs_in_public_text_pass(guard: Guard, text: str) -> None:
    assert guard.scan(text).action == "allow"
