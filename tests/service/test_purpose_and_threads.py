"""Restricted purposes (the setting's syntax and matching); the thread bounds are in
test_threads_store.py."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.purpose import PurposeAction, PurposePolicy
from service.settings import Settings

POLICY = "答弁資料:refuse, 予算編成：warn、重要政策決定,FAQ:拒否,広報:警告"


@pytest.mark.parametrize(
    ("purpose", "expected"),
    [
        # exact, inside a longer purpose, NFKC (full-width, ideographic space), case
        ("答弁資料", ("答弁資料", PurposeAction.REFUSE)),
        ("12月議会の答弁資料の作成", ("答弁資料", PurposeAction.REFUSE)),
        ("答弁\u3000資料", ("答弁資料", PurposeAction.REFUSE)),
        ("来年度の予算編成", ("予算編成", PurposeAction.WARN)),
        ("重要政策決定の補助", ("重要政策決定", PurposeAction.REFUSE)),
        ("ｆａｑ整備", ("FAQ", PurposeAction.REFUSE)),
        ("広報紙の原稿", ("広報", PurposeAction.WARN)),
        # refuse wins over warn when both match
        ("予算編成の答弁資料", ("答弁資料", PurposeAction.REFUSE)),
        # no match
        ("窓口案内", None),
        ("", None),
    ],
)
def test_purpose_matching(purpose: str, expected: tuple[str, PurposeAction] | None) -> None:
    decision = PurposePolicy.parse(POLICY).check(purpose)
    if expected is None:
        assert decision is None
    else:
        assert decision is not None
        assert (decision.rule.term, decision.rule.action) == expected
        assert decision.rule.term in decision.message


def test_empty_policy_allows_everything() -> None:
    assert PurposePolicy.parse("").check("答弁資料") is None


@pytest.mark.parametrize("spec", ["答弁資料:deny", ":refuse", "予算編成:warn,:warn"])
def test_bad_policy_stops_the_start_up(spec: str) -> None:
    with pytest.raises(ValueError):
        PurposePolicy.parse(spec)
    with pytest.raises(ValidationError):
        Settings(restricted_purposes=spec)
