"""Question files as FAQ teams save them, and the files they save by mistake."""

from __future__ import annotations

import pytest

from service.faq import FaqInputError, Limits, inspect_questions, iter_questions
from tests.service.faq._data import question_rows, to_csv, to_xlsx

ROWS = question_rows()


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8（BOM付き）"), ("cp932", "Shift_JIS（CP932）")],
)
def test_csv_in_every_encoding_excel_writes(encoding: str, label: str) -> None:
    data = to_csv(ROWS, encoding=encoding)
    preview = inspect_questions(data, "質問.csv")
    assert preview.ok, preview.problems
    assert (preview.format, preview.encoding, preview.rows) == ("csv", label, len(ROWS))
    rows = list(iter_questions(data, "質問.csv"))
    assert [r.question for r in rows] == [r["質問"] for r in ROWS]
    assert rows[0].id == "Q001" and rows[0].category == ROWS[0]["カテゴリ"]


def test_xlsx_with_numeric_ids_and_trailing_empty_rows() -> None:
    data = to_xlsx(
        [
            ["No", "質問", "分類"],
            [1, "ごみの収集日を知りたい", "ごみ"],
            [2, "印鑑登録の方法は", None],
        ]
        + [[None, None, None]] * 3
    )
    preview = inspect_questions(data, "質問.xlsx")
    assert preview.ok and preview.rows == 2 and preview.skipped_empty == 3
    rows = list(iter_questions(data, "質問.xlsx"))
    assert [(r.id, r.category) for r in rows] == [("1", "ごみ"), ("2", "")]


def test_missing_question_column_names_the_headers_found() -> None:
    data = to_csv([{"番号": "1", "内容": "ごみの日は"}])
    with pytest.raises(FaqInputError, match="「質問」の列が見つかりません.*「内容」"):
        inspect_questions(data, "x.csv")


def test_empty_question_rows_are_warnings_with_their_line() -> None:
    rows = [
        {"ID": "1", "質問": "ごみの日は"},
        {"ID": "2", "質問": "  "},
        {"ID": "3", "質問": "戸籍は"},
    ]
    preview = inspect_questions(to_csv(rows), "x.csv")
    assert preview.ok and preview.rows == 2
    assert [p.text() for p in preview.problems] == [
        "3行目「質問」列: 質問が空です。この行は読み飛ばします。"
    ]


def test_oversized_cells_and_files_and_too_many_rows() -> None:
    rows = [{"ID": "1", "質問": "あ" * 1001}]
    preview = inspect_questions(to_csv(rows), "x.csv")
    assert not preview.ok and "長すぎます（1,001文字）" in preview.problems[0].text()
    with pytest.raises(FaqInputError, match="ファイルが大きすぎます"):
        inspect_questions(b"a" * 2048, "x.csv", Limits(max_bytes=1024))
    many = [{"ID": str(i), "質問": f"質問{i}"} for i in range(6)]
    preview = inspect_questions(to_csv(many), "x.csv", Limits(max_rows=5))
    assert not preview.ok and "行が多すぎます" in preview.problems[0].message


def test_xlsx_formulas_are_errors_csv_formulas_are_text() -> None:
    data = to_xlsx([["質問"], ["住民票は"], ['=HYPERLINK("http://evil.example","戸籍")']])
    preview = inspect_questions(data, "x.xlsx")
    assert not preview.ok
    assert preview.problems[0].text().startswith("3行目「質問」列: 数式は読めません")
    with pytest.raises(FaqInputError):
        list(iter_questions(data, "x.xlsx"))
    csv_data = to_csv([{"質問": "=1+1 は何ですか"}])
    preview = inspect_questions(csv_data, "x.csv")
    assert preview.ok and preview.problems[0].severity == "warning"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, r"\.xls）は読めません"),
        (b"PK\x03\x04broken", "Excel ファイル（.xlsx）として読めません"),
        (b"\x81\xff\xfe\x80\x00abc", "バイナリ|文字コード"),
        (b"   \n", "ファイルが空です"),
    ],
)
def test_files_that_are_not_question_lists(data: bytes, message: str) -> None:
    with pytest.raises(FaqInputError, match=message):
        inspect_questions(data, "x.csv")


def test_duplicate_ids_are_errors() -> None:
    rows = [{"ID": "A", "質問": "ごみの日は"}, {"ID": "A", "質問": "戸籍は"}]
    preview = inspect_questions(to_csv(rows), "x.csv")
    assert not preview.ok and "2行目と重複" in preview.problems[0].message
