"""The guard benchmark's public municipal text set (bench/guard_eval/public_texts.py)."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from bench.guard_eval.model import Sample
from bench.guard_eval.public_eval import blocked_figures
from bench.guard_eval.public_sources import YAIZU, division, other_offices, yaizu_facilities
from bench.guard_eval.public_texts import HELD_OUT, TUNE, generate_public_texts

SEED = 7


@pytest.fixture(scope="module")
def texts() -> list[Sample]:
    return generate_public_texts(SEED, 1600)


def test_the_set_has_every_family_both_parts_and_no_placeholder(texts: list[Sample]) -> None:
    assert len(texts) == 1600
    families = Counter(s.category for s in texts)
    assert set(families) == {
        "施設案内", "避難所", "イベント", "お知らせ", "FAQ", "会議録", "マニュアル", "法令"
    }  # fmt: skip
    splits = Counter(s.meta["split"] for s in texts)
    assert splits[TUNE] > 0 and splits[HELD_OUT] >= 300
    assert not any(re.search(r"\{[A-Z0-9_]+\}", s.text) for s in texts)
    assert len({s.id for s in texts}) == len(texts)


def test_the_set_is_deterministic(texts: list[Sample]) -> None:
    again = generate_public_texts(SEED, 1600)
    assert [s.text for s in again] == [s.text for s in texts]


def test_the_key_law_articles_are_quoted_whole(texts: list[Sample]) -> None:
    articles = [s.text for s in texts if s.id.startswith("public-法令-article")]
    assert any(a.startswith("第十二条の三") and "前二号に掲げる者" in a for a in articles)
    assert any(a.startswith("第十条の二") for a in articles)


def test_facility_data_is_read_from_the_bundled_lists() -> None:
    facilities = yaizu_facilities()
    assert len(facilities) > 150
    hall = next(f for f in facilities if f.name == "焼津市役所本庁舎")
    assert (hall.town, hall.lot, hall.dept) == ("本町", "2-16-32", "管財課")
    assert all(f.source.startswith("yaizu/") for f in facilities)
    offices = other_offices(random.Random(1), 12)
    assert len(offices) == 12 and all(o.office.domain.endswith(".lg.jp") for o in offices)


def test_divisions_have_stable_synthetic_contacts() -> None:
    shimin = division(YAIZU, "市民課")
    assert shimin == division(YAIZU, "市民課")
    assert shimin.mail == "shimin@city.yaizu.lg.jp"
    assert shimin.phone.startswith("054-626-") and shimin.phone != YAIZU.phone


def test_blocked_figures_count_per_split_and_family(texts: list[Sample]) -> None:
    actions = {s.id: ("block" if i % 100 == 0 else "allow") for i, s in enumerate(texts)}
    figures = blocked_figures(texts, actions)
    assert figures["n"] == 1600 and figures["blocked"] == 16
    assert sum(c["blocked"] for c in figures["splits"].values()) == 16
    assert sum(c["n"] for c in figures["families"].values()) == 1600
