"""The console's API: `/v1/admin/audit/*`, `/v1/admin/usage` and `/v1/history`, against
the real app (the audit store on SQLite in the test's own folder)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ingest import Embedder
from service.audit import JST, AuditRecord, AuditStatus, AuditStore
from service.auth import AccessControl, AuthMethod, Principal
from service.settings import Settings

from .conftest import AppFactory
from .test_audit_store import entry, entry_of
from .test_auth_support import bearer, jwt_settings, start, token

MY_NUMBER = "123456789018"
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


def _store(client: TestClient) -> AuditStore:
    store: AuditStore = client.app.state.runtime.audit  # type: ignore[attr-defined]
    return store


def _japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


# (department, user, channel, status, task, findings, prompt, answer)
COLUMNS = ("department", "user", "channel", "status", "task", "findings", "prompt", "answer")
ROWS: list[tuple[str, str, str, AuditStatus, str, dict[str, int], str, str]] = [
    ("市民課", "u1", "web", AuditStatus.ALLOWED, "ask", {}, "転入届の書き方", "窓口で受け付けます"),
    ("市民課", "u2", "web", AuditStatus.BLOCKED, "ask", {"MY_NUMBER": 1}, "<マイナンバー>の方", ""),
    ("税務課", "u3", "api", AuditStatus.MASKED, "draft", {"PERSON": 2}, "<氏名>様へ通知", "案文"),
    ("税務課", "u3", "slack", AuditStatus.FAILED, "summarize", {}, "=SUM(A1:A9)", ""),
    (
        "総務課",
        "u4",
        "batch",
        AuditStatus.BLOCKED,
        "ask",
        {"MY_NUMBER": 2, "PHONE_NUMBER": 1},
        "x",
        "",
    ),
    ("市民課", "u1", "web", AuditStatus.ALLOWED, "faq", {}, "住民票の写しの交付", "@請求できます"),
    ("総務課", "u5", "api", AuditStatus.ALLOWED, "translate", {}, "ごみの日", "garbage day"),
]


@pytest.fixture
def filled(make_client: AppFactory) -> TestClient:
    """An app in `none` mode (the local user is admin) over seven records."""
    client = make_client()
    store = _store(client)
    for n, row in enumerate(ROWS):
        store.append(entry_of(n, COLUMNS, row))
    return client


def _ids(client: TestClient, **params: Any) -> list[int]:
    response = client.get("/v1/admin/audit/records", params=params)
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["records"]]


def test_records_are_filtered_by_each_condition(filled: TestClient) -> None:
    assert _ids(filled) == [7, 6, 5, 4, 3, 2, 1]  # newest first
    assert _ids(filled, department="市民課") == [6, 2, 1]
    assert _ids(filled, user="u3") == [4, 3]
    assert _ids(filled, channel="web") == [6, 2, 1]
    assert _ids(filled, status="blocked") == [5, 2]
    assert _ids(filled, task="ask") == [5, 2, 1]
    assert _ids(filled, text="交付") == [6]  # in the prompt
    assert _ids(filled, text="garbage") == [7]  # in the answer
    assert _ids(filled, department="市民課", status="allowed", task="faq") == [6]
    today = datetime.now(JST).date()
    assert len(_ids(filled, since=today.isoformat(), until=today.isoformat())) == 7
    assert _ids(filled, until=(today - timedelta(days=1)).isoformat()) == []
    assert _ids(filled, since=(today + timedelta(days=1)).isoformat()) == []


def test_records_page_through_with_the_cursor(filled: TestClient) -> None:
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = filled.get("/v1/admin/audit/records", params=params).json()
        assert len(body["records"]) <= 3
        seen += [r["id"] for r in body["records"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [7, 6, 5, 4, 3, 2, 1] and pages == 3
    record = filled.get("/v1/admin/audit/records", params={"limit": 1}).json()["records"][0]
    assert record["created_at"].endswith("+09:00")  # JST for people
    assert record["findings"] == {} and record["user"] == "u5"


@pytest.mark.parametrize(
    ("params", "field", "phrase"),
    [
        ({"since": "2026-13-01"}, "since", "日付"),
        ({"until": "昨日"}, "until", "日付"),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "until", "開始日が終了日より後"),
        ({"limit": "0"}, "limit", "1 以上"),
        ({"limit": "501"}, "limit", "500 以下"),
        ({"limit": "many"}, "limit", "整数"),
        ({"channel": "fax"}, "channel", "いずれか"),
        ({"status": "deleted"}, "status", "いずれか"),
        ({"text": "x" * 201}, "text", "200文字以内"),
        ({"cursor": "not-a-cursor"}, "cursor", "cursor"),
    ],
)
def test_invalid_query_parameters_are_refused_in_japanese(
    filled: TestClient, params: dict[str, str], field: str, phrase: str
) -> None:
    response = filled.get("/v1/admin/audit/records", params=params)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail["code"] == "invalid_input"
    assert _japanese(detail["message"]) and phrase in detail["message"], detail
    assert detail["errors"][0]["field"] == field
    # the same filter checks guard the statistics (which take no paging parameters)
    expected = 200 if field in ("limit", "cursor") else 422
    assert filled.get("/v1/admin/audit/stats", params=params).status_code == expected


def test_one_record_with_its_feedback(filled: TestClient) -> None:
    store = _store(filled)
    store.add_feedback(
        audit_id=3, user="u3", rating="down", comment="<氏名>が違う", findings={"PERSON": 1}
    )
    body = filled.get("/v1/admin/audit/records/3").json()
    assert (body["id"], body["user"], body["status"], body["task"]) == (3, "u3", "masked", "draft")
    assert body["prompt"] == "<氏名>様へ通知" and body["answer"] == "案文"
    assert body["sources"] == ["行政手続法 第5条"]
    assert body["record_hash"] and body["prev_hash"]
    [feedback] = body["feedback"]
    assert feedback["rating"] == "down" and feedback["comment"] == "<氏名>が違う"
    assert feedback["created_at"].endswith("+09:00")
    assert filled.get("/v1/admin/audit/records/1").json()["feedback"] == []
    missing = filled.get("/v1/admin/audit/records/999")
    assert missing.status_code == 404
    assert missing.json()["detail"]["code"] == "not_found"
    assert "999" in missing.json()["detail"]["message"]
    assert filled.get("/v1/admin/audit/records/0").status_code == 422


def test_stats_count_usage_and_findings_with_japanese_labels(filled: TestClient) -> None:
    body = filled.get("/v1/admin/audit/stats").json()
    assert body["total"] == 7
    assert body["by_department"] == {"市民課": 3, "税務課": 2, "総務課": 2}
    assert body["by_status"] == {"allowed": 3, "blocked": 2, "failed": 1, "masked": 1}
    assert body["by_task"]["ask"] == 3
    assert body["by_channel"]["web"] == 3
    assert sum(body["by_day"].values()) == 7
    assert body["findings"]["blocked"] == {"MY_NUMBER": 3, "PHONE_NUMBER": 1}
    assert body["findings"]["masked"] == {"PERSON": 2}
    assert body["entity_labels"]["MY_NUMBER"] == "マイナンバー"
    assert body["entity_labels"]["PERSON"] == "氏名"
    only = filled.get("/v1/admin/audit/stats", params={"department": "総務課"}).json()
    assert only["total"] == 2 and only["findings"]["blocked"] == {"MY_NUMBER": 2, "PHONE_NUMBER": 1}
    assert filled.get("/v1/admin/audit/stats").headers["cache-control"] == "no-store"


def test_csv_export_is_excel_safe_and_filtered(filled: TestClient) -> None:
    response = filled.get("/v1/admin/audit/export", params={"format": "csv", "user": "u3"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.csv"')
    assert response.headers["cache-control"] == "no-store"
    raw = response.content
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["監査ID", "日時（JST）", "リクエストID"]
    assert [r[0] for r in rows[1:]] == ["3", "4"]  # oldest first
    prompts = {r[0]: r[rows[0].index("入力（秘匿化済み）")] for r in rows[1:]}
    assert prompts["4"] == "'=SUM(A1:A9)"  # a formula is neutralised


def test_jsonl_export_has_one_record_per_line(filled: TestClient) -> None:
    response = filled.get("/v1/admin/audit/export", params={"format": "jsonl", "status": "blocked"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.headers["content-disposition"].endswith('.jsonl"')
    lines = response.text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [2, 5]
    assert json.loads(lines[0])["created_at"].endswith("+09:00")
    nothing = filled.get("/v1/admin/audit/export", params={"format": "jsonl", "user": "nobody"})
    assert nothing.status_code == 200 and nothing.content == b""
    header_only = filled.get("/v1/admin/audit/export", params={"user": "nobody"})
    assert header_only.content.decode("utf-8-sig").count("\r\n") == 1  # the header row
    bad = filled.get("/v1/admin/audit/export", params={"format": "xlsx"})
    assert bad.status_code == 422 and bad.json()["detail"]["errors"][0]["field"] == "format"


def test_export_streams_many_chunks_completely(make_client: AppFactory) -> None:
    client = make_client()
    store = _store(client)
    for n in range(400):
        store.append(entry(n, answer="回答" * 150 + f"-{n}"))  # ≈ 300 characters each
    response = client.get("/v1/admin/audit/export", params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert len(rows) == 401
    assert rows[-1][rows[0].index("回答")].endswith("-399")
    assert len(response.content) > 3 * 64 * 1024  # more than one piece of the stream
    with client.stream("GET", "/v1/admin/audit/export?format=jsonl") as streamed:
        lines = sum(chunk.count(b"\n") for chunk in streamed.iter_bytes())
    assert lines == 400


def test_verify_reports_a_tampered_record(filled: TestClient) -> None:
    never = filled.get("/v1/admin/audit/verify", params={"cached": "true"}).json()
    assert never["ok"] is None and never["verified_at"] is None and never["cached"] is True
    intact = filled.get("/v1/admin/audit/verify").json()
    assert intact["ok"] is True and intact["breaks"] == [] and intact["checked"] == 7
    assert intact["verified_at"].endswith("+09:00") and intact["cached"] is False
    store = _store(filled)
    with store.session() as session, session.begin():
        session.execute(update(AuditRecord).where(AuditRecord.id == 3).values(answer="書き換え"))
    # the cached result is the last check's until the next check
    assert filled.get("/v1/admin/audit/verify?cached=true").json()["ok"] is True
    broken = filled.get("/v1/admin/audit/verify").json()
    assert broken["ok"] is False
    assert [b["record_id"] for b in broken["breaks"]] == [3]
    assert "書き換え" in broken["breaks"][0]["reason"]
    cached = filled.get("/v1/admin/audit/verify?cached=true").json()
    assert cached["ok"] is False and cached["cached"] is True


# -- with real callers (JWT) -------------------------------------------------------------------


@pytest.fixture
def jwt_client(
    indexed_data_dir: Path, warm_embedder: Embedder, tmp_path: Path
) -> Iterator[TestClient]:
    settings = jwt_settings(
        Settings(data_dir=indexed_data_dir),
        tmp_path,
        quota_user_requests_per_day=100,
        quota_department_requests_per_day=1000,
        quota_user_tokens_per_month=50_000,
        quota_department_tokens_per_month=0,
    )
    client = start(settings, warm_embedder)
    yield client
    client.__exit__(None, None, None)


def test_staff_see_only_their_own_history(jwt_client: TestClient) -> None:
    sato = bearer(token("sato", roles=["staff"], department="市民課"))
    kato = bearer(token("kato", roles=["staff"], department="税務課"))
    for headers in (sato, kato, sato):
        assert jwt_client.post("/v1/ask", json={"question": QUESTION}, headers=headers).is_success
    blocked = jwt_client.post(
        "/v1/ask", json={"question": f"マイナンバー{MY_NUMBER}の審査基準"}, headers=kato
    )
    assert blocked.json()["status"] == "blocked"
    store = _store(jwt_client)
    for n in range(5):
        store.append(entry(100 + n, user="kato", department="税務課"))

    mine = jwt_client.get("/v1/history", headers=sato)
    assert mine.status_code == 200 and mine.headers["cache-control"] == "no-store"
    assert [r["user"] for r in mine.json()["records"]] == ["sato", "sato"]
    # asking for someone else changes nothing: there is no user parameter to honour
    assert {
        r["user"] for r in jwt_client.get("/v1/history?user=kato", headers=sato).json()["records"]
    } == {"sato"}
    # a cursor from kato's pages positions within sato's records only
    page = jwt_client.get("/v1/history", params={"limit": 2}, headers=kato).json()
    assert page["next_cursor"] and {r["user"] for r in page["records"]} == {"kato"}
    other = jwt_client.get(
        "/v1/history", params={"cursor": page["next_cursor"]}, headers=sato
    ).json()
    assert {r["user"] for r in other["records"]} <= {"sato"}
    # kato's own history has the block, redacted, never the number
    kato_all = jwt_client.get("/v1/history", params={"status": "blocked"}, headers=kato).json()
    [record] = kato_all["records"]
    assert MY_NUMBER not in json.dumps(record, ensure_ascii=False)
    assert "<マイナンバー>" in record["prompt"]
    # and no staff member can read the log at large
    for path in ("/v1/admin/audit/records", "/v1/admin/audit/records/1", "/v1/admin/usage"):
        assert jwt_client.get(path, headers=sato).status_code == 403, path
    # the auditor reads everyone's; their own history is empty (they do not use the assistant)
    auditor = bearer(token("kansa", roles=["auditor"], department="情報政策課"))
    users = {
        r["user"]
        for r in jwt_client.get("/v1/admin/audit/records", headers=auditor).json()["records"]
    }
    assert users == {"sato", "kato"}
    assert jwt_client.get("/v1/history", headers=auditor).json()["records"] == []


def test_usage_reports_each_user_and_department_against_the_limits(
    jwt_client: TestClient,
) -> None:
    access: AccessControl = jwt_client.app.state.access  # type: ignore[attr-defined]
    for user, dept, n in (("sato", "市民課", 3), ("ito", "市民課", 1), ("kato", "税務課", 2)):
        for _ in range(n):
            access.quota.admit(Principal(user=user, department=dept, method=AuthMethod.JWT))
    access.quota.record_tokens("sato", "市民課", 1200)
    admin = bearer(token("boss", roles=["admin"], department="情報政策課"))
    response = jwt_client.get("/v1/admin/usage", headers=admin)
    assert response.status_code == 200
    body = response.json()
    now = datetime.now(JST)
    assert body["day"] == now.strftime("%Y-%m-%d") and body["month"] == now.strftime("%Y-%m")
    assert body["limits"]["user_requests_per_day"] == 100
    users = {u["key"]: u for u in body["users"]}
    assert [u["key"] for u in body["users"]] == ["sato", "kato", "ito"]  # busiest first
    assert users["sato"]["requests_today"] == 3 and users["sato"]["tokens_this_month"] == 1200
    assert users["sato"]["requests_per_day"] == 100 and users["sato"]["tokens_per_month"] == 50_000
    departments = {d["key"]: d for d in body["departments"]}
    assert departments["市民課"]["requests_today"] == 4
    assert departments["市民課"]["tokens_this_month"] == 1200
    assert departments["税務課"]["requests_per_day"] == 1000
    assert departments["税務課"]["tokens_per_month"] == 0  # unlimited


def test_export_that_cannot_read_the_log_is_a_japanese_503(
    filled: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.errors import AuditError

    def broken(*_: object, **__: object) -> int:
        raise AuditError("監査ログのデータベースに接続できません")

    monkeypatch.setattr(_store(filled), "export", broken)
    response = filled.get("/v1/admin/audit/export", params={"format": "csv"})
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert detail["code"] == "audit_error" and "書き出せませんでした" in detail["message"]
