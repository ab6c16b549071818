"""The service benchmark's pairing of client samples with the test LLM's timings log."""

from __future__ import annotations

import json
from pathlib import Path

import openai
import pytest

from bench.service import MARKER_RE, Sample, floor_of, marker, net, pair, read_event, request_for
from tests.utils.llm_server import RecordingLLMServer


def test_markers_are_distinct_letters_the_guard_cannot_mistake_for_numbers() -> None:
    marks = [marker(n) for n in (0, 1, 25, 26, 10**6, 10**7 + 3)]
    assert len(set(marks)) == len(marks)
    for mark in marks:
        found = MARKER_RE.search(f"質問です{mark}\n")
        assert found and not any(ch.isdigit() for ch in found.group(1))


@pytest.mark.parametrize(
    ("kind", "block", "expected"),
    [
        ("ask-stream", 'event: delta\ndata: {"text": "審査"}', (True, None)),
        (
            "ask-stream",
            'event: done\ndata: {"status": "blocked", "text": "止めました"}',
            (False, "blocked"),
        ),
        (
            "chat-stream",
            'data: {"choices": [{"delta": {"role": "assistant", "content": ""}}]}',
            (False, None),
        ),
        (
            "chat-stream",
            'data: {"choices": [{"delta": {"content": "はい"}, "finish_reason": null}]}',
            (True, None),
        ),
        (
            "chat-stream",
            'data: {"choices": [{"delta": {}, "finish_reason": "content_filter"}]}',
            (False, "content_filter"),
        ),
        ("chat-stream", "data: [DONE]", (False, None)),
    ],
)
def test_stream_events_are_read(kind: str, block: str, expected: tuple[bool, str | None]) -> None:
    assert read_event(kind, block) == expected


def test_samples_are_paired_with_the_models_own_times(tmp_path: Path) -> None:
    log = tmp_path / "timings.jsonl"
    mark = marker(7)
    with RecordingLLMServer(latency_s=0.05, timings_path=log) as llm:
        client = openai.OpenAI(base_url=llm.base_url, api_key="x", max_retries=0)
        client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": f"挨拶文を作って{mark}"}]
        )
        for _ in client.chat.completions.create(
            model="m", stream=True, messages=[{"role": "user", "content": "もう一つ"}]
        ):
            pass
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [line["stream"] for line in lines] == [False, True]
    assert lines[0]["first_token"] is None and lines[1]["first_token"] is not None
    assert lines[0]["done"] - lines[0]["received"] >= 0.05
    sample = Sample("chat", mark, True, "", started=lines[0]["received"] - 0.01, total_ms=80.0)
    sample.done_wall = lines[0]["done"] + 0.005
    assert pair([sample], log) == 1
    assert sample.llm_ms is not None and 50 <= sample.llm_ms < 80
    assert sample.overhead_ms == pytest.approx(80.0 - sample.llm_ms)
    assert sample.before_model_ms == pytest.approx(10, abs=0.5)
    assert sample.after_model_ms == pytest.approx(5, abs=0.5)


def test_direct_calls_go_to_the_model_and_give_the_harness_floor() -> None:
    path, body = request_for("direct-stream", marker(3))
    assert path == "/v1/chat/completions" and body["model"] == "test-model" and body["stream"]

    def sample(kind: str, total_ms: float, llm_ms: float | None, ok: bool = True) -> Sample:
        s = Sample(kind, "", ok, "", started=0.0, total_ms=total_ms)
        s.llm_ms = llm_ms
        return s

    direct = [
        sample("direct", 203.0, 200.0),
        sample("direct", 205.0, 200.0),
        sample("direct", 290.0, 200.0, ok=False),  # failed calls do not count
        sample("direct-stream", 204.0, 200.0),
        sample("direct-stream", 210.0, None),  # unpaired: no model time
    ]
    floor = floor_of(direct)
    assert floor == {False: [3.0, 5.0], True: [4.0]}
    # Each kind loses the p50 of its own sort of call (streamed or not).
    assert net([12.0, 14.0], floor, "ask") == "9.0"
    assert net([12.0], floor, "chat-stream") == "8.0"
    assert net([12.0], floor, "all") == "–"
    assert net([12.0], {False: [], True: []}, "chat") == "–"


def test_the_instruction_bench_reads_the_total_of_the_newest_callgrind_dump(
    tmp_path: Path,
) -> None:
    from bench.instructions import dumped_total

    (tmp_path / "callgrind.out.1").write_text("events: Ir\nsummary: 111\n")
    before = set(tmp_path.glob("callgrind.out*"))
    (tmp_path / "callgrind.out.1.2").write_text("events: Ir\nfn=x\n0 5\ntotals: 987654\n")
    assert dumped_total(tmp_path, before) == 987654
