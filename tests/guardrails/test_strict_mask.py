"""strict_mask: the audit text of a blocked prompt keeps nothing that could identify
anyone, whether or not the first pass found it."""

from __future__ import annotations

import pytest

from guardrails import Action, Guard, ScanResult, strict_mask
from guardrails._labels import UNSCANNABLE_LABEL

# (prompt, raw values that must not survive, words that should survive for the auditor)
CASES = [
    pytest.param(
        "生年月日：昭和50年1月2日、静岡県焼津市本町5-6-1在住の柚木毅文さんの介護認定について",
        ["昭和50", "本町5-6-1", "柚木", "毅文"],
        ["介護認定"],
        id="rare-given-name-next-to-findings",
    ),
    pytest.param(
        "Hello, I am Maria Santos and I moved to Sakura City. Phone ０９０・１２３４・５６７８.",
        ["Maria", "Santos", "Sakura", "０９０", "５６７８"],
        ["moved"],
        id="latin-name-city-fullwidth-phone",
    ),
    pytest.param(
        "我叫王伟，电话〇九〇一二三四五六七八",
        ["王伟", "〇九〇", "五六七八"],
        ["我叫"],
        id="chinese-kanji-digits",
    ),
    pytest.param(
        "제 이름은 김민준입니다. 주오초 2-5-12에 살고 있습니다",
        ["김민준", "주오초", "2-5-12"],
        ["살고"],
        id="korean",
    ),
    pytest.param(
        "相談者 Nguyen Thi Lan（ベトナム）から相談。三十一日に来庁、連絡は lan.nguyen@example.vn",
        ["Nguyen", "Lan", "ベトナム", "三十一", "lan.nguyen@example.vn"],
        ["相談"],
        id="role-label-kanji-number-mail",
    ),
]


@pytest.mark.parametrize(("prompt", "hidden", "kept"), CASES)
def test_nothing_identifying_survives(
    guard: Guard, prompt: str, hidden: list[str], kept: list[str]
) -> None:
    result = guard.scan(prompt)
    assert result.blocked
    masked = guard.strict_mask(prompt, result)
    for value in hidden:
        assert value not in masked, (value, masked)
    for word in kept:
        assert word in masked, (word, masked)
    assert masked == strict_mask(prompt, result)  # the function and the method agree


def test_second_pass_is_independent_of_the_first(guard: Guard) -> None:
    # A result that found nothing: the second pass alone still masks the name and number.
    prompt = "相談者は柚木毅文さん、電話は〇九〇一二三四五六七八。"
    empty = ScanResult(action=Action.BLOCK, findings=[], redacted=prompt)
    masked = guard.strict_mask(prompt, empty)
    assert "柚木" not in masked and "毅文" not in masked and "〇九〇" not in masked


def test_failed_scan_masks_everything(guard: Guard) -> None:
    failed = ScanResult(
        action=Action.BLOCK, findings=[], redacted=UNSCANNABLE_LABEL, error="guard_error"
    )
    assert guard.strict_mask("山田太郎", failed) == UNSCANNABLE_LABEL


def test_findings_keep_their_type_labels(guard: Guard) -> None:
    prompt = "マイナンバーは123456789018です"
    result = guard.scan(prompt)
    assert "<マイナンバー>" in guard.strict_mask(prompt, result)
