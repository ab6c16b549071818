"""The public register: canonical keys, provenance, versions, threads, and the guard
consulting it (a registered value is public in prompts, passages and outputs)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from guardrails import (
    Guard,
    GuardrailsError,
    PublicBasis,
    PublicRegister,
    RegisterEntry,
    build_guard,
    register_key,
)

SOURCE = "faq/shimin.html"


@pytest.mark.parametrize(
    ("kind", "forms"),
    [
        pytest.param(
            "PHONE_NUMBER",
            [
                "054-626-1111",
                "０５４（６２６）１１１１",
                "(054)626-1111",
                "+81-54-626-1111",
                "0546261111",
            ],
            id="phone",
        ),
        pytest.param(
            "ADDRESS",
            [
                "静岡県焼津市本町2丁目16番32号",
                "焼津市本町２－１６－３２",
                "焼津市本町二丁目十六番三十二号",
                "静岡県焼津市本町2丁目16-32",
            ],
            id="address",
        ),
        pytest.param("ADDRESS", ["焼津市宗高1205番地の1", "焼津市宗高1205-1"], id="banchi-no"),
        pytest.param(
            "EMAIL_ADDRESS",
            ["Shimin@City.Yaizu.LG.JP", "ｓｈｉｍｉｎ＠ｃｉｔｙ．ｙａｉｚｕ．ｌｇ．ｊｐ"],
            id="mail",
        ),
        pytest.param("POSTAL_CODE", ["〒425-8502", "４２５－８５０２", "4258502"], id="postal"),
        pytest.param("PERSON", ["山田　太郎", "山田太郎"], id="name"),
        pytest.param("ORGANIZATION", ["焼津市役所 市民課", "焼津市役所市民課"], id="organisation"),
    ],
)
def test_one_value_written_many_ways_is_one_key(kind: str, forms: list[str]) -> None:
    keys = {register_key(kind, form) for form in forms}
    assert len(keys) == 1 and None not in keys, keys


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        pytest.param("PHONE_NUMBER", "054-626-111", id="phone-too-short"),
        pytest.param("PHONE_NUMBER", "本町", id="phone-no-digits"),
        pytest.param("POSTAL_CODE", "425-85", id="postal-short"),
        pytest.param("EMAIL_ADDRESS", "shimin.city.yaizu.lg.jp", id="mail-without-at"),
        pytest.param("MY_NUMBER", "123456789018", id="never-public-kind"),
    ],
)
def test_values_that_cannot_be_keys(kind: str, value: str) -> None:
    assert register_key(kind, value) is None


def test_entries_carry_their_provenance() -> None:
    register = PublicRegister()
    entry = register.add("PHONE_NUMBER", "054-626-1111", source=SOURCE, locator="FAQ 3")
    assert isinstance(entry, RegisterEntry)
    register.add("PHONE_NUMBER", "０５４－６２６－１１１１", source="manual.pdf", locator="p. 2")
    found = register.provenance("PHONE_NUMBER", "(054)626-1111")
    assert {(e.source, e.locator) for e in found} == {(SOURCE, "FAQ 3"), ("manual.pdf", "p. 2")}
    assert register.contains("PHONE_NUMBER", "0546261111")
    assert not register.contains("EMAIL_ADDRESS", "054-626-1111")
    assert [e.kind for e in register.entries()] == ["PHONE_NUMBER", "PHONE_NUMBER"]


def test_never_public_kinds_are_refused() -> None:
    with pytest.raises(GuardrailsError):
        PublicRegister().add("MY_NUMBER", "123456789018", source=SOURCE)


def test_version_grows_with_every_change_only() -> None:
    register = PublicRegister()
    assert register.version == 0
    register.add("PHONE_NUMBER", "054-626-1111", source=SOURCE)
    register.add("PHONE_NUMBER", "054-626-1111", source=SOURCE)  # already there
    assert register.version == 1
    assert register.add("PHONE_NUMBER", "12", source=SOURCE) is None
    assert register.version == 1
    register.add("ADDRESS", "焼津市本町2-16-32", source="other.pdf")
    assert register.revoke("PHONE_NUMBER", "０５４－６２６－１１１１") == 1
    assert register.version == 3
    assert register.revoke_source("other.pdf") == 1
    assert register.version == 4 and len(register) == 0
    assert register.revoke_source("other.pdf") == 0 and register.version == 4


def test_revoking_one_source_keeps_the_others() -> None:
    register = PublicRegister()
    register.add("PHONE_NUMBER", "054-626-1111", source="a.pdf")
    register.add("PHONE_NUMBER", "054-626-1111", source="b.pdf")
    assert register.revoke("PHONE_NUMBER", "054-626-1111", source="a.pdf") == 1
    assert [e.source for e in register.provenance("PHONE_NUMBER", "054-626-1111")] == ["b.pdf"]


def test_concurrent_writers_lose_nothing() -> None:
    register = PublicRegister()

    def add(worker: int) -> None:
        for i in range(200):
            register.add("PHONE_NUMBER", f"054-6{worker:02d}-{i:04d}", source=f"doc{worker}")

    threads = [threading.Thread(target=add, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(register) == 8 * 200
    assert register.version == 8 * 200


@pytest.fixture(scope="module")
def registered_guard() -> Iterator[Guard]:
    guard = build_guard(register=PublicRegister())
    yield guard
    guard.close()


def test_the_guard_treats_registered_values_as_public(registered_guard: Guard) -> None:
    text = "折り返しは054-611-2222まで"  # no organisation word: blocks until registered
    assert registered_guard.scan(text).blocked
    before = registered_guard.config_version
    registered_guard.register.add("PHONE_NUMBER", "０５４（６１１）２２２２", source=SOURCE)
    assert registered_guard.config_version != before
    result = registered_guard.scan(text)
    assert not result.blocked
    assert [(f.type, f.public) for f in result.findings] == [("PHONE_NUMBER", PublicBasis.REGISTER)]
    registered_guard.register.revoke_source(SOURCE)
    assert registered_guard.scan(text).blocked


@pytest.mark.parametrize(
    ("text", "kind", "published", "source"),
    [
        pytest.param(
            "夜間・休日の緊急連絡先 080-1111-2222", "PHONE_NUMBER", "080-1111-2222", "bousai.pdf",
            id="mobile-number",
        ),
        pytest.param(
            "詳しくは担当の t.yamada@city.yaizu.lg.jp まで", "EMAIL_ADDRESS",
            "T.Yamada@city.yaizu.lg.jp", "staff.html", id="staff-mailbox",
        ),
    ],
)  # fmt: skip
def test_a_registered_personal_looking_value_passes(
    registered_guard: Guard, text: str, kind: str, published: str, source: str
) -> None:
    # A person's by itself (a mobile number, a mailbox named after a person): it blocks
    # until the city publishes it.
    assert registered_guard.scan(text).blocked
    registered_guard.register.add(kind, published, source=source)
    try:
        assert not registered_guard.scan(text).blocked
    finally:
        registered_guard.register.revoke_source(source)


# (text, blocked): a registered facility's address and number, used as such or claimed
# as someone's home.
_CLAIMS = {
    "meeting-place": ("集合場所は焼津市三ケ名1550-2です。", False),
    "call-back-number": ("折り返しは054-611-4321へお願いします。", False),
    "home-of-an-applicant": ("申請者の自宅は焼津市三ケ名1550-2です。", True),
    "lives-there": ("母は焼津市三ケ名1550-2に住んでいます。", True),
    "home-phone": ("自宅の電話は054-611-4321です。", True),
    "marked-home": ("連絡先：焼津市三ケ名1550-2（自宅）", True),
    "eligibility": ("市内在住の方は焼津市三ケ名1550-2の窓口へ。", False),
}


@pytest.mark.parametrize(("text", "blocked"), list(_CLAIMS.values()), ids=list(_CLAIMS))
def test_a_registered_value_claimed_as_someones_home_is_personal(
    registered_guard: Guard, text: str, *, blocked: bool
) -> None:
    # A resident who says they live at a facility's address (or gives its number as
    # their home phone) gives their own data: person words win over the register.
    source = "shisetsu.csv"
    registered_guard.register.add("ADDRESS", "静岡県焼津市三ケ名1550-2", source=source)
    registered_guard.register.add("PHONE_NUMBER", "054-611-4321", source=source)
    try:
        result = registered_guard.scan(text)
        assert result.blocked is blocked, result.findings
        if blocked:
            claimed = [f for f in result.findings if f.type in ("ADDRESS", "PHONE_NUMBER")]
            assert claimed and all(f.public is None for f in claimed)
            assert any(c in ("自宅", "住んで", "申請者") for f in claimed for c in f.cues or ())
    finally:
        registered_guard.register.revoke_source(source)


def test_replace_all_swaps_the_whole_register_in_one_version() -> None:
    register = PublicRegister()
    register.add("PHONE_NUMBER", "054-626-1111", source=SOURCE)
    other = PublicRegister()
    other.add("ADDRESS", "焼津市本町2-16-32", source="b.pdf")
    other.add("PHONE_NUMBER", "054-611-2222", source="b.pdf")
    register.replace_all(other.entries())
    assert register.version == 2 and len(register.entries()) == 2
    assert not register.contains("PHONE_NUMBER", "054-626-1111")
    assert register.contains("ADDRESS", "焼津市本町二丁目16番32号")


@pytest.mark.parametrize(
    ("value", "registrable"),
    [
        pytest.param("田中", False, id="surname-alone"),
        pytest.param("田中一郎", True, id="full-name"),
        pytest.param("田中　一郎", True, id="full-name-spaced"),
        pytest.param("Santos", False, id="latin-one-word"),
        pytest.param("Maria Santos", True, id="latin-two-words"),
    ],
)
def test_only_full_names_can_be_registered(value: str, registrable: bool) -> None:
    # A surname alone (田中 of 田中議員) would make every resident called 田中 public.
    assert (register_key("PERSON", value) is not None) is registrable
