"""HealthInsuranceRecognizer (HEALTH_INSURANCE): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from guardrails.recognizers.health_insurance import insurer_check_digit
from tests.guardrails._assertions import Case, assert_findings, to_fullwidth, to_kanji


def check_digit(body: str) -> int:
    """Independent re-implementation of the 保険者番号等設定要領 検証番号 (test data):
    weights 2, 1, 2, … from the last digit, digit sums of the products, 10 − last digit."""
    total = 0
    for i, d in enumerate(reversed(body)):
        product = int(d) * (2 if i % 2 == 0 else 1)
        total += sum(divmod(product, 10))
    return (10 - total % 10) % 10


def make_insurer_number(hobetsu: str, prefecture: str, insurer: str) -> str:
    """A synthetic 保険者番号 (8 digits; 6 for 国民健康保険 when ``hobetsu`` is "")."""
    body = hobetsu + prefecture + insurer
    return body + str(check_digit(body))


def break_check(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


H1 = make_insurer_number("06", "13", "527")  # 組合管掌, 東京
H2 = make_insurer_number("39", "27", "104")  # 後期高齢者医療, 大阪
H3 = make_insurer_number("31", "01", "982")  # 国家公務員共済, 北海道
K1 = make_insurer_number("", "14", "263")  # 国民健康保険, 神奈川 (6 digits)
BAD = break_check(H1)
ZW = "\u200b"
LABELLED = (0.9, 0.9)

VALID = [
    pytest.param(Case(f"保険者番号 {H1}", [H1], LABELLED), id="insurer-8"),
    pytest.param(
        Case(f"国民健康保険の保険者番号は{K1}です", [K1], LABELLED), id="insurer-6-kokuho"
    ),
    pytest.param(Case(f"被保険者証（{H2}）", [H2], LABELLED), id="insurer-in-brackets"),
    pytest.param(Case(f"{H3}（保険者番号）", [H3], LABELLED), id="label-after"),
    pytest.param(Case("保険証の記号 12345 番号 67", ["12345 番号 67"], LABELLED), id="kigo-bango"),
    pytest.param(
        Case(
            "被保険者証 記号：千代田 番号：1234 枝番：01", ["千代田 番号：1234 枝番：01"], LABELLED
        ),
        id="kigo-bango-edaban-kanji",
    ),
    pytest.param(
        Case("保険証の記号・番号 ＡＢ１２３・４５", ["ＡＢ１２３・４５"], LABELLED),
        id="kigo-bango-joined-fullwidth",
    ),
    pytest.param(
        Case("資格確認書の記号番号 12345-67-01", ["12345-67-01"], LABELLED), id="shikaku-kakuninsho"
    ),
    pytest.param(
        Case("健康保険証\n記号 1234\n番号 56", ["1234\n番号 56"], LABELLED), id="form-lines"
    ),
    pytest.param(
        Case("マイナ保険証がない方は記号 8801 番号 3 を記入", ["8801 番号 3"], LABELLED),
        id="myna-hokensho",
    ),
    pytest.param(
        Case(f"保険証 記号 12345 番号 67、保険者番号 {H1}", ["12345 番号 67", H1], LABELLED),
        id="card-and-insurer",
    ),
    pytest.param(
        Case(f"保険者番号{H2} 記号12345 番号67", [H2, "12345 番号67"], LABELLED),
        id="insurer-then-kigo-bango",
    ),
    pytest.param(Case("被保険者番号 12345678", ["12345678"], LABELLED), id="hihokensha-bango"),
    pytest.param(
        Case("後期高齢者医療の被保険者番号：００１２３４５６", ["００１２３４５６"], LABELLED),
        id="hihokensha-bango-fullwidth",
    ),
]

EVASION = [
    pytest.param(Case(f"保険者番号 {to_fullwidth(H1)}", [(6, 14)], LABELLED), id="fullwidth"),
    pytest.param(Case(f"保険者番号 {to_kanji(H2)}", [(6, 14)], LABELLED), id="kanji"),
    pytest.param(Case(f"保険者番号 {ZW.join(H3)}", [(6, 21)], LABELLED), id="zero-width"),
    pytest.param(Case(f"保険者番号 {H1[:4]} {H1[4:]}", [(6, 15)], LABELLED), id="space"),
    pytest.param(Case(f"保険者番号 {H2[:4]}\n{H2[4:]}", [(6, 15)], LABELLED), id="newline"),
    pytest.param(Case(f"保険者番号 {H1[:4]}ー{H1[4:]}", [(6, 15)], LABELLED), id="choon"),
    pytest.param(Case(f"保険者番号 {'.'.join(H3)}", [(6, 21)], LABELLED), id="dots"),
    pytest.param(
        Case("被保険者番号：１２３４－５６７８", ["１２３４－５６７８"], LABELLED),
        id="hihokensha-fw-hyphens",
    ),
    pytest.param(Case(f"保険者番号 {' '.join(K1)}", [(6, 17)], LABELLED), id="spaces-6"),
    pytest.param(
        Case(f"保険証の記号 1{ZW}2345 番号 6{ZW}7", [(7, 20)], LABELLED), id="kigo-zero-width"
    ),
    pytest.param(
        Case("保険証 記号：１２３４５　番号：６７", ["１２３４５　番号：６７"], LABELLED),
        id="kigo-fullwidth",
    ),
    pytest.param(
        Case("保険証 記号・番号 一二三四五ー六七", ["一二三四五ー六七"], LABELLED), id="kigo-kanji"
    ),
]

INVALID = [
    pytest.param(Case(H1), id="insurer-no-context"),
    pytest.param(Case(f"保険者番号 {BAD}"), id="insurer-bad-check"),
    pytest.param(
        Case(f"保険者番号 {make_insurer_number('20', '13', '527')}"), id="unknown-hobetsu"
    ),
    pytest.param(Case(f"保険者番号 {make_insurer_number('06', '48', '527')}"), id="bad-prefecture"),
    pytest.param(Case(f"保険者番号 {make_insurer_number('', '00', '263')}"), id="bad-prefecture-6"),
    pytest.param(Case(f"保険者番号 {H1}9"), id="9-digits"),
    pytest.param(Case(f"国保の保険者番号 {K1[:2]}-{K1[2:4]}-{K1[4:]}"), id="insurer-6-hyphenated"),
    pytest.param(Case("保険者番号 00000000"), id="one-repeated-digit"),
    pytest.param(Case("保険証の交付日 20240115"), id="date-8-digits"),
    pytest.param(Case("保険証の有効期限 2024-01-15"), id="date-hyphens"),
    pytest.param(Case("保険証の有効期限 24.01.15"), id="date-short"),
    pytest.param(Case(f"保険料 {H1}円"), id="amount-yen"),
    pytest.param(Case("保険料は1,234,567円"), id="amount-commas"),
    pytest.param(Case("記号 12345 番号 67"), id="kigo-bango-no-context"),
    pytest.param(
        Case("保険証と通帳を持参。ゆうちょ 記号 12345 番号 12345671"), id="yucho-label-nearer"
    ),
    pytest.param(Case("年金手帳 記号 1234 番号 567890"), id="nenkin-techo"),
    pytest.param(Case("被保険者証の記号、番号及び保険者番号を記載する"), id="law-text"),
    pytest.param(Case("健康保険法（大正十一年法律第七十号）第3条"), id="law-number-kanji"),
    pytest.param(Case("保険証の問い合わせ 03-1234-5678"), id="phone"),
    pytest.param(Case("被保険者番号 12345678901234"), id="hihokensha-bango-too-long"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_health_insurance(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "HEALTH_INSURANCE")


@pytest.mark.parametrize("body", ["0613527", "3927104", "14263", "3312001"])
def test_check_digit_matches_the_rule(body: str) -> None:
    assert insurer_check_digit(body) == check_digit(body)


def test_check_digit_worked_example() -> None:
    # 法別 33, 都道府県 12, 保険者別 001: products 6 3 2 2 0 0 2, sum 15 → 10 − 5 = 5.
    assert insurer_check_digit("3312001") == 5
