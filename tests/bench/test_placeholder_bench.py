"""The placeholder benchmark's prompts, simulated answers and figures (bench/placeholders.py)."""

from __future__ import annotations

import io
import json
import random
import re
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import bench.placeholders as placeholder_bench
from bench.placeholder_eval.answers import simulate
from bench.placeholder_eval.prompts import Prompt, generate_prompts
from guardrails import AnomalyKind

SEED = 18


@pytest.fixture(scope="module")
def prompts() -> list[Prompt]:
    return generate_prompts(SEED, 600)


def test_the_set_covers_tasks_families_and_languages(prompts: list[Prompt]) -> None:
    assert len(prompts) == 600 and len({p.id for p in prompts}) == 600
    assert Counter(p.task for p in prompts).keys() == {
        "draft",
        "summarize",
        "proofread",
        "translate",
    }
    assert {p.lang for p in prompts} == {"ja", "ja-Latn", "en", "pt", "es", "vi", "vi-noacc", "ko", "zh", "fil"}  # fmt: skip
    assert sum(p.expect_block for p in prompts) == 18
    assert not any(re.search(r"\{[A-Z0-9_]+\}", p.text) for p in prompts)


def test_gold_spans_point_at_their_values(prompts: list[Prompt]) -> None:
    for prompt in prompts:
        assert prompt.personal, prompt.id
        for gold in prompt.gold:
            assert prompt.text[gold.start : gold.end] == gold.value, (prompt.id, gold)


def test_the_set_is_deterministic(prompts: list[Prompt]) -> None:
    assert [p.text for p in generate_prompts(SEED, 600)] == [p.text for p in prompts]


def test_simulated_answers_use_what_was_sent() -> None:
    sent = ("〈氏名1〉", "〈住所1〉", "〈電話1〉", "〈メール1〉", "〈氏名2〉")
    kinds: Counter[str] = Counter()
    for seed in range(200):
        answer = simulate(sent, "summarize", "ja", random.Random(seed))
        used = {token for _, token in answer.segments if token}
        assert answer.dropped.isdisjoint(used)
        assert used | answer.dropped | {"〈氏名1〉", "〈住所1〉", "〈電話1〉", "〈メール1〉", "〈氏名2〉"} == set(sent)  # fmt: skip
        if answer.injected:
            kinds[answer.injected[0]] += 1
    assert set(kinds) == {AnomalyKind.NORMALISED, AnomalyKind.CHANGED, AnomalyKind.INVENTED}


def test_the_bench_runs_and_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "placeholders.json"
    monkeypatch.setattr(placeholder_bench, "OUT", out)
    monkeypatch.setattr(placeholder_bench, "ROOT", tmp_path)
    # The bench pins its process to one core: not the test run's.
    monkeypatch.setattr(placeholder_bench, "_one_core", lambda: None)
    printed = io.StringIO()
    with redirect_stdout(printed):
        assert placeholder_bench.main(["--n", "40", "--repeat", "1"]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["prompts"] == 40
    # The mechanism itself: exact on every answered prompt.
    for key in ("restored_ok", "stream_ok", "report_ok"):
        assert report[key] == report["answered"], key
    assert report["mixed"] == 0 and report["still_personal"] == 0
    assert "| answered with placeholders, all prompts |" in printed.getvalue()
    assert "added with the rescan" in printed.getvalue()
