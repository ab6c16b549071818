"""CreditCardRecognizer (CREDIT_CARD): one table — valid, evasion, invalid."""

from __future__ import annotations

import itertools

import pytest

from guardrails import Guard
from guardrails.recognizers.credit_card import luhn_is_valid
from tests.guardrails._assertions import (
    Case,
    assert_findings,
    my_number_check_digit,
    to_fullwidth,
    to_kanji,
)


def luhn_check_digit(body: str) -> int:
    """Independent re-implementation of ISO/IEC 7812-1 Annex B (test data): double every
    second digit from the right of the body, add the digits, complete to a multiple of 10."""
    total = 0
    for i, d in enumerate(reversed(body)):
        value = int(d) * (2 if i % 2 == 0 else 1)
        total += sum(divmod(value, 10))
    return (10 - total % 10) % 10


def make_card(prefix: str, length: int, fill: str = "1234567890") -> str:
    """A synthetic PAN: the brand prefix, filler digits, the Luhn check digit."""
    body = (prefix + fill * 2)[: length - 1]
    return body + str(luhn_check_digit(body))


def break_luhn(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def groups(number: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start : start + size])
        start += size
    return sep.join(parts)


def card_hiding_a_my_number() -> str:
    """A valid Visa whose first 12 digits are also a valid マイナンバー: written 4-4-4-4
    with spaces, MY_NUMBER matches those 12 digits (spaces do not glue numbers)."""
    for tail in itertools.count():
        card = make_card("4", 16, fill=f"{tail:015d}")
        if int(card[11]) == my_number_check_digit(card[:11]):
            return card
    raise AssertionError("unreachable")


VISA = make_card("4", 16)
MASTER = make_card("53", 16)
MASTER_2 = make_card("2221", 16)
MASTER_2_TOP = make_card("2720", 16)
JCB = make_card("3528", 16)
JCB_TOP = make_card("3589", 16)
AMEX = make_card("37", 15)
AMEX_34 = make_card("34", 15)
DINERS = make_card("305", 14)
DINERS_36 = make_card("36", 14)
VISA_MN = card_hiding_a_my_number()
BAD = break_luhn(make_card("4", 16, fill="9876543210"))
DISCOVER = make_card("6011", 16)  # Luhn-valid, brand not in the list
ZW = "\u200b"
CHECKED = (1.0, 1.0)
CONTEXT_ONLY = (0.4, 0.5)

VALID = [
    pytest.param(Case(VISA, [VISA], CHECKED), id="visa-contiguous"),
    pytest.param(Case(groups(VISA, (4, 4, 4, 4), "-"), [(0, 19)], CHECKED), id="visa-4444-hyphen"),
    pytest.param(
        Case(f"カード番号：{groups(MASTER, (4, 4, 4, 4))}", [(6, 25)], CHECKED), id="mastercard"
    ),
    pytest.param(Case(MASTER_2, [MASTER_2], CHECKED), id="mastercard-2-series"),
    pytest.param(Case(MASTER_2_TOP, [MASTER_2_TOP], CHECKED), id="mastercard-2720"),
    pytest.param(Case(f"JCB {JCB}", [JCB], CHECKED), id="jcb"),
    pytest.param(Case(JCB_TOP, [JCB_TOP], CHECKED), id="jcb-3589"),
    pytest.param(Case(groups(AMEX, (4, 6, 5)), [(0, 17)], CHECKED), id="amex-4-6-5"),
    pytest.param(Case(AMEX_34, [AMEX_34], CHECKED), id="amex-34"),
    pytest.param(Case(groups(DINERS, (4, 6, 4)), [(0, 16)], CHECKED), id="diners-4-6-4"),
    pytest.param(Case(DINERS_36, [DINERS_36], CHECKED), id="diners-36"),
    pytest.param(
        Case(f"{groups(VISA, (4, 4, 4, 4))} 有効期限 12/27", [(0, 19)], CHECKED), id="with-expiry"
    ),
    pytest.param(
        Case(groups(VISA_MN, (4, 4, 4, 4)), [(0, 19)], CHECKED, others=False),
        id="wins-over-my-number-inside",
    ),
    pytest.param(Case(f"電話 03-1234-5678、カード {VISA}", [VISA], CHECKED), id="next-to-phone"),
    pytest.param(
        Case(f"クレジットカード番号 {BAD}", [BAD], CONTEXT_ONLY), id="bad-luhn-with-context"
    ),
    pytest.param(
        Case(f"カード番号は{DISCOVER}です", [DISCOVER], CONTEXT_ONLY), id="other-brand-context"
    ),
]

EVASION = [
    pytest.param(Case(to_fullwidth(VISA), [(0, 16)], CHECKED), id="fullwidth"),
    pytest.param(
        Case(to_fullwidth(groups(JCB, (4, 4, 4, 4), "-")), [(0, 19)], CHECKED), id="fw-hyphens"
    ),
    pytest.param(Case(to_kanji(MASTER), [(0, 16)], CHECKED), id="kanji"),
    pytest.param(Case(ZW.join(VISA), [(0, 31)], CHECKED), id="zero-width-every-digit"),
    pytest.param(Case(" ".join(AMEX), [(0, 29)], CHECKED), id="space-every-digit"),
    pytest.param(Case(groups(VISA, (4, 4, 4, 4), "."), [(0, 19)], CHECKED), id="dots"),
    pytest.param(Case(groups(VISA, (4, 4, 4, 4), "\n"), [(0, 19)], CHECKED), id="newlines"),
    pytest.param(Case(groups(MASTER, (4, 4, 4, 4), "ー"), [(0, 19)], CHECKED), id="choon"),
    pytest.param(Case(groups(JCB, (4, 4, 4, 4), "―"), [(0, 19)], CHECKED), id="horizontal-bar"),
    pytest.param(Case(groups(VISA, (4, 4, 4, 4), "　"), [(0, 19)], CHECKED), id="ideographic-sp"),
    pytest.param(
        Case(groups(to_kanji(AMEX), (4, 6, 5), "－"), [(0, 17)], CHECKED), id="kanji-grouped"
    ),
]

INVALID = [
    pytest.param(Case(BAD), id="bad-luhn-no-context"),
    pytest.param(Case(DISCOVER), id="unknown-brand-no-context"),
    pytest.param(Case(make_card("4", 15)), id="visa-wrong-length"),
    pytest.param(Case(make_card("37", 16)), id="amex-wrong-length"),
    pytest.param(Case(make_card("2220", 16)), id="below-2-series"),
    pytest.param(Case(make_card("3590", 16)), id="above-jcb"),
    pytest.param(Case(make_card("4", 13)), id="13-digits"),
    pytest.param(Case(VISA + "3"), id="17-digits"),
    pytest.param(Case(f"{groups(VISA, (4, 4, 4, 4), '-')}-1234"), id="20-digits-grouped"),
    pytest.param(Case("0000-0000-0000-0000"), id="one-repeated-digit"),
    pytest.param(Case(f"{VISA}円"), id="amount-yen"),
    pytest.param(Case("予算額は1,234,567円、決算額は12,345,678,901,234円"), id="amounts"),
    pytest.param(Case("20240115103045"), id="timestamp-14-digits"),
    pytest.param(Case("2024-01-15"), id="date"),
    pytest.param(Case("090-1234-5678"), id="phone"),
    pytest.param(Case("123456789018"), id="my-number"),
    pytest.param(Case("地方自治法第252条の17の2第1項"), id="law-article"),
    pytest.param(Case("平成十一年法律第百五十一号"), id="law-number-kanji"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_credit_card(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "CREDIT_CARD")


@pytest.mark.parametrize("card", [VISA, MASTER, JCB, AMEX, DINERS])
def test_luhn_matches_iso_7812(card: str) -> None:
    assert luhn_is_valid(card)
    assert not luhn_is_valid(break_luhn(card))
