"""PhoneNumberRecognizer (PHONE_NUMBER): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

FORMATTED = (0.6, 1.0)  # hyphens / brackets / +81: distinctive even without context
CONTIGUOUS_MOBILE = (0.5, 1.0)
WITH_CONTEXT = (0.6, 1.0)
BARE_TEN_DIGITS = (0.45, 0.45)  # 0AB-J without any label: just above the threshold
ZW = "\u200b"

VALID = [
    pytest.param(Case("03-1234-5678", ["03-1234-5678"], FORMATTED), id="tokyo"),
    pytest.param(Case("代表は0123-45-6789です", ["0123-45-6789"], FORMATTED), id="4-digit-area"),
    pytest.param(Case("045-123-4567まで", ["045-123-4567"], FORMATTED), id="3-digit-area"),
    pytest.param(Case("01267-2-3456", ["01267-2-3456"], FORMATTED), id="5-digit-area"),
    pytest.param(Case("03(1234)5678", [(0, 12)], FORMATTED), id="brackets-local"),
    pytest.param(Case("(03)1234-5678", [(0, 13)], FORMATTED), id="brackets-area"),
    pytest.param(Case("携帯090-1234-5678へ", ["090-1234-5678"], (0.9, 1.0)), id="mobile"),
    pytest.param(Case("080 1234 5678", [(0, 13)], FORMATTED), id="mobile-spaces"),
    pytest.param(Case("070-1234-5678", [(0, 13)], FORMATTED), id="mobile-070"),
    pytest.param(Case("050-1234-5678", [(0, 13)], FORMATTED), id="ip-phone"),
    pytest.param(Case("0120-123-456", [(0, 12)], FORMATTED), id="free-dial-0120"),
    pytest.param(Case("0800-123-4567", [(0, 13)], FORMATTED), id="free-dial-0800"),
    pytest.param(Case("0570-012-345", [(0, 12)], FORMATTED), id="navi-dial"),
    pytest.param(Case("+81-90-1234-5678", [(0, 16)], FORMATTED), id="intl-mobile"),
    pytest.param(Case("+81 3 1234 5678", [(0, 15)], FORMATTED), id="intl-spaces"),
    pytest.param(Case("+81(0)3-1234-5678", [(0, 17)], FORMATTED), id="intl-trunk-zero"),
    pytest.param(Case("+819012345678", [(0, 13)], FORMATTED), id="intl-contiguous"),
    pytest.param(Case("09012345678", [(0, 11)], CONTIGUOUS_MOBILE), id="mobile-contiguous"),
    pytest.param(Case("電話番号 0312345678", ["0312345678"], WITH_CONTEXT), id="fixed-context"),
    pytest.param(Case("TEL No.0312345678", ["0312345678"], WITH_CONTEXT), id="fixed-tel-no"),
    pytest.param(
        Case("連絡先の番号は0312345678です", ["0312345678"], WITH_CONTEXT), id="fixed-no-no"
    ),
    pytest.param(Case("0312345678（電話）", ["0312345678"], WITH_CONTEXT), id="fixed-label-after"),
    # Ten bare digits of a valid 0AB-J shape, no label at all: a phone number.
    pytest.param(
        Case("田中様（0789499057）", ["0789499057"], BARE_TEN_DIGITS), id="fixed-after-honorific"
    ),
    pytest.param(Case("（0865941154）", ["0865941154"], BARE_TEN_DIGITS), id="fixed-bracketed"),
    pytest.param(
        Case("相手先：松本様 0897433831\n内容：", ["0897433831"], BARE_TEN_DIGITS),
        id="fixed-contact-line",
    ),
    pytest.param(
        Case("【苦情】小川佳雅／0285820955／騒音", ["0285820955"], BARE_TEN_DIGITS),
        id="fixed-slashes",
    ),
    pytest.param(Case("0120123456", ["0120123456"], BARE_TEN_DIGITS), id="free-dial-bare"),
    # Before an e-mail address glued by a slash: the address must not swallow it.
    pytest.param(
        Case("土井様（0126793468／doi.hanna.8@example.jp）", ["0126793468"], BARE_TEN_DIGITS),
        id="fixed-then-email",
    ),
    pytest.param(
        Case("青木様（053-209-5388／eriko.aoki@example.com）", ["053-209-5388"], FORMATTED),
        id="separated-then-email",
    ),
    # The number keeps its label when another number's label follows it.
    pytest.param(
        Case("電話0312345678、基礎年金番号1234567890", ["0312345678"], WITH_CONTEXT),
        id="fixed-next-label-belongs-to-next-number",
    ),
    pytest.param(Case("TEL03-1234-5678", ["03-1234-5678"], (0.9, 1.0)), id="tel-glued"),
    pytest.param(Case("03-1234-5678 9時から", ["03-1234-5678"], FORMATTED), id="space-then-digit"),
    pytest.param(
        Case("電話：03-1234-5678、FAX：03-1234-5679", ["03-1234-5678", "03-1234-5679"]),
        id="two",
    ),
]

EVASION = [
    pytest.param(Case("０３－１２３４－５６７８", [(0, 12)], FORMATTED), id="fullwidth"),
    # Letters written for digits (and their Cyrillic look-alikes).
    pytest.param(Case("携帯 O9O-l234-5678", ["O9O-l234-5678"], FORMATTED), id="letters-for-digits"),
    pytest.param(
        Case("電話 ０９О-１２３４-５６７８", ["０９О-１２３４-５６７８"], FORMATTED),
        id="cyrillic-o",
    ),
    pytest.param(Case("０９０ー１２３４ー５６７８", [(0, 13)], FORMATTED), id="fw-choon"),
    pytest.param(Case("03（１２３４）５６７８", [(0, 12)], FORMATTED), id="fw-brackets"),
    pytest.param(Case("090―1234‐5678", [(0, 13)], FORMATTED), id="dash-variants"),
    pytest.param(Case("090ｰ1234ｰ5678", [(0, 13)], FORMATTED), id="halfwidth-choon"),
    pytest.param(Case("電話：03 - 1234 - 5678", ["03 - 1234 - 5678"]), id="spaced-hyphens"),
    pytest.param(Case("090 ー 1234 ー 5678", [(0, 17)], FORMATTED), id="spaced-choon"),
    pytest.param(Case("〇九〇ー一二三四ー五六七八", [(0, 13)], FORMATTED), id="kanji"),
    pytest.param(Case(f"09{ZW}0-12{ZW}34-5678", [(0, 15)], FORMATTED), id="zero-width"),
    pytest.param(Case("090\n1234\n5678", [(0, 13)], FORMATTED), id="newlines"),
    pytest.param(Case("０９０.１２３４.５６７８", [(0, 13)], FORMATTED), id="fw-dots"),
    pytest.param(Case("＋８１－９０－１２３４－５６７８", [(0, 16)], FORMATTED), id="fw-intl"),
    # One digit at a time: the normaliser joins them (the span covers the separators).
    pytest.param(Case("連絡先 0.9.0.3.4.7.4.5.5.4.9", [(4, 25)]), id="dot-each-digit"),
    pytest.param(
        Case("連絡先 ０　５　０　７　７　０　６　３　２　１　８", [(4, 25)]), id="ideo-space-each"
    ),
    pytest.param(Case("自宅TEL：0 9 9 7 4 2 2 5 4 8", [(6, 25)]), id="space-each-fixed"),
    pytest.param(Case("携帯 0・9・0・1・2・3・4・5・6・7・8", [(3, 24)]), id="nakaguro-each"),
    pytest.param(Case("0 9 0 - 1 2 3 4 - 5 6 7 8", [(0, 25)], FORMATTED), id="spaced-groups"),
    pytest.param(Case("電話\n0\n3\n1\n2\n3\n4\n5\n6\n7\n8", [(3, 22)]), id="newline-each"),
]

INVALID = [
    pytest.param(Case("2024-01-15"), id="date"),
    pytest.param(Case("2024-01-15 10:30"), id="datetime"),
    pytest.param(Case("受付は09:00-17:00です"), id="hours"),
    pytest.param(Case("〒123-4567"), id="postal-code"),
    pytest.param(Case("〒060-0001"), id="postal-code-leading-zero"),
    pytest.param(Case("予算は1,234,567円"), id="amount"),
    pytest.param(Case("令和5年法律第48号"), id="law-number"),
    pytest.param(Case("地方自治法第252条の17の2"), id="law-article"),
    pytest.param(Case("322AC0000000067"), id="egov-law-id"),
    # Ten digits labelled as another identifier are that identifier.
    pytest.param(Case("受付番号 0312345678"), id="fixed-receipt-number"),
    pytest.param(Case("0312345678（お客様番号）"), id="fixed-customer-number-after"),
    pytest.param(Case("会員ID：0312345678"), id="fixed-member-id"),
    pytest.param(Case("医療機関コード 0112345678"), id="fixed-medical-code"),
    pytest.param(Case("No.0312345678"), id="fixed-no"),
    pytest.param(Case("0101234567"), id="international-prefix-ten"),
    pytest.param(Case("0301234567"), id="0a0-ten-digits"),
    pytest.param(Case("031234567890"), id="12-digit-run"),
    pytest.param(Case("090123456789"), id="12-digit-mobile-run"),
    pytest.param(Case("03-1234-5678-9"), id="extra-group"),
    pytest.param(Case("2024-03-1234-5678"), id="glued-before"),
    pytest.param(Case("090-1234-567"), id="mobile-too-short"),
    pytest.param(Case("03-123-45678"), id="fixed-bad-subscriber"),
    pytest.param(Case("090-0000-0000"), id="placeholder"),
    pytest.param(Case("090-〇〇〇〇-〇〇〇〇"), id="placeholder-kanji"),
    pytest.param(Case("00-1234-5678"), id="international-prefix"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_phone_number(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PHONE_NUMBER")
