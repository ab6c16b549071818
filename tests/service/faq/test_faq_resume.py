"""A real `yakuba faq generate` process killed with SIGKILL mid-job, then run again:
every row is answered exactly once in the output, and no finished row reaches the model
a second time (only the rows in flight at the kill may, at most `concurrency` of them)."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from service.faq import JobStore
from tests.service.faq._data import ROOT, to_csv
from tests.utils.llm_server import RecordingLLMServer

CONCURRENCY = 3


def _questions() -> list[dict[str, str]]:
    import json

    faqs = json.loads((ROOT / "bench" / "retrieval_data" / "faq.json").read_text("utf-8"))["faqs"]
    return [{"ID": f["id"], "質問": f["queries"][0]} for f in faqs[:30]]


def _generate(env: dict[str, str], src: Path, out: Path) -> subprocess.Popen[bytes]:
    code = "from service.cli import app; app()"
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "faq",
            "generate",
            str(src),
            "-o",
            str(out),
            "--user",
            "faq-team",
            "--concurrency",
            str(CONCURRENCY),
            "--via",
            "local",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigkill_mid_job_then_resume_answers_every_row_once(
    faq_data_dir: Path, tmp_path: Path, llm_server: RecordingLLMServer
) -> None:
    llm_server.latency_s = 0.3
    rows = _questions()
    src = tmp_path / "質問.csv"
    src.write_bytes(to_csv(rows, encoding="cp932"))
    out = tmp_path / "回答.csv"
    db = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "YAKUBA_DATA_DIR": str(faq_data_dir),
        "YAKUBA_DATABASE_URL": db,
        "YAKUBA_LLM_BASE_URL": llm_server.base_url,
        "YAKUBA_LLM_MODEL": "test-model",
        "YAKUBA_LLM_MAX_RETRIES": "0",
    }
    first = _generate(env, src, out)
    store = JobStore(db)
    try:
        deadline = time.monotonic() + 240
        finished_before: set[int] = set()
        while time.monotonic() < deadline:
            jobs = store.jobs()
            if jobs and store.finished_rows(jobs[0].id) >= 8:
                break
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        (job,) = store.jobs()
        finished_before = {
            r.row_no for r in store.rows(job.id, status=["ok", "no_source"], limit=1000)
        }
        assert 8 <= len(finished_before) < len(rows)
        assert store.job(job.id).status == "running"  # as the killed process left it
        calls_before = Counter(
            _question_of(r.prompt_text(), rows) for r in llm_server.chat_requests
        )

        second = _generate(env, src, out)
        _, stderr = second.communicate(timeout=600)
        assert second.returncode == 0, stderr.decode()
        assert f"中断していたジョブ {job.id} を続きから再開します" in stderr.decode()
        assert store.job(job.id).status == "done"
    finally:
        store.close()

    written = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert sorted(r["id"] for r in written) == sorted(r["ID"] for r in rows)
    assert all(r["status"] in ("ok", "no_source") for r in written)
    calls = Counter(_question_of(r.prompt_text(), rows) for r in llm_server.chat_requests)
    by_line = {i + 2: r["質問"] for i, r in enumerate(rows)}
    for line in finished_before:
        assert calls[by_line[line]] == calls_before[by_line[line]] <= 1, by_line[line]
    repeated = [q for q, n in calls.items() if n > 1]
    assert len(repeated) <= CONCURRENCY  # only rows in flight at the kill
    answered = sum(1 for r in written if r["status"] == "ok")
    assert sum(calls.values()) <= answered + CONCURRENCY


def _question_of(prompt: str, rows: list[dict[str, str]]) -> str:
    found = [r["質問"] for r in rows if r["質問"] in prompt]
    assert len(found) == 1, prompt[-200:]
    return found[0]
