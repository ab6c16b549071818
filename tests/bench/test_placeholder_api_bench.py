"""bench/placeholders_api.py on a few prompts: the wiring adds no leak, every answer comes
back restored, and the leak check itself finds a value that is where it must not be."""

from __future__ import annotations

from typing import Any

import pytest

import bench.placeholders_api as api_bench
from bench.placeholder_eval.prompts import Prompt, generate_prompts


@pytest.fixture(scope="module")
def prompts() -> list[Prompt]:
    # Every family, the マイナンバー one included.
    chosen: dict[str, Prompt] = {}
    for prompt in generate_prompts(18, 600):
        chosen.setdefault(prompt.family, prompt)
    return list(chosen.values())


@pytest.fixture(scope="module")
def report(prompts: list[Prompt]) -> dict[str, Any]:
    return api_bench.run(prompts)


def test_nothing_replaced_reaches_the_model_the_database_or_the_logs(
    report: dict[str, Any],
) -> None:
    assert report["errors"] == 0
    assert report["answered"] == report["prompts"] - report["never_prompts"]
    assert report["never_refused_unsent"] == report["never_prompts"] == 1
    assert report["sent_as_planned"] == report["answered"]
    assert report["wiring_leaks_inbox"] == 0
    assert report["values_checked_in_stores"] > 0
    assert report["store_leaks"] == {"database": 0, "logs": 0, "metrics": 0}


def test_every_answer_is_restored(report: dict[str, Any]) -> None:
    assert report["restored_ok"] == report["answered"] and report["placeholders"] > 0


def test_the_leak_check_finds_a_value_in_a_store(prompts: list[Prompt]) -> None:
    value = "焼津市本町二丁目16番32号"
    row = {
        "family": "draft",
        "refused_today": True,
        "answered": True,
        "status": 200,
        "sent_to_model": True,
        "wall_ms": 1.0,
        "in_inbox": [],
        "wiring_leaks": [],
        "sent_as_planned": True,
        "restored_ok": True,
        "placeholders": 1,
        "issues": [],
        "guarded_values": [value],
    }
    stores = {"database": f"…{value}…", "logs": "", "metrics": ""}
    report = api_bench._aggregate(prompts[:1], [row], stores)
    assert report["store_leaks"] == {"database": 1, "logs": 0, "metrics": 0}
