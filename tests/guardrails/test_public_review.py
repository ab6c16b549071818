"""The ingest policy for documents declared public, and what they give the register.

One table (valid: indexed; invalid: withheld) with one assertion, then the harvest.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from guardrails import ORGANIZATION, PRIVATE_CONTACT, Guard, GuardrailsError, PublicBasis
from tests.guardrails._assertions import make_my_number


@dataclass(frozen=True)
class Chunk:
    text: str
    reasons: tuple[str, ...] = ()  # empty: indexed


def assert_review(guard: Guard, case: Chunk) -> None:
    review = guard.review_public_text(case.text)
    assert review.error is None
    assert review.withhold is bool(case.reasons), review
    assert tuple(review.reasons) == case.reasons, review.reasons


INDEXED = [
    pytest.param(
        Chunk(
            "第十二条の三　市町村長は、次に掲げる者から申出があり、かつ、当該申出を相当と認めるときは"
            "交付することができる。\n一　自己の権利を行使する必要がある者\n二　国又は地方公共団体の"
            "機関に提出する必要がある者\n三　前二号に掲げる者のほか、住民票の記載事項を利用する正当な"
            "理由がある者"
        ),
        id="law-items",
    ),
    pytest.param(
        Chunk(
            "第二十条　委員の任期は四年とする。ただし、補欠の委員の任期は、前任者の残任期間とする。"
        ),
        id="law-article-committee",
    ),
    pytest.param(
        Chunk(
            "問い合わせ：市民課（〒425-8502 焼津市本町2-16-32、電話054-626-1111、shimin@city.yaizu.lg.jp）"
        ),
        id="office-contacts",
    ),
    pytest.param(
        Chunk("グランドハイツ管理事務所　焼津市栄町1-2-3　054-611-2222"), id="no-owner-evidence"
    ),
    pytest.param(Chunk("○市長（山本一郎君）　お答えいたします。"), id="official-in-minutes"),
    pytest.param(Chunk("夜間の緊急連絡先：090-1234-5678（当番）"), id="mobile-is-reported-only"),
    pytest.param(Chunk("法人番号 7000020222127 の団体です。"), id="corporate-number-is-public"),
]

WITHHELD = [
    pytest.param(
        Chunk(f"記入例：個人番号 {make_my_number('12345678901')}", ("MY_NUMBER",)), id="my-number"
    ),
    pytest.param(
        Chunk("振込先　静岡銀行 本店営業部 普通 1234567", ("BANK_ACCOUNT",)), id="bank-account"
    ),
    pytest.param(
        Chunk("相談者：山田花子\n住所：焼津市本町1-2-3\n電話：054-611-2222", (PRIVATE_CONTACT,)),
        id="private-name-with-contact",
    ),
    pytest.param(Chunk("【部外秘】職員配置案", ("CONFIDENTIAL_MARKER",)), id="marking"),
]


@pytest.mark.parametrize("case", INDEXED + WITHHELD)
def test_ingest_policy(guard: Guard, case: Chunk) -> None:
    assert_review(guard, case)


def test_a_private_name_alone_is_reported_not_withheld(guard: Guard) -> None:
    review = guard.review_public_text("山田花子さんの作品が入選しました。")
    assert not review.withhold
    assert [f.type for f in review.findings] == ["PERSON"]
    assert review.values == []


def test_public_values_are_harvested_with_spans(guard: Guard) -> None:
    text = (
        "焼津市立図書館\n所在地：〒425-0071 焼津市三ケ名1550-2\n電話：054-623-3210\n"
        "問い合わせ：図書課 tosho@city.yaizu.lg.jp\n○館長（鈴木次郎君）"
    )
    review = guard.review_public_text(text)
    assert not review.withhold
    kinds = {(v.kind, v.value) for v in review.values}
    assert ("ADDRESS", "焼津市三ケ名1550-2") in kinds
    assert ("PHONE_NUMBER", "054-623-3210") in kinds
    assert ("EMAIL_ADDRESS", "tosho@city.yaizu.lg.jp") in kinds
    assert ("POSTAL_CODE", "425-0071") in kinds
    assert (ORGANIZATION, "焼津市立図書館") in kinds
    assert ("PERSON", "鈴木次郎") in kinds
    for value in review.values:
        assert text[value.start : value.end] == value.value
    entries = review.register_entries(source="library.html", locator="§1")
    assert {e.source for e in entries} == {"library.html"}
    assert all(e.locator == "§1" for e in entries)


def test_nothing_of_a_private_record_is_harvested(guard: Guard) -> None:
    text = "相談者：山田花子\n住所：焼津市本町1-2-3\n電話：054-611-2222"
    review = guard.review_public_text(text)
    assert review.withhold
    assert review.register_entries(source="x") == []
    assert all(v.kind != "PERSON" for v in review.values)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("江戸時代の儒学者、荻生徂徠の足跡をたどる講座です。", id="historical"),
        pytest.param("ふっかちゃんとぐんまちゃんが来場します！", id="listed-mascot"),
    ],
)
def test_names_public_by_context_or_list_are_not_harvested(guard: Guard, text: str) -> None:
    # Public here (reported, not withheld), but not registered: a resident who shares
    # the name would pass everywhere.
    review = guard.review_public_text(text)
    assert not review.withhold
    assert [f.public for f in review.findings if f.type == "PERSON"]
    assert all(f.public is not None for f in review.findings)
    assert all(v.kind != "PERSON" for v in review.values)


def test_mobile_numbers_are_never_harvested(guard: Guard) -> None:
    review = guard.review_public_text("市民課　当番携帯 090-1234-5678")
    assert all(v.kind != "PHONE_NUMBER" for v in review.values)
    assert [f.public for f in review.findings if f.type == "PHONE_NUMBER"] == [None]


def test_a_document_without_owner_evidence_publishes_its_values(guard: Guard) -> None:
    review = guard.review_public_text("グランドハイツ管理事務所　焼津市栄町1-2-3　054-611-2222")
    assert {f.public for f in review.findings} <= {
        PublicBasis.PUBLIC_DOCUMENT,
        PublicBasis.ORGANISATION,
    }


def test_review_refuses_non_text(guard: Guard) -> None:
    with pytest.raises(GuardrailsError):
        guard.review_public_text(b"bytes")  # type: ignore[arg-type]


def test_a_staff_mailbox_on_a_public_page_is_harvested(guard: Guard) -> None:
    # A staff member's mailbox that the city publishes goes to the register (and then
    # passes in prompts); a resident's named mailbox elsewhere is never harvested.
    review = guard.review_public_text("問い合わせ：市民課 住民記録係 t.yamada@city.yaizu.lg.jp")
    assert not review.withhold
    assert ("EMAIL_ADDRESS", "t.yamada@city.yaizu.lg.jp") in {
        (v.kind, v.value) for v in review.values
    }
    other = guard.review_public_text("連絡先 hanako.sato@example.co.jp")
    assert all(v.kind != "EMAIL_ADDRESS" for v in other.values)
