"""A job end to end through the real pipeline and the recording test model: what reached
the model, what the jobs table and the audit log hold, and what the output files say."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from service.faq import FaqJobs, JobStore, Review, RowStatus, open_faq_jobs
from service.pipeline.contracts import RequestContext
from service.runtime import Runtime
from service.settings import Settings
from tests.service.faq._data import CARELESS, UNANSWERABLE, citizen_questions, question_rows, to_csv
from tests.service.test_audit_store import require_backend
from tests.utils.audit_scratch import scratch_database
from tests.utils.llm_server import RecordingLLMServer

WHO = RequestContext(user="faq-team", department="広報課", role="faq_editor")


def _run(jobs: FaqJobs, data: bytes, name: str = "質問.csv") -> str:
    job = jobs.submit(data, name, WHO, purpose="市ホームページのFAQ更新")
    assert jobs.runner.run(job.id) == "done"
    return job.id


def _csv_rows(jobs: FaqJobs, job_id: str, **kw: bool) -> list[dict[str, str]]:
    out = io.BytesIO()
    jobs.export(job_id, out, "csv", **kw)
    raw = out.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 only with the BOM
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_rows_are_answered_blocked_or_without_source_and_blocked_never_sent(
    model_jobs: FaqJobs, llm_server: RecordingLLMServer, model_settings: Settings
) -> None:
    rows = question_rows()
    job_id = _run(model_jobs, to_csv(rows))
    view = model_jobs.view(job_id)
    assert view.status == "done" and view.total == len(rows)
    out = {r["id"]: r for r in _csv_rows(model_jobs, job_id)}

    sent = llm_server.all_prompt_text()
    careless = [r for r in rows if r["質問"] in CARELESS]
    for row in careless:
        got = out[row["ID"]]
        assert got["status"] == "blocked", got
        assert "生成AIに送信しませんでした" in got["answer"]
        # Neither the model, the jobs table nor the output holds the resident's data.
        for value in ("090-1234-5678", "123456789018", "田中花子", "taro.suzuki@example.com"):
            assert value not in sent
            assert value not in got["question"]
    for q in UNANSWERABLE:
        got = next(r for r in out.values() if r["question"] == q)
        assert got["status"] == "no_source" and got["sources"] == ""
        assert q not in sent  # nothing relevant: the model is not asked to invent
    answered = [r for r in out.values() if r["status"] == "ok"]
    assert len(answered) >= 8
    for r in answered:
        assert r["answer"].startswith("【テスト応答】") and r["model"] == "test-model"
        assert r["sources"].startswith("[1] ") and r["prompt_version"].startswith("faq@")
        assert "+09:00" in r["generated_at"]
    assert len(llm_server.chat_requests) == len(answered)

    # Each row is linked to its own audit record.
    stored = model_jobs.rows(job_id, limit=1000)
    assert all(r.audit_id is not None for r in stored)
    assert len({r.audit_id for r in stored}) == len(rows)


def test_audit_records_name_the_job_and_row(model_jobs: FaqJobs, model_settings: Settings) -> None:
    from sqlalchemy import create_engine, text

    job_id = _run(model_jobs, to_csv(question_rows()[:3] + [question_rows()[-1]]))
    engine = create_engine(model_settings.audit_database_url)
    with engine.connect() as conn:
        records = conn.execute(
            text("SELECT channel, task, status, purpose, prompt FROM audit_records")
        ).all()
    engine.dispose()
    assert len(records) == 4
    assert {r.channel for r in records} == {"batch"} and {r.task for r in records} == {"faq"}
    for line in (2, 3, 4, 5):
        assert sum(f"ジョブ {job_id}、{line}行目" in r.purpose for r in records) == 1
    blocked = [r for r in records if r.status == "blocked"]
    assert len(blocked) == 1 and "taro.suzuki" not in blocked[0].prompt


def test_extractive_answer_is_the_draft_without_a_model(faq_settings: Settings) -> None:
    runtime = Runtime(faq_settings)
    jobs = open_faq_jobs(runtime)
    try:
        job_id = _run(jobs, to_csv(question_rows()[:4]))
        rows = jobs.rows(job_id)
    finally:
        jobs.store.close()
        runtime.close()
    ok = [r for r in rows if r.status == "ok"]
    assert ok and all(r.mode == "extractive" and r.sources and r.model == "" for r in ok)
    assert all("抽出モード" in r.answer for r in ok)


def test_formula_like_cells_are_neutralised_in_csv_and_xlsx(
    model_jobs: FaqJobs, tmp_path: Path
) -> None:
    rows = [
        {"ID": "=1+1", "質問": '=HYPERLINK("http://evil.example","粗大ごみの出し方")'},
        {"ID": "@SUM", "質問": "+ごみの収集日はいつですか"},
        {"ID": "-3", "質問": "-住民票の写しはどこで取れますか"},
    ]
    job_id = _run(model_jobs, to_csv(rows))
    for r in _csv_rows(model_jobs, job_id):
        assert r["id"][0] == "'" and r["question"][0] == "'", r
    out = io.BytesIO()
    model_jobs.export(job_id, out, "xlsx")
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row[:2]]
    assert all(c.data_type == "s" and str(c.value).startswith("'") for c in cells)


def test_review_edit_approve_reject_regenerate_group_and_export_approved(
    model_jobs: FaqJobs, llm_server: RecordingLLMServer
) -> None:
    rows = [
        {"ID": "A", "質問": "住民票の写しはどこで取れますか"},
        {"ID": "B", "質問": "住民票の写しはどこで取れるの？"},
        {"ID": "C", "質問": "粗大ごみを出したいのですが、どうすればいいですか"},
        {"ID": "D", "質問": "田中花子（090-1234-5678）の住民票を取りたい"},
    ]
    job_id = _run(model_jobs, to_csv(rows))
    groups = model_jobs.groups(job_id)
    assert [g.lines for g in groups] == [[2, 3]]  # A and B; C differs; D was blocked

    edited = model_jobs.review(job_id, 2, reviewer="editor1", answer="市民課の窓口で取れます。[1]")
    assert (
        edited.edited and edited.review == "pending" and edited.draft.startswith("【テスト応答】")
    )
    shared = model_jobs.share_answer(job_id, 2, [2, 3], reviewer="editor1")
    assert [r.answer for r in shared] == ["市民課の窓口で取れます。[1]"]
    model_jobs.review(job_id, 2, reviewer="editor1", decision=Review.APPROVED)
    model_jobs.review(job_id, 3, reviewer="editor1", decision=Review.APPROVED)
    model_jobs.review(job_id, 4, reviewer="editor1", decision=Review.REJECTED)
    with pytest.raises(Exception, match="承認できません"):
        model_jobs.review(job_id, 5, reviewer="editor1", decision=Review.APPROVED)
    with pytest.raises(Exception, match="個人情報|電話"):
        model_jobs.review(
            job_id, 3, reviewer="editor1", answer="田中花子さん（090-1234-5678）に連絡"
        )

    calls = len(llm_server.chat_requests)
    again = model_jobs.regenerate(job_id, 4)
    assert len(llm_server.chat_requests) == calls + 1
    assert again.review == "pending" and again.status == "ok"
    with pytest.raises(Exception, match="再生成できません"):
        model_jobs.regenerate(job_id, 5)

    approved = _csv_rows(model_jobs, job_id, approved_only=True)
    assert [r["id"] for r in approved] == ["A", "B"]
    assert {r["answer"] for r in approved} == {"市民課の窓口で取れます。[1]"}


def test_rate_limits_and_server_errors_back_off_and_retry(
    model_jobs: FaqJobs, llm_server: RecordingLLMServer
) -> None:
    model_jobs.runner._backoff_base_s = 0.01  # noqa: SLF001 - the pause itself is not under test
    llm_server.fail_next(429, times=2)
    llm_server.fail_next(503, times=1)
    job_id = _run(model_jobs, to_csv([{"ID": "1", "質問": "粗大ごみを出したいのですが"}]))
    (row,) = model_jobs.rows(job_id)
    assert row.status == "ok" and row.error_code == ""
    assert len(llm_server.chat_requests) == 4


ScanFailure = Callable[[str], str | None]


@pytest.fixture
def jobs_whose_scan_fails(
    model_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[ScanFailure], FaqJobs]]:
    """FAQ jobs (short retry pauses) whose guard scan fails with the error code
    `failure(text)` returns, and scans as usual where it returns None."""
    from guardrails import Action, ScanResult

    runtime = Runtime(model_settings)
    jobs = open_faq_jobs(runtime)
    jobs.runner._backoff_base_s = 0.01  # noqa: SLF001 - the pause itself is not under test
    scan = runtime.guard.scan

    def install(failure: ScanFailure) -> FaqJobs:
        def failing_scan(text: str) -> ScanResult:
            error = failure(text)
            if error is None:
                return scan(text)
            return ScanResult(action=Action.BLOCK, redacted="<検査不能>", error=error)

        monkeypatch.setattr(runtime.guard, "scan", failing_scan)
        return jobs

    try:
        yield install
    finally:
        jobs.store.close()
        runtime.close()


def test_a_guard_scan_out_of_time_is_retried_not_reported_as_personal_data(
    jobs_whose_scan_fails: Callable[[ScanFailure], FaqJobs], llm_server: RecordingLLMServer
) -> None:
    from guardrails import GUARD_TIMEOUT

    timed_out: set[str] = set()

    def busy_machine(text: str) -> str | None:
        # The first look at each row's question runs out of its time budget, as on a
        # loaded host (the job's purpose is judged at once).
        if text not in timed_out and ("粗大ごみ" in text or "田中花子" in text):
            timed_out.add(text)
            return GUARD_TIMEOUT
        return None

    jobs = jobs_whose_scan_fails(busy_machine)
    rows = [{"ID": "1", "質問": "粗大ごみを出したいのですが"}, {"ID": "2", "質問": CARELESS[0]}]
    first, careless = jobs.rows(_run(jobs, to_csv(rows)))
    assert (first.status, first.error_code) == ("ok", "")
    # The second try judges the careless row on what it holds: blocked, stored masked.
    assert careless.status == "blocked" and "090-1234-5678" not in careless.question
    assert len(llm_server.chat_requests) == 1


def test_a_guard_that_cannot_scan_fails_the_row_masked_not_as_personal_data(
    jobs_whose_scan_fails: Callable[[ScanFailure], FaqJobs], llm_server: RecordingLLMServer
) -> None:
    from guardrails import GUARD_ERROR

    # A recogniser that raises on this question, every time it is scanned.
    jobs = jobs_whose_scan_fails(lambda text: GUARD_ERROR if "粗大ごみ" in text else None)
    job_id = _run(jobs, to_csv([{"ID": "1", "質問": "高橋一郎さんの粗大ごみの件で"}]))
    (row,) = jobs.rows(job_id)
    assert (row.status, row.error_code) == ("failed", GUARD_ERROR)
    assert "個人情報が見つかったわけではありません" in row.answer
    assert "高橋" not in row.question and "一郎" not in row.question  # never cleared: masked
    # Retried (a closing service refuses scans for a moment), then kept as failed.
    assert jobs.store.row(job_id, row.line).attempts == 4
    with pytest.raises(Exception, match="再生成できません"):
        jobs.regenerate(job_id, row.line)
    assert llm_server.chat_requests == []


def test_cancel_stops_a_queued_job_and_masks_its_unprocessed_personal_rows(
    model_jobs: FaqJobs, llm_server: RecordingLLMServer
) -> None:
    rows = question_rows()[:2] + question_rows()[-2:]
    job = model_jobs.submit(to_csv(rows), "q.csv", WHO)
    view = model_jobs.cancel(job.id)
    assert view.status == "cancelled" and view.done == 0
    stored = "\n".join(r.question for r in model_jobs.rows(job.id))
    assert rows[0]["質問"] in stored  # ordinary questions are kept as they were
    for value in ("山田太郎", "本町2丁目16番32号", "taro.suzuki@example.com"):
        assert value not in stored
    assert llm_server.chat_requests == []
    with pytest.raises(Exception, match="実行できません"):
        model_jobs.runner.run(job.id)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    require_backend(request.param)
    with scratch_database(request.param, tmp_path) as url:
        yield url


def test_store_on_both_databases_claims_once_and_pages_rows(store_url: str) -> None:
    from service.faq import iter_questions

    rows = [{"ID": str(i), "質問": f"質問その{i}"} for i in range(2500)]
    data = to_csv(rows)
    store = JobStore(store_url)
    try:
        job = store.create(
            user="u",
            department="d",
            role="faq_editor",
            purpose="",
            filename="q.csv",
            digest="x" * 64,
            concurrency=4,
            rows=iter_questions(data, "q.csv"),
        )
        assert store.job(job.id).total == 2500
        assert store.claim(job.id, "host:1:a") and not store.claim(job.id, "host:2:b")
        assert store.unfinished(user="u", digest="x" * 64) is not None
        assert sum(1 for _ in store.iter_rows(job.id, page=300)) == 2500
        store.save(job.id, 2, {"status": RowStatus.OK.value, "review": "approved"})
        assert store.counts(job.id)["ok"] == 1
        assert [r.row_no for r in store.iter_rows(job.id, review=["approved"])] == [2]
        assert store.finish(job.id, "host:1:a") == "done"
    finally:
        store.close()


def test_a_whole_job_on_postgresql(
    faq_settings: Settings, llm_server: RecordingLLMServer, tmp_path: Path
) -> None:
    require_backend("postgresql")
    with scratch_database("postgresql", tmp_path) as url:
        settings = faq_settings.model_copy(
            update={
                "database_url": url,
                "llm_base_url": llm_server.base_url,
                "llm_model": "test-model",
                "llm_max_retries": 0,
            }
        )
        runtime = Runtime(settings)
        jobs = open_faq_jobs(runtime)
        try:
            job_id = _run(jobs, to_csv(question_rows()))
            view = jobs.view(job_id)
            rows = jobs.rows(job_id)
        finally:
            jobs.store.close()
            runtime.close()
    assert view.status == "done" and view.counts["pending"] == 0
    # On a mismatch, say which rows: a masked question, its findings and the stage.
    outcome = [(r.line, r.status, r.question[:30], r.findings, r.error_code) for r in rows]
    assert view.counts["blocked"] == len(CARELESS), outcome
    assert all(r.audit_id for r in rows)


def test_cancel_while_running_stops_new_rows(
    model_jobs: FaqJobs, llm_server: RecordingLLMServer
) -> None:
    import threading

    llm_server.latency_s = 0.3
    rows = [{"ID": str(i), "質問": q} for i, (_, q) in enumerate(citizen_questions(40))]
    job = model_jobs.submit(to_csv(rows), "q.csv", WHO, concurrency=2)
    result: list[str] = []
    thread = threading.Thread(target=lambda: result.append(model_jobs.runner.run(job.id)))
    thread.start()
    while model_jobs.store.finished_rows(job.id) < 2:
        time.sleep(0.05)
    model_jobs.cancel(job.id)
    thread.join(timeout=60)
    view = model_jobs.view(job.id)
    assert result == ["cancelled"] and view.status == "cancelled"
    assert view.counts["pending"] > 0 and view.done < len(rows)


def test_a_stopped_service_worker_hands_the_job_back_and_the_next_resumes(
    model_jobs: FaqJobs, llm_server: RecordingLLMServer
) -> None:
    from service.faq import JobWorker

    llm_server.latency_s = 0.2
    rows = [{"ID": str(i), "質問": q} for i, (_, q) in enumerate(citizen_questions(20))]
    job = model_jobs.submit(to_csv(rows), "q.csv", WHO, concurrency=2)
    first = JobWorker(model_jobs.store, model_jobs.runner, poll_s=0.1)
    first.start()
    while model_jobs.store.finished_rows(job.id) < 3:
        time.sleep(0.05)
    first.stop()  # the service shuts down: rows in flight finish, the job is queued again
    stopped = model_jobs.view(job.id)
    assert stopped.status == "queued" and 3 <= stopped.done < len(rows)
    calls = len(llm_server.chat_requests)
    second = JobWorker(model_jobs.store, model_jobs.runner, poll_s=0.1)
    second.start()
    try:
        deadline = time.monotonic() + 120
        while model_jobs.view(job.id).status != "done":
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        second.stop()
    answered = model_jobs.view(job.id).counts["ok"]
    assert len(llm_server.chat_requests) - calls == answered - stopped.counts["ok"]
