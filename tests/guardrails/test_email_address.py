"""EmailAddressRecognizer (EMAIL_ADDRESS): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

VALID_SCORE = (1.0, 1.0)
ADDR = "taro.yamada@city.example.lg.jp"

VALID = [
    pytest.param(Case(ADDR, [(0, 30)], VALID_SCORE), id="bare"),
    # The design brief's regression: the match must not swallow adjacent Japanese.
    pytest.param(Case(f"連絡先は{ADDR}です", [(4, 34)], VALID_SCORE), id="japanese-around"),
    pytest.param(Case(f"「{ADDR}」", [ADDR], VALID_SCORE), id="brackets"),
    pytest.param(Case(f"宛先：{ADDR}。", [ADDR], VALID_SCORE), id="sentence-end-dot"),
    pytest.param(
        Case(
            "メールはhanako_suzuki+faq@mail.example.co.jpへ",
            ["hanako_suzuki+faq@mail.example.co.jp"],
            VALID_SCORE,
        ),
        id="plus-underscore",
    ),
    pytest.param(Case("<a.b-c@example.com>", ["a.b-c@example.com"], VALID_SCORE), id="angle"),
    pytest.param(Case("Taro.Yamada@Example.JP", [(0, 22)], VALID_SCORE), id="upper-case"),
    pytest.param(Case("taro..yamada.@docomo.ne.jp", [(0, 26)], VALID_SCORE), id="carrier-dots"),
    pytest.param(
        Case("a@x.jp, b@y.example.com", ["a@x.jp", "b@y.example.com"], VALID_SCORE), id="two"
    ),
    pytest.param(Case("mailto:info@example.org", ["info@example.org"], VALID_SCORE), id="mailto"),
    pytest.param(Case("a%b@example.jp", ["a%b@example.jp"], VALID_SCORE), id="percent"),
    # What is written right before an address stays outside it: the local part holds
    # only letters, digits and . _ % + - (a phone number before a slash is not in it).
    pytest.param(
        Case(
            "土井様（0126793468／doi.hanna.8@example.jp）",
            ["doi.hanna.8@example.jp"],
            VALID_SCORE,
        ),
        id="phone-slash-before",
    ),
    pytest.param(
        Case("0285－32－1763／m-takahashi87@example.ne.jp", ["m-takahashi87@example.ne.jp"]),
        id="hyphenated-phone-slash-before",
    ),
    pytest.param(
        Case("042(759)1774/kondo.chiyo.9@example.com", ["kondo.chiyo.9@example.com"]),
        id="bracketed-phone-slash-before",
    ),
    pytest.param(Case("担当：山田様／yamada@example.jp", ["yamada@example.jp"]), id="name-slash"),
    pytest.param(Case("宛先=taro@example.jp", ["taro@example.jp"]), id="equals-before"),
    pytest.param(Case("o'brien@example.com", ["brien@example.com"]), id="rare-char-cut"),
]

EVASION = [
    pytest.param(Case("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", [(0, 15)], VALID_SCORE), id="fullwidth"),
    pytest.param(Case("連絡先はtaro＠example.jpです", [(4, 19)], VALID_SCORE), id="fw-at"),
    pytest.param(Case("taro\u200b@example.jp", [(0, 16)], VALID_SCORE), id="zero-width-before-at"),
    pytest.param(Case("TARO@EXAMPLE．ＪＰ", [(0, 15)], VALID_SCORE), id="mixed-width"),
    # Obfuscated the way people dodge a pattern (issue 12): judged by the address spelt.
    pytest.param(
        Case("返信先 sato.k[at]city.example.lg.jp", ["sato.k[at]city.example.lg.jp"], VALID_SCORE),
        id="brackets-at",
    ),
    pytest.param(
        Case("mail: ana (at) example (dot) com.br", ["ana (at) example (dot) com.br"], VALID_SCORE),
        id="paren-at-dot",
    ),
    pytest.param(
        Case(
            "write to jose at example dot co dot jp", ["jose at example dot co dot jp"], VALID_SCORE
        ),
        id="words",
    ),
    pytest.param(
        Case(
            "kim.minji アットマーク example.jp まで",
            ["kim.minji アットマーク example.jp"],
            VALID_SCORE,
        ),
        id="katakana-at",
    ),
    pytest.param(
        Case("le.hoa%40example.vn", ["le.hoa%40example.vn"], VALID_SCORE), id="percent-at"
    ),
    pytest.param(Case("taro&#64;example.jp", ["taro&#64;example.jp"], VALID_SCORE), id="html-at"),
    pytest.param(Case("nam @ example.com", ["nam @ example.com"], VALID_SCORE), id="spaced-at"),
    # A free-mail address stays a person's beside a school's name, disguised or not.
    pytest.param(
        Case(
            "連絡先メール：deb.drake41[at]yahoo.co.jp（東益津中学校の件）",
            ["deb.drake41[at]yahoo.co.jp"],
            VALID_SCORE,
        ),
        id="disguised-free-mail-beside-a-school",
    ),
]

INVALID = [
    pytest.param(Case("taro@example"), id="no-tld"),
    pytest.param(Case("taro@example.c0m"), id="digit-tld"),
    pytest.param(Case("taro@example.j"), id="one-letter-tld"),
    pytest.param(Case("taro@-example.jp"), id="label-leading-hyphen"),
    pytest.param(Case("@example.jp"), id="no-local-part"),
    pytest.param(Case("メールアドレスは後で送ります"), id="word-only"),
    pytest.param(Case("第3条@2項"), id="no-domain"),
    pytest.param(Case("example.jp"), id="domain-only"),
    pytest.param(Case(f"{'a' * 65}@example.jp"), id="local-part-too-long"),
    pytest.param(Case("Details are available at www.city.yaizu.lg.jp."), id="available-at-www"),
    pytest.param(Case("Please visit us at yaizu.lg.jp/en for more."), id="visit-us-at-url"),
    pytest.param(Case("I'll be at home.Tomorrow I work."), id="sentence-full-stop"),
    pytest.param(Case("We meet at city hall."), id="meet-at"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_email_address(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "EMAIL_ADDRESS")
