"""XLSX loading: FAQ sheets (one pair per chunk), other sheets as rows, bad workbooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from ingest._errors import LoaderError, UnsupportedFileError
from ingest._loaders import load_chunks, xlsx
from ingest._loaders.xlsx import cell_text
from ingest._models import DocType
from tests.ingest._loader_files import add_member, load_error, locators, write

Rows = Sequence[Sequence[object]]


def _workbook(sheets: dict[str, Rows], *, hidden: Sequence[str] = (), title: str = "") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title or None
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FAQ: Rows = [
    ["市民課 よくある質問（令和6年4月現在）"],  # a title row above the header
    [],
    ["No.", "カテゴリ", "質問（Q）", "回答（A）", "担当課", "更新日"],
    [
        "Q-001",
        "住民票",
        "住民票の写しはどこで取れますか。",
        "本庁舎1階の市民課窓口で取れます。",
        "市民課",
        dt.datetime(2024, 4, 1),
    ],
    [None, "戸籍", "戸籍謄本の手数料はいくらですか。", "1通450円です。", "市民課", None],
    ["Q-003", "印鑑", "印鑑登録に必要なものは？", None, "市民課", None],  # no answer yet: skipped
]


def test_faq_sheet_gives_one_chunk_per_pair(tmp_path: Path) -> None:
    path = write(tmp_path, "faq.xlsx", _workbook({"FAQ": FAQ}, title="市民課FAQ"))
    chunks = load_chunks(path, source="faq/faq.xlsx")
    assert [(c.locator, c.heading, c.text) for c in chunks] == [
        (
            "FAQ Q-001",  # the sheet's own ID
            "住民票の写しはどこで取れますか。",
            "Q: 住民票の写しはどこで取れますか。\nA: 本庁舎1階の市民課窓口で取れます。\n"
            "（カテゴリ: 住民票／担当課: 市民課／更新日: 2024-04-01）",
        ),
        (
            "FAQ 5",  # no ID: the row number Excel shows
            "戸籍謄本の手数料はいくらですか。",
            "Q: 戸籍謄本の手数料はいくらですか。\nA: 1通450円です。\n（カテゴリ: 戸籍／担当課: 市民課）",
        ),
    ]
    assert {c.doc_type for c in chunks} == {DocType.FAQ}
    assert {c.title for c in chunks} == {"市民課FAQ"}
    assert {c.source for c in chunks} == {"faq/faq.xlsx"}
    assert [c.ordinal for c in chunks] == [0, 1]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("質問", "回答"),
        ("問", "答"),
        ("Q", "A"),
        ("ｑ", "ａ"),
        ("問い合わせ内容", "回答内容"),
        ("質問（Q）", "回答（A）"),
        ("【質問】", "【回答】"),
        ("Question", "Answer"),
        ("質問 ", " 回答"),
    ],
)
def test_question_and_answer_headers(tmp_path: Path, question: str, answer: str) -> None:
    rows = [["番号", question, answer], [1, "開庁時間は？", "午前8時30分から午後5時15分までです。"]]
    chunks = load_chunks(write(tmp_path, "faq.xlsx", _workbook({"Sheet1": rows})), source="f.xlsx")
    assert [(c.locator, c.text) for c in chunks] == [
        ("FAQ 1", "Q: 開庁時間は？\nA: 午前8時30分から午後5時15分までです。")
    ]


def test_other_sheets_are_rows_and_sheet_names_prefix_faq_rows(tmp_path: Path) -> None:
    fees: Rows = [
        ["証明書", "手数料（円）"],
        ["住民票の写し", 300],
        ["印鑑登録証明書", 300.0],
        ["戸籍謄本", 450],
    ]
    data = _workbook(
        {"よくある質問": FAQ, "手数料表": fees, "作業用": [["メモ", "非表示"]]}, hidden=["作業用"]
    )
    chunks = load_chunks(write(tmp_path, "窓口.xlsx", data), source="窓口.xlsx")
    assert locators(chunks) == ["FAQ Q-001", "よくある質問 FAQ 5", "手数料表 行2〜4"]
    table = chunks[-1]
    assert (
        table.text
        == "証明書 | 手数料（円）\n住民票の写し | 300\n印鑑登録証明書 | 300\n戸籍謄本 | 450"
    )
    assert table.doc_type is DocType.OTHER
    assert table.title == "窓口"  # no document title: the file name
    assert not any("非表示" in c.text for c in chunks)  # hidden sheets are skipped


def test_long_tables_repeat_the_header(tmp_path: Path) -> None:
    rows: Rows = [["施設名", "所在地", "電話"]] + [
        [f"第{n}集会所", f"○○市中央{n}丁目{n}番地", f"0120-00-{n:04d}"] for n in range(1, 41)
    ]
    chunks = load_chunks(
        write(tmp_path, "t.xlsx", _workbook({"施設": rows})), source="t.xlsx", max_chars=200
    )
    assert len(chunks) > 5
    assert all(len(c.text) <= 200 and c.text.startswith("施設名 | 所在地 | 電話\n") for c in chunks)
    assert chunks[0].locator.startswith("施設 行2〜")
    assert chunks[-1].locator.endswith("〜41")


def test_question_list_without_answers_is_read_as_rows(tmp_path: Path) -> None:
    rows: Rows = [["質問", "回答"], ["粗大ごみの出し方は？", None], ["犬の登録は？", None]]
    chunks = load_chunks(write(tmp_path, "q.xlsx", _workbook({"質問票": rows})), source="q.xlsx")
    assert [(c.locator, c.doc_type) for c in chunks] == [("質問票 行2〜3", DocType.OTHER)]


def test_long_answer_is_split_with_the_question_repeated(tmp_path: Path) -> None:
    answer = "".join(
        f"手順{n}として、窓口で申請書を受け取り、必要事項を記入してください。" for n in range(1, 15)
    )
    rows: Rows = [["質問", "回答"], ["児童手当の申請方法は？", answer]]
    chunks = load_chunks(
        write(tmp_path, "a.xlsx", _workbook({"FAQ": rows})), source="a.xlsx", max_chars=200
    )
    assert len(chunks) > 2
    assert {c.locator for c in chunks} == {"FAQ 2"}
    assert {c.heading for c in chunks} == {"児童手当の申請方法は？"}
    assert all(
        len(c.text) <= 200 and c.text.startswith("Q: 児童手当の申請方法は？\nA") for c in chunks
    )
    assert chunks[1].text.startswith("Q: 児童手当の申請方法は？\nA（続き）: ")
    assert "".join(c.text.split(": ", 2)[2] for c in chunks) == answer


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (3.0, "3"),
        (0.1 + 0.2, "0.3"),
        (True, "TRUE"),
        (dt.datetime(2024, 4, 1), "2024-04-01"),
        (dt.datetime(2024, 4, 1, 9, 30), "2024-04-01 09:30"),
        (dt.date(2024, 4, 1), "2024-04-01"),
        ("  一行目_x000D_\r\n二行目 ", "一行目\n二行目"),
    ],
)
def test_cell_text(value: object, expected: str) -> None:
    assert cell_text(value) == expected


# -- bad workbooks ----------------------------------------------------------------------

_GOOD = _workbook({"FAQ": FAQ})


@pytest.mark.parametrize(
    ("data", "fragment", "error_type"),
    [
        (_GOOD[: len(_GOOD) // 2], "途中までしか保存されていません", LoaderError),
        (_workbook({"空": []}), "表にデータがありません", LoaderError),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "パスワードで保護されたOffice文書",
            UnsupportedFileError,
        ),
    ],
    ids=["truncated", "empty", "encrypted-or-xls"],
)
def test_bad_xlsx(
    tmp_path: Path, data: bytes, fragment: str, error_type: type[LoaderError]
) -> None:
    error = load_error(write(tmp_path, "bad.xlsx", data), fragment)
    assert type(error) is error_type


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = add_member(_GOOD, "xl/media/image1.png", 3 * 1024 * 1024)
    load_error(write(tmp_path, "bomb.xlsx", bomb), "圧縮爆弾", max_unpacked_bytes=2 * 1024 * 1024)


def test_row_and_cell_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows: Rows = [["番号", "内容"]] + [[n, f"行{n}"] for n in range(1, 30)]
    path = write(tmp_path, "rows.xlsx", _workbook({"データ": rows}))
    monkeypatch.setattr(xlsx, "MAX_ROWS", 20)
    load_error(path, "表が大きすぎます")
    monkeypatch.setattr(xlsx, "MAX_ROWS", 100)
    monkeypatch.setattr(xlsx, "MAX_CELLS", 50)
    load_error(path, "表が大きすぎます")
