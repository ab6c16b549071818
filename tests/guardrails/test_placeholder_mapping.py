"""The placeholder mapping: in memory only, bounded, expiring, wiped, thread-safe."""

from __future__ import annotations

import copy
import functools
import json
import pickle
import threading
from collections.abc import Callable
from typing import Any

import pytest

from guardrails import (
    PlaceholderExpiredError,
    PlaceholderLimitError,
    PlaceholderMapping,
    PlaceholderMappings,
    placeholder_prompt,
    restore_placeholders,
)
from guardrails._placeholder_mapping import Occurrence
from tests.guardrails._placeholder_helpers import bundled_policy, scan_of

VALUES = ("山田太郎", "佐藤花子", "鈴木一郎", "高橋美咲", "Maria Santos", "김민준")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _person(value: str) -> Occurrence:
    return Occurrence("PERSON", value, frozenset(), False, value)


def _fill(mapping: PlaceholderMapping, *values: str) -> list[str]:
    return mapping._assign([_person(v) for v in values], literal=(), commit=True)


# -- never serialised, never shown ---------------------------------------------------------
@pytest.mark.parametrize(
    "leak",
    [
        pytest.param(pickle.dumps, id="pickle"),
        pytest.param(lambda m: pickle.dumps(m, protocol=0), id="pickle-0"),
        pytest.param(copy.copy, id="copy"),
        pytest.param(copy.deepcopy, id="deepcopy"),
        pytest.param(vars, id="vars"),
        pytest.param(json.dumps, id="json"),
        pytest.param(lambda m: list(m), id="iterate"),
    ],
)
def test_a_mapping_cannot_be_serialised(leak: Callable[[Any], object]) -> None:
    mapping = PlaceholderMapping()
    _fill(mapping, "山田太郎")
    with pytest.raises(TypeError):
        leak(mapping)


def test_the_store_cannot_be_serialised() -> None:
    store = PlaceholderMappings()
    _fill(store.get("u1", "t1"), "山田太郎")
    for leak in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError):
            leak(store)


def test_what_a_mapping_shows_holds_no_value() -> None:
    mapping = PlaceholderMapping()
    _fill(mapping, *VALUES)
    shown = " ".join(
        [repr(mapping), str(mapping), repr(mapping.tokens()), repr(mapping.entity_counts())]
    )
    assert "entries=6" in shown
    for value in VALUES:
        assert value not in shown
    assert mapping.entity_counts() == {"PERSON": 6}


# -- bounded ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "first", "second", "limit"),
    [
        pytest.param({"max_entries": 3}, ("山田太郎", "佐藤花子"), ("鈴木一郎", "高橋美咲"), "entries", id="entries"),
        pytest.param({"max_bytes": 30}, ("山田太郎", "佐藤花子"), ("鈴木一郎",), "bytes", id="bytes"),
    ],
)  # fmt: skip
def test_bounds_refuse_and_keep_what_was_there(
    options: dict[str, int], first: tuple[str, ...], second: tuple[str, ...], limit: str
) -> None:
    mapping = PlaceholderMapping(**options)
    _fill(mapping, *first)
    with pytest.raises(PlaceholderLimitError) as caught:
        _fill(mapping, *second)
    assert caught.value.limit == limit
    assert "新しいスレッド" in str(caught.value)
    assert len(mapping) == len(first)
    assert mapping._value("〈氏名1〉") == first[0]
    # Known values still resolve: a request repeating them needs no room.
    assert _fill(mapping, first[0]) == ["〈氏名1〉"]


def test_invalid_bounds_are_refused() -> None:
    with pytest.raises(ValueError):
        PlaceholderMapping(max_entries=0)
    with pytest.raises(ValueError):
        PlaceholderMapping(ttl_s=float("nan"))


# -- expiring and wiped ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("steps", "expired"),
    [
        pytest.param([1799.0], False, id="idle-within-ttl"),
        pytest.param([1801.0], True, id="idle-past-ttl"),
        pytest.param([1000.0, 1000.0, 1000.0], False, id="used-keeps-alive"),
        pytest.param([1700.0] * 17, True, id="lifetime-caps"),
    ],
)  # fmt: skip
def test_expiry(steps: list[float], expired: bool) -> None:
    clock = Clock()
    mapping = PlaceholderMapping(ttl_s=1800, lifetime_s=8 * 3600, clock=clock)
    _fill(mapping, "山田太郎")
    for step in steps[:-1]:
        clock.now += step
        assert mapping._value("〈氏名1〉") == "山田太郎"  # a use
    clock.now += steps[-1]
    assert mapping.expired is expired
    if expired:
        assert len(mapping) == 0 and mapping.nbytes == 0
        with pytest.raises(PlaceholderExpiredError):
            mapping._value("〈氏名1〉")
        with pytest.raises(PlaceholderExpiredError):
            restore_placeholders("〈氏名1〉様", mapping)


def test_clear_wipes_the_value_bytes() -> None:
    mapping = PlaceholderMapping()
    _fill(mapping, "山田太郎")
    stored = mapping._by_token["〈氏名1〉"]._value
    assert bytes(stored) == "山田太郎".encode()
    mapping.clear()
    assert bytes(stored) == b"" and mapping.expired
    with pytest.raises(PlaceholderExpiredError):
        _fill(mapping, "佐藤花子")


def test_lookup_keys_are_digests_not_values() -> None:
    mapping = PlaceholderMapping()
    _fill(mapping, "山田太郎")
    keys = list(mapping._by_key)
    assert all(isinstance(k, bytes) and len(k) == 16 for k in keys)
    assert all("山田".encode() not in k for k in keys)
    # Two mappings digest one value differently (a key per mapping).
    other = PlaceholderMapping()
    _fill(other, "山田太郎")
    assert set(keys).isdisjoint(other._by_key)


# -- thread-safe ---------------------------------------------------------------------------------
def test_concurrent_requests_in_one_thread_agree() -> None:
    mapping = PlaceholderMapping()
    policy = bundled_policy()
    results: list[str] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        names = [VALUES[(i + k) % 4] for k in range(3)]
        text = "、".join(f"{n}様" for n in names)
        plan = placeholder_prompt(
            text,
            scan_of(text, [("PERSON", n) for n in names]),
            task="draft",
            policy=policy,
            mapping=mapping,
        )
        restored = restore_placeholders(plan.text, mapping, sent=plan.text).text
        with lock:
            results.append(restored == text and plan.text or "MISMATCH")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "MISMATCH" not in results
    assert len(mapping) == 4  # four people, one placeholder each, whatever the order
    assert sorted(mapping._value(t) or "" for t in mapping.tokens()) == sorted(VALUES[:4])


# -- the per-thread store -----------------------------------------------------------------------
def test_store_gives_each_thread_its_own_mapping() -> None:
    store = PlaceholderMappings()
    a = store.get("user-1", "thread-1")
    assert store.get("user-1", "thread-1") is a
    assert store.get("user-2", "thread-1") is not a  # another user never shares it
    assert store.get("user-1", "thread-2") is not a
    assert len(store) == 3


def test_store_evicts_and_wipes_the_least_recently_used() -> None:
    store = PlaceholderMappings(max_mappings=2)
    first = store.get("u", "1")
    _fill(first, "山田太郎")
    store.get("u", "2")
    store.get("u", "1")  # used again: "2" is now the oldest
    store.get("u", "3")
    assert len(store) == 2
    assert not first.expired
    second = store.get("u", "2")  # evicted earlier: a fresh one
    assert len(second) == 0
    assert first.expired  # "1" was evicted by asking for "2" again, and wiped


def test_store_replaces_expired_mappings_and_sweeps() -> None:
    clock = Clock()
    store = PlaceholderMappings(new=functools.partial(PlaceholderMapping, ttl_s=60, clock=clock))
    old = store.get("u", "t")
    _fill(old, "山田太郎")
    store.get("u", "other")
    clock.now += 61
    fresh = store.get("u", "t")
    assert fresh is not old and old.expired and len(fresh) == 0
    assert store.sweep() == 1  # "other" expired too
    assert len(store) == 1
    store.discard("u", "t")
    assert fresh.expired and len(store) == 0
    again = store.get("u", "t")
    _fill(again, "佐藤花子")
    store.clear()
    assert again.expired and len(store) == 0
