"""Knowledge-base updates through the running service's HTTP API (`/v1/admin/documents`),
with the embedded index: add, find, replace, remove — and the ways it must refuse."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from service.audit import AuditStore
from service.runtime import Runtime
from service.settings import Settings
from tests.service.conftest import AppFactory
from tests.service.kb._support import upload, wait_for_job

MANUAL = (
    "# 粗大ごみ収集の手引き\n\n"
    "## 申込み\n\n粗大ごみは、収集日の三日前までに環境政策課へ電話で申し込みます。"
    "手数料は一点につき四百円で、コンビニエンスストアで処理券を購入して貼り付けます。\n\n"
    "## 収集日\n\n収集は毎月第二水曜日です。午前八時までに指定場所へ出してください。\n"
)
MANUAL_V2 = MANUAL.replace("第二水曜日", "第四金曜日").replace("四百円", "五百円")
MY_NUMBER = "123456789018"
PERSONAL = (
    "# 相談記録\n\n相談者 山田花子（昭和55年4月1日生、個人番号 "
    f"{MY_NUMBER}、電話 090-1234-5678）から、転居の手続きについて相談があった。\n"
)


def _ask(client: TestClient, question: str) -> dict[str, Any]:
    response = client.post("/v1/ask", json={"question": question})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _sources(client: TestClient) -> dict[str, dict[str, Any]]:
    response = client.get("/v1/admin/documents")
    assert response.status_code == 200, response.text
    return {d["source"]: d for d in response.json()}


def _audit(client: TestClient, task: str) -> list[dict[str, Any]]:
    response = client.get("/v1/admin/audit/records", params={"task": task})
    assert response.status_code == 200, response.text
    records: list[dict[str, Any]] = response.json()["records"]
    return records


def test_a_document_is_added_found_replaced_and_removed(make_client: AppFactory) -> None:
    client = make_client()
    assert "粗大ごみ.md" not in _sources(client)

    job = upload(client, "粗大ごみ.md", MANUAL.encode(), department="環境政策課")
    assert job["status"] == "queued" and job["action"] == "add" and job["source"] == "粗大ごみ.md"
    done = wait_for_job(client, job["id"])
    assert done["status"] == "done" and done["outcome"] == "indexed", done
    assert done["result"]["replaced"] is False and done["result"]["chunks"] >= 1
    assert "追加しました" in done["message"]
    listed = _sources(client)["粗大ごみ.md"]
    assert listed["complete"] and listed["chunks"] == done["result"]["chunks"]
    answer = _ask(client, "粗大ごみの収集日はいつですか")
    assert any(c["source"] == "粗大ごみ.md" for c in answer["citations"]), answer
    assert "第二水曜日" in answer["text"]

    again = upload(client, "粗大ごみ.md", MANUAL.encode(), department="環境政策課")
    # The same file filed under the same department: nothing to do.
    assert wait_for_job(client, again["id"])["outcome"] == "unchanged"

    replaced = wait_for_job(
        client, upload(client, "粗大ごみ.md", MANUAL_V2.encode(), department="環境政策課")["id"]
    )
    assert replaced["outcome"] == "indexed" and replaced["result"]["replaced"] is True
    assert "差し替えました" in replaced["message"]
    answer = _ask(client, "粗大ごみの収集日はいつですか")
    assert "第四金曜日" in answer["text"] and "第二水曜日" not in answer["text"], answer
    assert _sources(client)["粗大ごみ.md"]["complete"]

    removed = client.delete("/v1/admin/documents", params={"source": "粗大ごみ.md"})
    assert removed.status_code == 200, removed.text
    assert removed.json()["source"] == "粗大ごみ.md" and removed.json()["audit_id"] > 0
    assert "粗大ごみ.md" not in _sources(client)
    answer = _ask(client, "粗大ごみの収集日はいつですか")
    assert all(c["source"] != "粗大ごみ.md" for c in answer["citations"])

    # Who changed the knowledge base, and how, is in the audit trail.
    added = _audit(client, "kb_add")
    assert [r["status"] for r in added] == ["allowed"]
    assert added[0]["user"] == "local" and added[0]["sources"] == ["粗大ごみ.md"]
    assert {r["answer"] for r in _audit(client, "kb_replace")} >= {replaced["message"]}
    assert [r["status"] for r in _audit(client, "kb_remove")] == ["allowed"]


def test_removing_a_missing_document_is_a_clear_404_and_is_audited(
    make_client: AppFactory,
) -> None:
    client = make_client()
    response = client.delete("/v1/admin/documents", params={"source": "ない文書.pdf"})
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail["code"] == "document_not_found"
    assert "ない文書.pdf" in detail["message"] and "索引にありません" in detail["message"]
    [record] = _audit(client, "kb_remove")
    assert record["status"] == "failed" and record["error_code"] == "document_not_found"
    missing_job = client.get("/v1/admin/documents/jobs/" + "0" * 32)
    assert missing_job.status_code == 404
    assert missing_job.json()["detail"]["code"] == "kb_job_not_found"


def test_names_with_folders_or_dot_dot_are_refused(make_client: AppFactory) -> None:
    client = make_client()
    for name in ("../../etc/passwd.txt", "..\\..\\boot.ini.txt", "a/b.md", "..", "x\x01.md"):
        response = client.post(
            "/v1/admin/documents", files={"file": (name, MANUAL.encode(), "text/plain")}
        )
        # python-multipart may hand over only the last part of a name with folders; either
        # way nothing outside the staging folder is named, and a bad name is a 400.
        if response.status_code == 202:
            job = wait_for_job(client, response.json()["id"])
            assert "/" not in job["source"] and "\\" not in job["source"], job
            assert ".." not in job["source"].split("/"), job
            continue
        assert response.status_code == 400, (name, response.text)
        assert response.json()["detail"]["code"] in ("invalid_file_name", "invalid_form")
    for source in ("../secret.md", "a/../../b.md", "x\x00.md"):
        response = client.post(
            "/v1/admin/documents",
            files={"file": ("ok.md", MANUAL.encode(), "text/plain")},
            data={"source": source},
        )
        assert response.status_code == 400, (source, response.text)
        assert response.json()["detail"]["code"] == "invalid_source"
        gone = client.delete("/v1/admin/documents", params={"source": source})
        assert gone.status_code in (400, 422), gone.text
    # Whatever was accepted is a bare name without control characters (the template's law
    # keeps the path it was ingested under).
    for source in _sources(client):
        if not source.endswith("gyousei_tetsuzuki_hou.txt"):
            assert "/" not in source and "\\" not in source and source.isprintable(), source


def test_oversized_empty_and_wrong_type_uploads_are_refused_before_queueing(
    make_client: AppFactory,
) -> None:
    client = make_client(max_upload_bytes=4096)
    too_big = upload(client, "大きい.txt", ("あ" * 3000).encode(), expect=413)
    assert too_big["detail"]["code"] in ("file_too_large", "request_too_large")
    assert upload(client, "空.txt", b"", expect=400)["detail"]["code"] == "empty_file"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    refused = upload(client, "写真.pdf", png, expect=415)
    assert refused["detail"]["code"] == "unsupported_file_type"
    assert "画像" in refused["detail"]["message"] or "一致しません" in refused["detail"]["message"]
    assert upload(client, "実行.exe", b"MZ" + b"\x00" * 64, expect=415)["detail"]["code"] == (
        "unsupported_file_type"
    )
    assert client.get("/v1/admin/documents/jobs").json() == []  # nothing was queued


def test_personal_data_is_screened_exactly_as_yakuba_ingest_screens_it(
    make_client: AppFactory, settings: Settings, tmp_path: Path
) -> None:
    client = make_client()
    mixed = MANUAL + "\n## 事例\n\n" + PERSONAL.split("\n\n", 1)[1]
    personal = wait_for_job(client, upload(client, "相談記録.md", PERSONAL.encode())["id"])
    partly = wait_for_job(client, upload(client, "手引き.md", mixed.encode())["id"])
    assert personal["outcome"] == "withheld", personal
    assert partly["outcome"] == "indexed" and partly["result"]["withheld"] >= 1, partly
    assert "相談記録.md" not in _sources(client)
    answer = _ask(client, "山田花子さんの転居の相談")
    assert MY_NUMBER not in str(answer) and "090-1234-5678" not in str(answer)

    # The CLI's path (KnowledgeBase.ingest over files on disk) judges the same files alike.
    folder = tmp_path / "cli"
    folder.mkdir()
    (folder / "相談記録.md").write_text(PERSONAL, encoding="utf-8")
    (folder / "手引き.md").write_text(mixed, encoding="utf-8")
    other = Runtime(settings.model_copy(update={"data_dir": tmp_path / "cli-data"}))
    other.knowledge_base.embedder = client.app.state.runtime.knowledge_base.embedder  # type: ignore[attr-defined]
    try:
        report = {Path(f.source).name: f for f in other.knowledge_base.ingest([folder]).files}
    finally:
        other.close()
    for name, job in (("相談記録.md", personal), ("手引き.md", partly)):
        assert report[name].status.value == job["outcome"]
        assert report[name].personal_data == job["result"]["personal_data"]
        assert report[name].withheld == job["result"]["withheld"]

    # The audit trail says who tried, with the findings, never the number itself.
    [blocked] = [r for r in _audit(client, "kb_add") if r["status"] == "blocked"]
    assert blocked["findings"].get("MY_NUMBER") == 1, blocked
    store: AuditStore = client.app.state.runtime.audit  # type: ignore[attr-defined]
    assert all(MY_NUMBER not in str(r.as_dict()) for r in store.records())
    # And the uploaded bytes are gone from the job table once the job ran.
    engine = create_engine(settings.audit_database_url)
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM kb_jobs WHERE content IS NOT NULL")).scalar()
            == 0
        )
    engine.dispose()


def test_a_resident_name_in_the_file_name_never_reaches_the_audit_log(
    make_client: AppFactory,
) -> None:
    client = make_client()
    name = "山田花子_090-1234-5678_相談.md"
    job = wait_for_job(client, upload(client, name, MANUAL.encode())["id"])
    assert job["outcome"] == "withheld", job
    assert "090-1234-5678" not in job["source"]
    # A file that cannot be read is reported with its name: masked as well.
    unreadable = upload(client, "山田花子_090-1234-5678.pdf", b"%PDF-1.4 broken")
    failed = wait_for_job(client, unreadable["id"])
    assert failed["status"] == "failed" and "090-1234-5678" not in failed["message"], failed
    store: AuditStore = client.app.state.runtime.audit  # type: ignore[attr-defined]
    assert all("090-1234-5678" not in str(r.as_dict()) for r in store.records())


def test_concurrent_replaces_of_one_document_leave_one_whole_version(
    make_client: AppFactory,
) -> None:
    client = make_client()
    versions = [MANUAL.replace("第二水曜日", f"第{n}月曜日") for n in "一二三四"]
    jobs: dict[str, str] = {}  # job id → the weekday its version names
    lock = threading.Lock()

    def send(day: str, text_: str) -> None:
        body = upload(client, "競合.md", text_.encode())
        with lock:
            jobs[body["id"]] = day

    threads = [
        threading.Thread(target=send, args=pair) for pair in zip("一二三四", versions, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    finished = [wait_for_job(client, j) for j in jobs]
    assert all(j["status"] == "done" for j in finished), finished
    state = _sources(client)["競合.md"]
    assert state["complete"], state
    kb = client.app.state.runtime.knowledge_base  # type: ignore[attr-defined]
    hits = [h for h in kb.search("粗大ごみの収集日", k=20) if h.source == "競合.md"]
    days = {d for h in hits for d in ("一", "二", "三", "四") if f"第{d}月曜日" in h.text}
    assert len(days) == 1, days  # one version, never a mix of two
    # Jobs run one at a time, so the last one audited wins: its version is the one indexed.
    last = max(finished, key=lambda j: j["audit_id"])
    assert days == {jobs[last["id"]]}, (days, last)


def test_the_index_answers_searches_while_a_large_document_is_added(
    make_client: AppFactory,
) -> None:
    client = make_client()
    big = "\n\n".join(
        f"## 第{n}節 窓口業務の手順\n\n"
        + f"窓口{n}番では、申請書の受付と審査基準の確認を行います。" * 8
        for n in range(1, 301)
    )
    errors: list[str] = []
    answered = 0
    stop = threading.Event()

    def search_loop() -> None:
        nonlocal answered
        while not stop.is_set():
            response = client.post("/v1/ask", json={"question": "審査基準の公表"})
            if response.status_code != 200 or not response.json()["citations"]:
                errors.append(f"{response.status_code} {response.text[:200]}")
            answered += 1

    searcher = threading.Thread(target=search_loop)
    searcher.start()
    try:
        job = wait_for_job(client, upload(client, "窓口手順.md", big.encode())["id"])
    finally:
        stop.set()
        searcher.join()
    assert job["outcome"] == "indexed" and job["result"]["chunks"] > 50, job
    assert answered > 0 and errors == [], errors[:3]
