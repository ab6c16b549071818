"""explain_ja: what was found (partly hidden), how to rephrase; never the raw value."""

from __future__ import annotations

import re

import pytest

from guardrails import Action, Finding, Guard, ScanResult, explain_ja
from tests.guardrails._assertions import load_cases, make_my_number, to_fullwidth, to_kanji

MY_NUMBER = make_my_number("12345678901")


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        pytest.param(
            f"マイナンバーは{MY_NUMBER}です", "マイナンバー（1234********）", id="my-number"
        ),
        pytest.param(
            f"番号 {MY_NUMBER[:4]}-{MY_NUMBER[4:8]}-{MY_NUMBER[8:]}",
            "マイナンバー（1234-****-****）",
            id="my-number-grouped",
        ),
        pytest.param("携帯は090-1234-5678です", "電話番号（090-****-****）", id="mobile"),
        pytest.param("電話 03-1234-5678", "電話番号（03-****-****）", id="fixed"),
        pytest.param(
            "連絡先はtaro.yamada@example.jpです",
            "メールアドレス（ta****@…）",
            id="email",
        ),
        pytest.param(
            "ｔａｒｏｕ＠ｅｘａｍｐｌｅ．ｊｐ", "メールアドレス（ｔ****@…）", id="email-fw"
        ),
    ],
)
def test_block_message_names_the_finding(guard: Guard, text: str, excerpt: str) -> None:
    result = guard.scan(text)
    message = explain_ja(text, result)
    assert excerpt in message
    assert "送信を止めました" in message
    assert "〇〇" in message
    assert "個人が特定できない" in message


@pytest.mark.parametrize(
    "text",
    [
        f"マイナンバーは{MY_NUMBER}です",
        f"{to_fullwidth(MY_NUMBER)}",
        f"{to_kanji(MY_NUMBER)}",
        " ".join(MY_NUMBER),
        "\u200b".join(MY_NUMBER),
        f"{MY_NUMBER[:4]}\n{MY_NUMBER[4:8]}\n{MY_NUMBER[8:]}",
        "携帯は090-1234-5678、固定は0123-45-6789",
        "+81-90-1234-5678",
        "連絡先はtaro.yamada@city.example.lg.jpです",
        "ab@x.jp",
    ],
)
def test_message_never_contains_the_raw_value(guard: Guard, text: str) -> None:
    result = guard.scan(text)
    assert result.findings
    message = explain_ja(text, result)
    digits_in_message = re.sub(r"\D", "", message)
    for finding in result.findings:
        raw = text[finding.start : finding.end]
        assert raw not in message
        raw_digits = re.sub(r"\D", "", raw)
        if raw_digits:
            assert raw_digits not in digits_in_message
        local = raw.split("@")[0]
        if "@" in raw:
            assert local not in message


def test_nothing_found_means_no_message(guard: Guard) -> None:
    text = "例規集の第3条第2項を要約してください"
    assert explain_ja(text, guard.scan(text)) == ""


def test_mask_and_warn_messages() -> None:
    text = "携帯は090-1234-5678です"
    finding = Finding(type="PHONE_NUMBER", start=3, end=16, score=0.6)
    masked = explain_ja(text, ScanResult(action=Action.MASK, findings=[finding], redacted="x"))
    assert "置き換えてから送信しました" in masked
    assert "090-****-****" in masked
    warned = explain_ja(text, ScanResult(action=Action.ALLOW, findings=[finding], redacted="x"))
    assert "090-****-****" in warned
    assert "090-1234-5678" not in masked + warned


def test_offsets_that_do_not_fit_the_text_show_only_the_label() -> None:
    finding = Finding(type="MY_NUMBER", start=0, end=50, score=1.0)
    result = ScanResult(action=Action.BLOCK, findings=[finding], redacted="x")
    assert "・マイナンバー\n" in explain_ja("short", result)


@pytest.mark.parametrize(
    ("text", "reason"),
    [pytest.param(row["text"], row["reason"], id=row["id"]) for row in load_cases("explained")],
)
def test_message_names_the_deciding_words(guard: Guard, text: str, reason: str) -> None:
    result = guard.scan(text)
    message = explain_ja(text, result)
    assert reason in message
    if any(f.public is None for f in result.findings):
        assert result.blocked and "送信を止めました" in message
    else:  # public findings only: listed apart, with the reason they passed
        assert message.startswith("次の内容は公開情報と判断し")
        assert "送信を止めました" not in message


def test_personal_and_public_findings_in_one_message(guard: Guard) -> None:
    text = "【部外秘】人事異動案\n\n問い合わせ：市民課 054-626-1111"
    message = explain_ja(text, guard.scan(text))
    personal, public = message.split("次の内容は公開情報と判断し")
    assert "送信を止めました" in personal and "機密表示" in personal
    assert "電話番号（" not in personal
    assert "電話番号（054-***-****）" in public
