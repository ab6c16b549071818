"""BankAccountRecognizer (BANK_ACCOUNT): one table — valid, evasion, invalid.

The ゆうちょ numbers were chosen so that their digits pass neither the 法人番号 nor the
マイナンバー check digit (another recogniser would otherwise rightly claim them too).
"""

from __future__ import annotations

import pytest

from guardrails import Guard
from guardrails.recognizers.bank_account import BankAccountRecognizer, is_full_yucho_shape
from tests.guardrails._assertions import Case, assert_findings

ZW = "\u200b"
LABELLED = (0.85, 0.85)  # 普通 / 口座番号 right before, or codes / 記号 with a bank word
BANK_NEARBY = (0.6, 0.6)  # a bank word earlier on the line
YUCHO_SHAPE = (0.5, 0.5)  # 1xxxx-xxxxxxx1 without context

VALID = [
    pytest.param(Case("○○銀行 △△支店 普通 1234567", ["1234567"], LABELLED), id="bank-branch-type"),
    pytest.param(Case("普通預金 口座番号1234567", ["1234567"], LABELLED), id="type-and-label"),
    pytest.param(Case("当座 7654321 に振り込む", ["7654321"], LABELLED), id="current-account"),
    pytest.param(Case("貯蓄預金：2345678", ["2345678"], LABELLED), id="savings"),
    pytest.param(Case("口座番号：2345678", ["2345678"], LABELLED), id="label"),
    pytest.param(Case("振込口座 No.3456789", ["3456789"], LABELLED), id="label-no"),
    pytest.param(Case("(普通)4567890", ["4567890"], LABELLED), id="type-in-brackets"),
    pytest.param(
        Case("○○銀行 新宿支店（普）5678901", ["5678901"], LABELLED), id="type-abbreviated"
    ),
    pytest.param(Case("○○信用金庫 本店 3456789", ["3456789"], BANK_NEARBY), id="shinkin"),
    pytest.param(Case("△△農協 □□支所の 4567890", ["4567890"], BANK_NEARBY), id="ja"),
    pytest.param(
        Case("○○銀行(0001) △△支店(123) 5678901", ["5678901"], BANK_NEARBY),
        id="codes-in-brackets",
    ),
    pytest.param(Case("振込先 0001-123-1234567", ["0001-123-1234567"], LABELLED), id="codes-4-3-7"),
    pytest.param(
        Case("金融機関コード 0005 123 1 7654321", ["0005 123 1 7654321"], LABELLED),
        id="codes-with-type",
    ),
    pytest.param(Case("12345-12345671", ["12345-12345671"], YUCHO_SHAPE), id="yucho-bare"),
    pytest.param(
        Case("記号12340 番号12345671", ["12340 番号12345671"], LABELLED), id="yucho-kigo-bango"
    ),
    pytest.param(
        Case("ゆうちょ銀行 記号：10120 番号：9876541", ["10120 番号：9876541"], LABELLED),
        id="yucho-7-digit-bango",
    ),
    pytest.param(Case("ゆうちょ 13570-246801", ["13570-246801"], LABELLED), id="yucho-short"),
    pytest.param(Case("普通 1234567、当座 7654321", ["1234567", "7654321"], LABELLED), id="two"),
    pytest.param(Case("口座番号は2345678です", ["2345678"], LABELLED), id="label-wa"),
    pytest.param(
        Case("ゆうちょ銀行の記号番号は12345-12345671です", ["12345-12345671"], LABELLED),
        id="yucho-kigo-bango-label",
    ),
    pytest.param(
        Case("ゆうちょ銀行 記号・番号：13570-24680131", ["13570-24680131"], LABELLED),
        id="yucho-kigo-nakaguro-bango-label",
    ),
    # 記号 and 番号 written as one 13-digit number: only with a context word.
    pytest.param(
        Case("ゆうちょ銀行の記号番号は1234512345671です", ["1234512345671"], LABELLED),
        id="yucho-contiguous",
    ),
]

EVASION = [
    pytest.param(Case("普通　１２３４５６７", [(3, 10)], LABELLED), id="fullwidth"),
    pytest.param(Case(f"普通 123{ZW}4567", [(3, 11)], LABELLED), id="zero-width"),
    pytest.param(Case("普通 123 4567", ["123 4567"], LABELLED), id="space-inside"),
    pytest.param(Case("口座番号 1234-567", ["1234-567"], LABELLED), id="hyphen-inside"),
    pytest.param(Case("口座番号 1 2 3 4 5 6 7", ["1 2 3 4 5 6 7"], LABELLED), id="spaced-digits"),
    pytest.param(Case("普通 一二三四五六七", [(3, 10)], LABELLED), id="kanji"),
    pytest.param(Case("口座番号\n1234567", ["1234567"], LABELLED), id="label-newline"),
    pytest.param(
        Case("１２３４５－１２３４５６７１", [(0, 14)], YUCHO_SHAPE), id="yucho-fullwidth"
    ),
    pytest.param(Case("12345ー12345671", [(0, 14)], YUCHO_SHAPE), id="yucho-choon"),
    pytest.param(
        Case(f"記号 12340{ZW} 番号 1234{ZW}5671", [(3, 22)], LABELLED), id="yucho-zero-width"
    ),
    pytest.param(
        Case("振込先 ０００１－１２３－１２３４５６７", [(4, 20)], LABELLED), id="codes-fullwidth"
    ),
    pytest.param(
        Case("振込先 0001/123/1234567", ["0001/123/1234567"], LABELLED), id="codes-slashes"
    ),
    pytest.param(Case("口座番号は661\n2546です。", ["661\n2546"], LABELLED), id="newline-inside"),
    pytest.param(
        Case("ゆうちょ銀行の記号番号は13570.24680131です。", ["13570.24680131"], LABELLED),
        id="yucho-dot",
    ),
    pytest.param(
        Case("ゆうちょ銀行の記号番号は13570\r\n24680131です。", ["13570\r\n24680131"], LABELLED),
        id="yucho-crlf",
    ),
    pytest.param(
        Case(
            "ゆうちょ 記号番号：1 2 3 4 5 1 2 3 4 5 6 7 1", ["1 2 3 4 5 1 2 3 4 5 6 7 1"], LABELLED
        ),
        id="yucho-digit-by-digit",
    ),
    pytest.param(
        Case(
            "ゆうちょ 記号番号：１　２　３　４　５　１　２　３　４　５　６　７　１",
            [(10, 35)],
            LABELLED,
        ),
        id="yucho-ideographic-spaces",
    ),
    pytest.param(
        Case("ゆうちょ銀行 記号・番号：一二三四五一二三四五六七一", [(13, 26)], LABELLED),
        id="yucho-kanji",
    ),
]

INVALID = [
    pytest.param(Case("1234567"), id="bare-7-digits"),
    pytest.param(Case("受付番号 1234567"), id="other-label"),
    pytest.param(
        Case("銀行振込の場合、受付番号1234567をご記入ください"), id="bank-word-other-label"
    ),
    pytest.param(Case("普通地方公共団体 1234567"), id="futsuu-in-a-word"),
    pytest.param(Case("普通交付税 1234567千円"), id="amount-sen-en"),
    pytest.param(Case("普通 1234567円"), id="amount-yen"),
    pytest.param(Case("口座数 1234567"), id="count"),
    pytest.param(Case("当座の資金 1234567"), id="touza-everyday-word"),
    pytest.param(Case("0001-123-1234567"), id="codes-without-context"),
    pytest.param(Case("12345-1234"), id="yucho-short-without-context"),
    pytest.param(Case("12345-12345678"), id="yucho-8-not-ending-in-1"),
    pytest.param(Case("02345-12345671"), id="kigo-not-starting-with-1"),
    pytest.param(Case("1234512345671"), id="yucho-contiguous-without-context"),
    pytest.param(Case("普通は 1234567"), id="futsuu-wa-everyday-word"),
    pytest.param(Case("普通 12345678"), id="8-digits"),
    pytest.param(Case("普通 123456"), id="6-digits"),
    pytest.param(Case("普通 0000000"), id="placeholder"),
    pytest.param(Case("○○銀行 〒100-0005 東京都千代田区丸の内"), id="bank-postal-code"),
    pytest.param(Case("○○銀行 電話 03-1234-5678"), id="bank-phone"),
    pytest.param(Case("銀行 2024-01-15"), id="bank-date"),
    pytest.param(Case("令和5年法律第48号"), id="law-number"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_bank_account(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "BANK_ACCOUNT")


@pytest.mark.parametrize(
    ("text", "full"),
    [
        ("12345-12345671", True),
        ("12345 番号12345671", True),
        ("12345-12345678", False),
        ("12345-1234561", False),
    ],
)
def test_yucho_full_shape(text: str, full: bool) -> None:
    assert is_full_yucho_shape(text) is full


def test_defaults_are_overridable() -> None:
    recognizer = BankAccountRecognizer(context=["独自語"])
    assert recognizer.context == ["独自語"]
    assert recognizer.supported_entities == ["BANK_ACCOUNT"]
