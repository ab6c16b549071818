"""Ingest screens what the index stores: titles, headings, table rows read across their
cells, and chunks as the model sees them (issue 13 findings 1 and 3) — under the guard's
public-document policy, so that public tables are still indexed (issue 12).

Real Word files built with python-docx; the real guard. Facility rows are 焼津市's open
data (/work/shared/data/yaizu, 公共データ利用規約 第1.0版, credit 焼津市).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from guardrails import Guard, build_guard
from ingest import (
    EXIT_OK,
    EXIT_WITHHELD,
    FileResult,
    FileStatus,
    Hit,
    IngestReport,
    KnowledgeBase,
    UseEmbedder,
    open_knowledge_base,
)
from service.runtime import screen_public_text

EMBEDDER = UseEmbedder()
HEADING = "山田太郎様（090-1234-5678）からの苦情への対応"
MY_NUMBER = "123456789018"  # a valid check digit
# Rows of 焼津市's facility lists (credit 焼津市): name, address, phone number, 課.
FACILITIES = [
    ("焼津市役所", "静岡県焼津市本町2-16-32", "054-626-1111", "総務課"),
    ("焼津図書館", "静岡県焼津市三ケ名1550-2", "054-629-7722", "図書課"),
    ("大井川図書館", "静岡県焼津市宗高909-1", "054-662-1120", "図書課"),
    ("焼津地域交流センター", "静岡県焼津市本町5-6-1", "054-626-6100", "地域づくり課"),
]


@pytest.fixture(scope="module")
def guard() -> Iterator[Guard]:
    built = build_guard()
    yield built
    built.close()


def _kb(tmp_path: Path, guard: Guard, *, withhold: bool) -> KnowledgeBase:
    return open_knowledge_base(
        data_dir=tmp_path / "data",
        embedder=EMBEDDER,
        screen=lambda text: screen_public_text(guard, text),
        withhold_flagged=withhold,
    )


@pytest.fixture
def kb(tmp_path: Path, guard: Guard) -> Iterator[KnowledgeBase]:
    base = _kb(tmp_path, guard, withhold=True)
    yield base
    base.close()


@pytest.fixture
def kb_report(tmp_path: Path, guard: Guard) -> Iterator[KnowledgeBase]:
    base = _kb(tmp_path, guard, withhold=False)
    yield base
    base.close()


def _stored(kb: KnowledgeBase) -> list[Hit]:
    """Every chunk the index holds (the test documents are small)."""
    return kb.search("窓口 対応 案内", k=100, mode="dense")


def _payload_text(kb: KnowledgeBase) -> str:
    return "\n".join(f"{h.title}\n{h.locator}\n{h.heading}\n{h.text}" for h in _stored(kb))


def _manual(path: Path, *, title: str = "窓口対応マニュアル", heading: str = HEADING) -> Path:
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading("受付の流れ", level=1)
    document.add_paragraph("来庁者には番号札を渡し、受付順に案内します。")
    document.add_heading(heading, level=1)
    document.add_paragraph("経緯を記録し、課長に報告します。回答は文書で行います。")
    document.save(str(path))
    return path


def _ingest_one(kb: KnowledgeBase, path: Path) -> FileResult:
    report = kb.ingest([path])
    assert len(report.files) == 1
    return report.files[0]


def test_a_heading_with_a_residents_name_and_phone_withholds_its_section(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    result = _ingest_one(kb, _manual(tmp_path / "manual.docx"))
    assert result.status is FileStatus.INDEXED
    assert result.withheld == 1
    assert result.withheld_units.get("heading") == 1
    assert {"PERSON", "PHONE_NUMBER"} <= set(result.personal_data)
    stored = _payload_text(kb)
    assert "受付順に案内" in stored
    for raw in ("山田", "090-1234-5678", "苦情"):
        assert raw not in stored


def test_in_report_mode_the_heading_is_stored_masked(
    kb_report: KnowledgeBase, tmp_path: Path
) -> None:
    result = _ingest_one(kb_report, _manual(tmp_path / "manual.docx"))
    assert (result.status, result.withheld, result.masked) == (FileStatus.INDEXED, 0, 1)
    stored = _payload_text(kb_report)
    assert "<氏名>様（<電話番号>）からの苦情への対応" in stored
    assert "山田" not in stored and "090-1234-5678" not in stored
    assert "課長に報告" in stored  # the section itself is kept


def test_a_personal_title_withholds_the_whole_document(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = _manual(tmp_path / "case.docx", title=HEADING, heading="対応の記録")
    result = _ingest_one(kb, path)
    assert result.status is FileStatus.WITHHELD
    assert result.withheld_units.get("title") == 2
    assert "表題" in (result.error or "")
    assert kb.index.count() == 0


def test_a_personal_title_is_masked_in_report_mode(
    kb_report: KnowledgeBase, tmp_path: Path
) -> None:
    path = _manual(tmp_path / "case.docx", title=HEADING, heading="対応の記録")
    result = _ingest_one(kb_report, path)
    assert result.status is FileStatus.INDEXED and result.masked == 2
    titles = {h.title for h in _stored(kb_report)}
    assert titles == {"<氏名>様（<電話番号>）からの苦情への対応"}


def _table_doc(path: Path, rows: list[list[str]], *, merge_header: bool = False) -> Path:
    document = docx.Document()
    document.add_heading("窓口の記録", level=1)
    document.add_paragraph("来庁者の対応状況は次のとおりです。")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    if merge_header:
        # The header's last cell spans every column after it (one digit per cell below).
        first = 1
        merged = table.cell(0, first).merge(table.cell(0, len(rows[0]) - 1))
        merged.text = rows[0][first]
    document.save(str(path))
    return path


def test_a_my_number_typed_one_digit_per_cell_is_withheld(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    rows = [["受付", *["個人番号"] * 12], ["本人確認済", *MY_NUMBER]]
    result = _ingest_one(kb, _table_doc(tmp_path / "t.docx", rows, merge_header=True))
    assert result.status is FileStatus.WITHHELD
    assert result.personal_data.get("MY_NUMBER") == 1
    assert result.withheld_units == {"row": 1}


def test_digits_across_cells_without_a_header_are_read_as_one_number(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    rows = [["番号", "1234", "5678", "9018"], ["受付", "済", "", ""]]
    result = _ingest_one(kb, _table_doc(tmp_path / "t.docx", rows))
    assert result.personal_data.get("MY_NUMBER") == 1
    assert result.status is FileStatus.WITHHELD


def test_surname_and_given_name_cells_with_an_address_are_withheld(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    rows = [["姓", "名", "住所"], ["山田", "太郎", "焼津市本町2-16-32"]]
    result = _ingest_one(kb, _table_doc(tmp_path / "t.docx", rows))
    assert result.status is FileStatus.WITHHELD
    assert "PERSON" in result.personal_data


def test_in_report_mode_a_withheld_row_is_stored_as_its_masked_reading(
    kb_report: KnowledgeBase, tmp_path: Path
) -> None:
    rows = [["姓", "名", "住所"], ["山田", "太郎", "焼津市本町2-16-32"]]
    result = _ingest_one(kb_report, _table_doc(tmp_path / "t.docx", rows))
    assert result.status is FileStatus.INDEXED and result.masked == 1
    stored = _payload_text(kb_report)
    assert "氏名: <氏名>、住所: <住所>" in stored
    assert "山田" not in stored and "2-16-32" not in stored
    assert "姓 | 名 | 住所" in stored  # the header row is kept as shown


def test_a_public_facility_table_is_indexed_whole(kb: KnowledgeBase, tmp_path: Path) -> None:
    rows = [["名称", "所在地", "電話番号", "担当課"], *[list(f) for f in FACILITIES]]
    result = _ingest_one(kb, _table_doc(tmp_path / "t.docx", rows))
    assert (result.status, result.withheld, result.masked) == (FileStatus.INDEXED, 0, 0)
    stored = _payload_text(kb)
    for name, address, phone, _ in FACILITIES:
        assert name in stored and address in stored and phone in stored


def test_a_public_facility_csv_is_indexed_whole(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = tmp_path / "facilities.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["名称", "住所", "電話番号", "担当課"])
        writer.writerows(FACILITIES)
    result = _ingest_one(kb, path)
    assert (result.status, result.withheld) == (FileStatus.INDEXED, 0)
    assert "054-626-1111" in _payload_text(kb)


def _residents_csv(folder: Path) -> Path:
    path = folder / "visitors.csv"
    path.write_text(
        "姓,名,住所,用件\n山田,太郎,焼津市本町2-16-32,転入届\n佐藤,花子,焼津市三ケ名1550-2,住民票\n",
        encoding="utf-8",
    )
    return path


def test_a_residents_csv_with_surname_and_given_name_columns_is_withheld(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    path = _residents_csv(tmp_path)
    result = _ingest_one(kb, path)
    assert result.status is FileStatus.WITHHELD
    assert result.withheld_units.get("row") == 1


def test_an_xlsx_with_digits_one_per_cell_is_withheld(kb: KnowledgeBase, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["受付番号", "メモ"])
    sheet.append(["12", "電話"])
    sheet.append(["電話番号", "090", "1234", "5678"])
    path = tmp_path / "memo.xlsx"
    book.save(str(path))
    result = _ingest_one(kb, path)
    assert "PHONE_NUMBER" in result.personal_data


def test_exit_codes() -> None:
    indexed = FileResult(source="a", status=FileStatus.INDEXED, chunks=3, withheld=1)
    withheld = FileResult(source="b", status=FileStatus.WITHHELD)
    failed = FileResult(source="c", status=FileStatus.FAILED, error="壊れています")
    assert IngestReport(files=[indexed]).exit_code == EXIT_OK
    assert IngestReport(files=[indexed, withheld]).exit_code == EXIT_WITHHELD
    assert IngestReport(files=[indexed, withheld, failed]).exit_code == 1
    summary = IngestReport(files=[indexed, withheld]).summary_ja()
    assert "登録 1（3 チャンク）" in summary and "登録せず（個人情報等） 1" in summary


def test_an_html_table_is_read_with_its_colspan_header(kb: KnowledgeBase, tmp_path: Path) -> None:
    digits = "".join(f"<td>{d}</td>" for d in MY_NUMBER)
    public = "".join(f"<tr><td>{n}</td><td>{a}</td><td>{p}</td></tr>" for n, a, p, _ in FACILITIES)
    (tmp_path / "public.html").write_text(
        "<html><head><title>施設一覧</title></head><body><h1>施設一覧</h1>"
        "<table><tr><th>名称</th><th>所在地</th><th>電話番号</th></tr>"
        f"{public}</table></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "memo.html").write_text(
        "<html><head><title>受付メモ</title></head><body><h1>受付メモ</h1><p>本人確認の記録。</p>"
        '<table><tr><th>受付</th><th colspan="12">番号</th></tr>'
        f"<tr><td>済</td>{digits}</tr></table></body></html>",
        encoding="utf-8",
    )
    public_result = _ingest_one(kb, tmp_path / "public.html")
    assert (public_result.status, public_result.withheld) == (FileStatus.INDEXED, 0)
    memo = _ingest_one(kb, tmp_path / "memo.html")
    assert memo.personal_data.get("MY_NUMBER") == 1
    assert memo.withheld_units.get("row") == 1


@pytest.mark.parametrize("withhold", [True, False])
def test_a_file_named_after_a_resident_is_withheld_in_either_mode(
    tmp_path: Path, guard: Guard, withhold: bool
) -> None:
    folder = tmp_path / "相談記録"
    folder.mkdir()
    path = folder / "山田太郎様_09012345678_対応.txt"
    path.write_text("対応の経緯を記録し、課長に報告します。", encoding="utf-8")
    base = _kb(tmp_path, guard, withhold=withhold)
    try:
        result = _ingest_one(base, path)
        assert result.status is FileStatus.WITHHELD
        assert "ファイル名" in (result.error or "")
        assert base.index.count() == 0
    finally:
        base.close()


def test_a_number_typed_down_a_column_is_withheld(kb: KnowledgeBase, tmp_path: Path) -> None:
    rows = [["個人番号"], *[[d] for d in MY_NUMBER]]
    result = _ingest_one(kb, _table_doc(tmp_path / "t.docx", rows))
    assert result.personal_data.get("MY_NUMBER") == 1
    assert result.status is FileStatus.WITHHELD


def _md(path: Path) -> Path:
    path.write_text(
        "# 窓口対応\n\n## 受付\n\n番号札を渡します。\n\n"
        "## 山田太郎様からの苦情\n\n連絡先は090-1234-5678です。折り返し連絡します。",
        encoding="utf-8",
    )
    return path


def test_a_name_in_a_heading_and_a_phone_in_its_body_withhold_together(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    result = _ingest_one(kb, _md(tmp_path / "m.md"))
    assert (result.status, result.withheld) == (FileStatus.INDEXED, 1)
    assert "山田" not in _payload_text(kb)


def test_in_report_mode_both_halves_are_masked(kb_report: KnowledgeBase, tmp_path: Path) -> None:
    result = _ingest_one(kb_report, _md(tmp_path / "m.md"))
    assert result.masked == 1
    stored = _payload_text(kb_report)
    assert "<氏名>様からの苦情" in stored and "連絡先は<電話番号>です" in stored
    assert "山田" not in stored and "090-1234-5678" not in stored


def test_in_report_mode_a_residents_csv_keeps_no_raw_value(
    kb_report: KnowledgeBase, tmp_path: Path
) -> None:
    path = _residents_csv(tmp_path)
    result = _ingest_one(kb_report, path)
    assert (result.status, result.masked) == (FileStatus.INDEXED, 1)
    stored = _payload_text(kb_report)
    assert stored.count("氏名: <氏名>、住所: <住所>、用件:") == 2
    for raw in ("山田", "太郎", "佐藤", "花子", "2-16-32", "1550-2"):
        assert raw not in stored


def test_only_chunks_indexed_as_written_publish_to_the_register(
    tmp_path: Path, guard: Guard
) -> None:
    """Report mode indexes a resident's section masked: its office number stays out of
    the public register, the clean section's number goes in with its locator."""
    from service.register import RegisterHarvest, RegisterQuery, RegisterStore

    store = RegisterStore(f"sqlite:///{tmp_path / 'register.sqlite3'}")
    kb = open_knowledge_base(
        data_dir=tmp_path / "data",
        embedder=EMBEDDER,
        screen=lambda text: screen_public_text(guard, text),
        withhold_flagged=False,
        published=RegisterHarvest(store),
    )
    try:
        document = docx.Document()
        document.add_heading("受付の流れ", level=1)
        document.add_paragraph("問い合わせ先は焼津市役所 市民課 054-626-1111 です。")
        document.add_heading(HEADING, level=1)
        document.add_paragraph("折り返しは市民課 054-626-2222 から行い、課長に報告します。")
        path = tmp_path / "manual.docx"
        document.save(str(path))
        result = _ingest_one(kb, path)
        assert result.status is FileStatus.INDEXED and result.masked == 1
        phones = store.search(RegisterQuery(kind="PHONE_NUMBER")).entries
        assert [(e.value, e.locator) for e in phones] == [("054-626-1111", "段落2")]
        assert store.search(RegisterQuery(text="090-1234-5678")).total == 0
        assert store.search(RegisterQuery(text="山田")).total == 0
    finally:
        kb.close()
        store.close()
