"""Repeated surnames (guardrails/_mentions.py): the surname alone after the full name."""

from __future__ import annotations

import pytest

from guardrails import Guard
from guardrails._mentions import repeated_surnames


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        pytest.param("妻の高木 由美。高木は", [(2, 7)], [(8, 10, 0)], id="after"),
        pytest.param("森は来た。森 一郎さん", [(5, 9)], [(0, 1, 0)], id="before"),
        pytest.param("キム・ミンジュさん。キムさん", [(0, 7)], [(10, 12, 0)], id="katakana"),
        pytest.param("森 一郎さん。森林と森林公園", [(0, 4)], [], id="inside-longer-words"),
        pytest.param("中野花子さん。中野さん", [(0, 4)], [], id="no-separator-no-split"),
        pytest.param("Maria Santos。Maria", [(0, 12)], [], id="latin-left-to-latin-names"),
    ],
)
def test_repeated_surnames(
    text: str, names: list[tuple[int, int]], expected: list[tuple[int, int, int]]
) -> None:
    assert repeated_surnames(text, names, names) == expected


@pytest.mark.parametrize(
    ("text", "persons"),
    [
        pytest.param(
            "お世話になっております。妻の岡田 恵の件で、岡田から電話します。",
            ["岡田 恵", "岡田"],
            id="resident-repeated",
        ),
        pytest.param("鈴木 一郎市長が出席。鈴木市長は", [], id="official-stays-public"),
    ],
)
def test_guard_follows_a_personal_surname(guard: Guard, text: str, persons: list[str]) -> None:
    result = guard.scan(text)
    personal = [
        text[f.start : f.end] for f in result.findings if f.type == "PERSON" and f.public is None
    ]
    assert personal == persons
