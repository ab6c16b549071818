"""Check digits of the Japanese identifiers the generator produces.

Written from the published rules (each function cites its source), independently of
the guard's own recognisers, so that the benchmark does not grade the guard against
itself. Every function takes and returns ASCII digit strings.
"""

from __future__ import annotations


def _digits(value: str, length: int) -> list[int]:
    if len(value) != length or not value.isascii() or not value.isdigit():
        raise ValueError(f"expected exactly {length} ASCII digits, got {value!r}")
    return [int(c) for c in value]


def my_number_check_digit(first_eleven: str) -> str:
    """マイナンバー (個人番号), 12 digits.

    行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 第8条:
    with Pn the n-th digit from the right of the first 11, Qn = n + 1 (1 ≤ n ≤ 6) and
    n - 5 (7 ≤ n ≤ 11); r = ΣPn·Qn mod 11; check digit = 0 if r ≤ 1 else 11 - r.
    """
    digits = _digits(first_eleven, 11)
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(digits), 1))
    r = total % 11
    return "0" if r <= 1 else str(11 - r)


def corporate_number_check_digit(last_twelve: str) -> str:
    """法人番号, 13 digits, the check digit comes FIRST.

    法人番号の指定等に関する省令 第2条: with Pn the n-th digit from the right of the
    12-digit base number, Qn = 1 for odd n and 2 for even n; check digit =
    9 - (ΣPn·Qn mod 9).
    """
    digits = _digits(last_twelve, 12)
    total = sum(p * (1 if n % 2 else 2) for n, p in enumerate(reversed(digits), 1))
    return str(9 - total % 9)


def modulus11_weights_2_to_7(body: str) -> str:
    """Modulus 11 with weights 2, 3, 4, 5, 6, 7, 2, 3 … from the lowest digit.

    r = Σ digit·weight mod 11; check digit = 0 if r ≤ 1 else 11 - r. Used by:

    * 住民票コード (11 digits): 住民基本台帳法施行規則 第1条 (the 11th digit is the
      検査数字 of the first ten);
    * 運転免許証番号 (12 digits): the 11th digit checks the first ten. The 警察庁 does
      not publish this; the rule here is the one widely documented for real licences,
      used only so that generated numbers look like real ones.
    """
    digits = _digits(body, len(body))
    total = sum(p * (2 + (n % 6)) for n, p in enumerate(reversed(digits)))
    r = total % 11
    return "0" if r <= 1 else str(11 - r)


def luhn_check_digit(payload: str) -> str:
    """Luhn (ISO/IEC 7812-1 Annex B) check digit appended to ``payload``.

    Used for payment cards and for the 検証番号 of a health-insurance 保険者番号
    (厚生労働省 保険者番号の設定: モジュラス10・ウエイト2・1分割, the same algorithm).
    """
    digits = _digits(payload, len(payload))
    total = 0
    for n, p in enumerate(reversed(digits)):
        if n % 2 == 0:  # the rightmost payload digit is doubled
            p *= 2
            if p > 9:
                p -= 9
        total += p
    return str((10 - total % 10) % 10)


def luhn_is_valid(number: str) -> bool:
    """True when the last digit of ``number`` is its Luhn check digit."""
    return len(number) >= 2 and luhn_check_digit(number[:-1]) == number[-1]


def is_valid_my_number(number: str) -> bool:
    return len(number) == 12 and my_number_check_digit(number[:11]) == number[11]


def is_valid_corporate_number(number: str) -> bool:
    return len(number) == 13 and corporate_number_check_digit(number[1:]) == number[0]


def is_valid_resident_code(number: str) -> bool:
    return len(number) == 11 and modulus11_weights_2_to_7(number[:10]) == number[10]


def is_valid_driver_license(number: str) -> bool:
    return len(number) == 12 and modulus11_weights_2_to_7(number[:10]) == number[10]
