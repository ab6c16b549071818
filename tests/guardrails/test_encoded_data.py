"""EncodedDataRecognizer (ENCODED_DATA): one table — valid, evasion, invalid.

Encodings that decode to text are scanned as that text (the other tables show it); what
stays encoded is reported."""

from __future__ import annotations

import base64

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

SCORE = (0.7, 0.7)
BINARY = base64.b64encode(bytes(range(0, 256, 7))).decode()

VALID = [
    pytest.param(Case(f"添付: {BINARY}", [BINARY], SCORE), id="base64-binary"),
    pytest.param(
        Case("%FF%FE%00%41 を送ります", ["%FF%FE%00%41"], SCORE), id="percent-undecodable"
    ),
    pytest.param(Case("値は \\ud800\\ud800 です", ["\\ud800\\ud800"], SCORE), id="lone-surrogates"),
]

EVASION = [
    pytest.param(Case(f"data:application/pdf;base64,{BINARY}", [BINARY], SCORE), id="data-uri"),
]

INVALID = [
    pytest.param(
        Case("https://www.city.yaizu.lg.jp/material/files/group/3/R6_GuideEN20240401.pdf"), id="url"
    ),
    pytest.param(Case("会議ID: 550e8400-e29b-41d4-a716-446655440000"), id="uuid"),
    pytest.param(Case("Internationalization and localization"), id="long-words"),
    pytest.param(
        Case("sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        id="hex-hash",
    ),
    pytest.param(Case("割引率は100%です"), id="percent-sign"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_encoded_data(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "ENCODED_DATA")
