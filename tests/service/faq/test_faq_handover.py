"""`yakuba faq generate` while `yakuba serve` holds the embedded index: the CLI cannot open
the index, hands the job to the service through the shared database, follows it with its
progress bar and writes the output; the service's worker ran every row."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ingest import Embedder
from tests.service.faq._data import ROOT, to_csv
from tests.utils.live import serve_yakuba

ROWS = [
    {"ID": "1", "質問": "審査基準はどこで見られますか"},
    {"ID": "2", "質問": "行政文書の開示請求はどうやってするのですか"},
    {"ID": "3", "質問": "不利益処分をするときの手続きは？"},
    {"ID": "4", "質問": "鈴木一郎さん（080-1111-2222）が開示請求の結果を聞きたいそうです"},
]


def _faq_generate(
    data_dir: Path, audit_db: Path, src: Path, *args: str
) -> subprocess.CompletedProcess[bytes]:
    """`yakuba faq generate SRC ARGS…` in its own process, on the service's data and database."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "YAKUBA_DATA_DIR": str(data_dir),
        "YAKUBA_DATABASE_URL": f"sqlite:///{audit_db}",
    }
    command = [sys.executable, "-c", "from service.cli import app; app()", "faq", "generate"]
    return subprocess.run([*command, str(src), *args], env=env, capture_output=True, timeout=300)


def test_generate_hands_the_job_to_the_running_service(
    indexed_data_dir: Path, warm_embedder: Embedder, tmp_path: Path
) -> None:
    src = tmp_path / "質問.csv"
    src.write_bytes(to_csv(ROWS))
    out = tmp_path / "回答.xlsx"
    audit_db = tmp_path / "audit.sqlite3"
    with serve_yakuba(indexed_data_dir, warm_embedder, audit_db) as (_, app, llm):
        app.state.runtime.knowledge_base.search("審査基準", k=1)  # the service holds the index
        done = _faq_generate(indexed_data_dir, audit_db, src, "-o", str(out), "--user", "faq-team")
        stderr = done.stderr.decode()
        assert done.returncode == 0, stderr
        assert "ジョブをサービスに渡し" in stderr
        prompts = llm.all_prompt_text()
    assert "080-1111-2222" not in prompts
    assert len(llm.chat_requests) == 3  # the service's model answered; the blocked row never went
    from openpyxl import load_workbook

    sheet = load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted(r[4] for r in rows) == ["blocked", "ok", "ok", "ok"]
    assert all(str(r[6]) == "test-model" for r in rows if r[4] == "ok")


def test_via_local_refuses_while_the_service_holds_the_index(
    indexed_data_dir: Path, warm_embedder: Embedder, tmp_path: Path
) -> None:
    src = tmp_path / "質問.csv"
    src.write_bytes(to_csv(ROWS[:1]))
    audit_db = tmp_path / "audit.sqlite3"
    with serve_yakuba(indexed_data_dir, warm_embedder, audit_db) as (_, app, _llm):
        app.state.runtime.knowledge_base.search("審査基準", k=1)
        done = _faq_generate(
            indexed_data_dir, audit_db, src, "-o", str(tmp_path / "o.csv"), "--via", "local"
        )
    assert done.returncode == 1
    assert "別のプロセス" in done.stderr.decode() and "Traceback" not in done.stderr.decode()
