"""Whether a mailbox's local part is a person's name (``guardrails._romaji_names``):
one table — names (valid), units' mailboxes (invalid)."""

from __future__ import annotations

import pytest

from guardrails._romaji_names import romaji_names

PERSONS = [
    "t.yamada", "yamada.t", "h_suzuki", "s.takahashi2", "k-ito", "itoh.k", "sato_k",
    "yamada.taro", "taro.yamada", "yamada-taro", "satou.hanako", "kenji.ogawa",
    "tanaka", "watanabe", "tyamada", "yamadataro",
]  # fmt: skip
UNITS = [
    "shiminka", "shimin", "kosodate-shien", "bousai", "info", "zeimu", "kouhou",
    "gomi-taisaku", "kenkou-suishin", "koseki", "fukushi", "minato", "shoukou",
    "kaikei", "webmaster01", "noreply", "kokusai-koryu", "hoken-nenkin",
]  # fmt: skip


@pytest.mark.parametrize(
    ("local", "person"),
    [pytest.param(n, True, id=f"person-{n}") for n in PERSONS]
    + [pytest.param(n, False, id=f"unit-{n}") for n in UNITS],
)
def test_local_part(local: str, person: bool) -> None:
    assert romaji_names().names_a_person(local) is person
