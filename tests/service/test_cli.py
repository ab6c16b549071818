"""The `yakuba` command as a user runs it (Typer's CliRunner, real components)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.audit import AuditStore
from service.cli import app
from service.cli.serve import check_workers
from service.settings import Settings, get_settings

runner = CliRunner()
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"
# A syntactically valid マイナンバー (check digit per 施行令第8条); synthetic, nobody's number.
MY_NUMBER = "123456789018"


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("YAKUBA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("YAKUBA_DATABASE_URL", settings.audit_database_url)
    for name in ("YAKUBA_LLM_BASE_URL", "YAKUBA_LLM_MODEL", "YAKUBA_QDRANT_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_ask_answers_extractively_with_article_citation(env: Settings) -> None:
    result = runner.invoke(app, ["ask", QUESTION])
    assert result.exit_code == 0, result.output
    assert "抽出モード" in result.output
    assert "行政手続法 第5条" in result.output
    assert "審査基準を公にしておかなければならない" in result.output
    assert "gyousei_tetsuzuki_hou.txt" in result.output


def test_ask_json_reports_mode_and_citations(env: Settings) -> None:
    result = runner.invoke(app, ["ask", QUESTION, "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["mode"] == "extractive"
    assert answer["status"] == "answered"
    assert any(
        c["locator"].startswith("第5条") and c["title"] == "行政手続法" for c in answer["citations"]
    )


def test_ask_with_my_number_is_refused_and_audited_without_the_number(env: Settings) -> None:
    result = runner.invoke(app, ["ask", f"個人番号{MY_NUMBER}の方の転入届について教えて"])
    assert result.exit_code == 2
    assert "マイナンバー" in result.output
    assert MY_NUMBER not in result.output
    store = AuditStore(env.audit_database_url)
    records = store.records()
    store.close()
    assert [r.status for r in records] == ["blocked"]
    assert records[0].findings == {"MY_NUMBER": 1}
    assert "<マイナンバー>" in records[0].prompt
    dump = json.dumps([r.as_dict() for r in records], ensure_ascii=False, default=str)
    assert MY_NUMBER not in dump


def test_search_json_contract(env: Settings) -> None:
    result = runner.invoke(app, ["search", "審査基準の公表", "--json", "--k", "3"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output)
    assert line["id"] is None
    assert len(line["hits"]) == 3
    assert set(line["hits"][0]) >= {"source", "title", "locator", "score", "text"}


def test_search_jsonl_batch(env: Settings, tmp_path: Path) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "q1", "query": "審査基準"}\n{"id": "q2", "query": "開示請求の手続"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["search", "--jsonl", str(queries), "--k", "2"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert [x["id"] for x in lines] == ["q1", "q2"]
    assert all(len(x["hits"]) == 2 for x in lines)


def test_guard_scan_contract(env: Settings, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": 1, "text": f"番号は{MY_NUMBER}です"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "b", "text": "窓口の受付時間を教えてください"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["guard", "scan", "--jsonl", str(src)])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(x) for x in result.output.splitlines())
    assert first["id"] == 1 and first["action"] == "block"
    finding = first["findings"][0]
    assert finding["type"] == "MY_NUMBER"
    assert (finding["start"], finding["end"]) == (3, 15)
    assert first["redacted"] == "番号は<マイナンバー>です"
    assert second == {
        "id": "b",
        "action": "allow",
        "findings": [],
        "redacted": "窓口の受付時間を教えてください",
    }


def test_guard_scan_rejects_malformed_lines(env: Settings) -> None:
    result = runner.invoke(app, ["guard", "scan"], input="not json\n")
    assert result.exit_code == 1
    assert "1行目" in result.output


def test_ingest_again_changes_nothing(env: Settings, corpus_dir: Path) -> None:
    result = runner.invoke(app, ["ingest", str(corpus_dir)])
    assert result.exit_code == 0, result.output
    assert "登録 0" in result.output
    assert "変更なし 2" in result.output


def _fresh_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty index and an empty folder of documents to ingest."""
    monkeypatch.setenv("YAKUBA_DATA_DIR", str(tmp_path / "fresh"))
    get_settings.cache_clear()
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def test_ingest_reports_bad_files_and_exits_nonzero(
    env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _fresh_docs(tmp_path, monkeypatch)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "memo.txt").write_text(
        "窓口の受付時間は午前8時30分から午後5時15分までです。", encoding="utf-8"
    )
    result = runner.invoke(app, ["ingest", str(folder)])
    assert result.exit_code == 1
    assert "empty.txt" in result.output
    assert "登録 1" in result.output


def test_serve_refuses_unauthenticated_public_bind(env: Settings) -> None:
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "ループバック" in result.output


def test_serve_refuses_several_workers_on_the_embedded_index(env: Settings) -> None:
    """The embedded index opens in one process only (bench/index_readers.py): a second
    worker would fail on its lock, so the command says what to set up instead."""
    result = runner.invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 1
    assert "YAKUBA_QDRANT_URL" in result.output and "--workers 1" in result.output
    check_workers(env.model_copy(update={"qdrant_url": "http://qdrant:6333"}), 2)


@pytest.mark.parametrize(("mode", "indexed_chunks"), [("withhold", 1), ("report", 2)])
def test_ingest_screens_public_documents_for_personal_data(
    env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, indexed_chunks: int
) -> None:
    monkeypatch.setenv("YAKUBA_DATA_DIR", str(tmp_path / "fresh"))
    monkeypatch.setenv("YAKUBA_INGEST_PERSONAL_DATA", mode)
    get_settings.cache_clear()
    doc = tmp_path / "manual.md"
    doc.write_text(
        "# 窓口の案内\n\n受付は平日の午前8時30分からです。\n\n"
        "# 苦情対応メモ\n\n申請者の山田太郎様の携帯は090-1234-5678です。",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", str(doc)])
    assert result.exit_code == 0, result.output
    assert "電話番号×1" in result.output
    assert f"登録 1（{indexed_chunks} チャンク）" in result.output
    hits = runner.invoke(app, ["search", "携帯", "--json"]).output
    # A private person's name with their number: withheld, or indexed masked.
    assert "090-1234-5678" not in hits and "山田" not in hits
    assert ("<電話番号>" in hits) is (mode == "report")


def test_ingest_exits_3_when_a_document_is_withheld_whole(
    env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _fresh_docs(tmp_path, monkeypatch)
    (folder / "guide.md").write_text(
        "# 窓口の案内\n\n市民課（054-626-1111）の受付は平日です。", encoding="utf-8"
    )
    (folder / "case.md").write_text("# 本人確認\n\n個人番号 123456789018", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(folder)])
    assert result.exit_code == 3, result.output
    assert "登録 1" in result.output and "登録せず（個人情報等） 1" in result.output


def test_ingest_department_and_type_then_filter_search(
    env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YAKUBA_DATA_DIR", str(tmp_path / "fresh"))
    get_settings.cache_clear()
    (tmp_path / "zei").mkdir()
    (tmp_path / "zei" / "guide.md").write_text(
        "# 納税の案内\n\n市税は口座振替で納付できます。", encoding="utf-8"
    )
    (tmp_path / "shimin").mkdir()
    (tmp_path / "shimin" / "guide.md").write_text(
        "# 窓口の案内\n\n住民票は口座振替の申込みと同じ窓口です。", encoding="utf-8"
    )
    for folder, dept in (("zei", "税務課"), ("shimin", "市民課")):
        result = runner.invoke(
            app, ["ingest", str(tmp_path / folder), "--department", dept, "--doc-type", "manual"]
        )
        assert result.exit_code == 0, result.output
    out = runner.invoke(app, ["search", "口座振替", "--json", "--department", "税務課"]).output
    hits = json.loads(out)["hits"]
    assert [(h["department"], h["doc_type"]) for h in hits] == [("税務課", "manual")]
    bad = runner.invoke(app, ["search", "口座振替", "--doc-type", "memo"])
    assert bad.exit_code == 2


def test_an_empty_index_says_so(
    env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: a data directory without an index (another YAKUBA_DATA_DIR than the
    demo's) answers 「見つかりませんでした」 — and now says why."""
    monkeypatch.setenv("YAKUBA_DATA_DIR", str(tmp_path / "elsewhere"))
    get_settings.cache_clear()
    asked = runner.invoke(app, ["ask", QUESTION]).output.replace("\n", "")
    assert "索引（コレクション yakuba" in asked and "yakuba ingest" in asked
    searched = runner.invoke(app, ["search", "審査基準"]).output.replace("\n", "")
    assert "資料がありません" in searched
    monkeypatch.setenv("YAKUBA_DATA_DIR", str(env.data_dir))
    get_settings.cache_clear()
    assert "資料がありません" not in runner.invoke(app, ["search", "審査基準"]).output
