"""Restricted purposes (the setting's syntax and matching) and thread memory bounds."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from service.pipeline.threads import Conversations
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


def test_thread_keeps_the_latest_turns_within_bounds() -> None:
    conversations = Conversations(max_turns=2, max_chars=1_000)
    thread = conversations.get("u1", "t1")
    for i in range(4):
        thread.add(f"質問{i}", f"回答{i}")
    assert [t.question for t in conversations.get("u1", "t1").turns] == ["質問2", "質問3"]


def test_thread_character_budget_drops_the_oldest_turns() -> None:
    thread = Conversations(max_turns=10, max_chars=200).get("u1", "t1")
    thread.add("最初の質問", "あ" * 90)
    thread.add("次の質問", "い" * 90)
    thread.add("三つ目", "う" * 500)  # longer than half the budget: cut
    turns = thread.turns
    assert sum(len(t) for t in turns) <= 200
    assert turns[-1].question == "三つ目" and len(turns[-1].answer) == 100
    assert "最初の質問" not in [t.question for t in turns]


def test_threads_belong_to_their_user_and_are_bounded() -> None:
    conversations = Conversations(max_turns=5, max_chars=1_000, max_threads=2)
    conversations.get("u1", "t").add("q", "a")
    assert conversations.get("u2", "t").turns == []
    conversations.get("u3", "x")
    assert len(conversations) == 2
    assert conversations.get("u1", "t").turns == []  # the least recently used was dropped
