"""Scan results: the JSON contract, original offsets, overlaps and redaction labels."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from guardrails import ENTITY_LABELS_JA, Action, Finding, Guard, ScanResult
from tests.guardrails._assertions import make_my_number, to_fullwidth

MY_NUMBER = make_my_number("12345678901")

# The 18 entity names of the `yakuba guard scan` contract (design brief).
CONTRACT_TYPES = (
    "PERSON ADDRESS PHONE_NUMBER EMAIL_ADDRESS POSTAL_CODE MY_NUMBER CORPORATE_NUMBER "
    "RESIDENT_CODE BIRTH_DATE BANK_ACCOUNT CREDIT_CARD PASSPORT_NUMBER DRIVER_LICENSE "
    "HEALTH_INSURANCE PENSION_NUMBER RESIDENCE_CARD CONFIDENTIAL_MARKER DENYLIST_TERM"
).split()


# Types added since (the contract is extended, never broken): text the guard cannot
# decode, hence cannot check (recognizers/encoded_data.py).
EXTENSION_TYPES = ["ENCODED_DATA"]


def test_labels_cover_the_contract() -> None:
    assert sorted(ENTITY_LABELS_JA) == sorted(CONTRACT_TYPES + EXTENSION_TYPES)
    assert ENTITY_LABELS_JA["MY_NUMBER"] == "マイナンバー"
    assert ENTITY_LABELS_JA["PHONE_NUMBER"] == "電話番号"
    assert ENTITY_LABELS_JA["EMAIL_ADDRESS"] == "メールアドレス"
    assert ENTITY_LABELS_JA["DENYLIST_TERM"] == "非公開用語"


def test_json_contract(guard: Guard) -> None:
    text = f"マイナンバーは{MY_NUMBER}です"
    dumped = guard.scan(text).model_dump(mode="json", exclude_none=True)
    assert dumped == {
        "action": "block",
        "findings": [{"type": "MY_NUMBER", "start": 7, "end": 19, "score": 1.0}],
        "redacted": "マイナンバーは<マイナンバー>です",
    }
    assert json.loads(json.dumps(dumped, ensure_ascii=False)) == dumped


def test_clean_text_is_allowed_unchanged(guard: Guard) -> None:
    text = "地方自治法第252条の17の2について、やさしい日本語で説明してください。"
    result = guard.scan(text)
    assert result.model_dump(mode="json", exclude_none=True) == {
        "action": "allow",
        "findings": [],
        "redacted": text,
    }
    assert result.entity_counts() == {}


def test_empty_text(guard: Guard) -> None:
    result = guard.scan("")
    assert result.action is Action.ALLOW
    assert result.redacted == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            f"A：{MY_NUMBER}、B：090-1234-5678、C：taro@example.jp。",
            "A：<マイナンバー>、B：<電話番号>、C：<メールアドレス>。",
            id="three-types",
        ),
        pytest.param(
            f"㈱の担当、番号は{to_fullwidth(MY_NUMBER)}です",
            "㈱の担当、番号は<マイナンバー>です",
            id="offsets-after-expanding-char",
        ),
        pytest.param(
            "\u200b\u200b電話\u200b090\u200b-1234-5678",
            "\u200b\u200b電話\u200b<電話番号>",
            id="offsets-after-removed-chars",
        ),
        pytest.param(
            "連絡先はtaro.yamada@city.example.lg.jpです",
            "連絡先は<メールアドレス>です",
            id="email-in-japanese",
        ),
    ],
)
def test_redaction_labels_and_original_offsets(guard: Guard, text: str, expected: str) -> None:
    result = guard.scan(text)
    assert result.redacted == expected
    # Offsets index the original string: cutting them out and inserting the labels
    # rebuilds the redacted text.
    rebuilt, last = [], 0
    for finding in result.findings:
        rebuilt.append(text[last : finding.start])
        rebuilt.append(f"<{ENTITY_LABELS_JA[finding.type]}>")
        last = finding.end
    rebuilt.append(text[last:])
    assert "".join(rebuilt) == expected


def test_findings_are_sorted_and_do_not_overlap(guard: Guard) -> None:
    text = f"{MY_NUMBER} 03-1234-5678 {MY_NUMBER} a@b.jp +81-3-1234-5678"
    findings = guard.scan(text).findings
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
    assert len(findings) == 5


def test_entity_counts(guard: Guard) -> None:
    result = guard.scan(f"{MY_NUMBER} 090-1234-5678 090-8765-4321")
    assert result.entity_counts() == {"MY_NUMBER": 1, "PHONE_NUMBER": 2}


def test_overall_action_is_never_warn() -> None:
    with pytest.raises(ValidationError):
        ScanResult(action=Action.WARN, redacted="x")


def test_a_failed_scan_cannot_allow() -> None:
    with pytest.raises(ValidationError):
        ScanResult(action=Action.ALLOW, redacted="x", error="guard_error")


def test_finding_validation() -> None:
    with pytest.raises(ValidationError):
        Finding(type="MY_NUMBER", start=5, end=2, score=1.0)
    with pytest.raises(ValidationError):
        Finding(type="MY_NUMBER", start=0, end=2, score=1.5)


def test_results_are_immutable(guard: Guard) -> None:
    result = guard.scan("090-1234-5678")
    with pytest.raises(ValidationError):
        result.action = Action.ALLOW  # type: ignore[misc]
