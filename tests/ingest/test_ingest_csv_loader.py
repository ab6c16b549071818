"""CSV loading: FAQ files in the encodings Excel writes, plain tables, bad CSV files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ingest._errors import LoaderError
from ingest._loaders import load_chunks
from ingest._models import DocType
from tests.ingest._loader_files import load_error, locators, write

FAQ = (
    "ID,カテゴリ,質問,回答,担当課\r\n"
    "F-01,住民票,住民票の写しはどこで取れますか。,本庁舎1階の市民課窓口で取れます。,市民課\r\n"
    ',税,"①固定資産税の納期は？","年4回です。\r\n納税通知書をご確認ください。",税務課\r\n'
)
EXPECTED = [
    (
        "FAQ F-01",
        "住民票の写しはどこで取れますか。",
        "Q: 住民票の写しはどこで取れますか。\nA: 本庁舎1階の市民課窓口で取れます。\n"
        "（カテゴリ: 住民票／担当課: 市民課）",
    ),
    (
        "FAQ 3",
        "①固定資産税の納期は？",
        "Q: ①固定資産税の納期は？\nA: 年4回です。\n納税通知書をご確認ください。\n"
        "（カテゴリ: 税／担当課: 税務課）",
    ),
]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),  # Excel's 「CSV UTF-8」
        ("cp932", b""),  # Excel's 「CSV (コンマ区切り)」 on Japanese Windows
        ("utf-16-le", codecs.BOM_UTF16_LE),
    ],
)
def test_faq_csv_in_excel_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = write(tmp_path, "faq.csv", bom + FAQ.encode(encoding))
    chunks = load_chunks(path, source="faq/faq.csv")
    assert [(c.locator, c.heading, c.text) for c in chunks] == EXPECTED
    assert {c.doc_type for c in chunks} == {DocType.FAQ}
    assert {(c.title, c.source) for c in chunks} == {("faq", "faq/faq.csv")}


def test_euc_jp_and_tab_separated(tmp_path: Path) -> None:
    text = "問\t答\n粗大ごみの出し方は？\t電話で申し込んでください。\n"
    chunks = load_chunks(write(tmp_path, "faq.csv", text.encode("euc_jp")), source="faq.csv")
    assert [(c.locator, c.text) for c in chunks] == [
        ("FAQ 2", "Q: 粗大ごみの出し方は？\nA: 電話で申し込んでください。")
    ]


def test_plain_table_csv(tmp_path: Path) -> None:
    text = "施設名,所在地\n中央公民館,中央1-1\n北公民館,北町2-3\n\n南公民館,南町4-5\n"
    chunks = load_chunks(write(tmp_path, "施設.csv", text.encode("cp932")), source="施設.csv")
    assert [(c.locator, c.text, c.doc_type) for c in chunks] == [
        (
            "行2〜5",  # rows as Excel numbers them; the blank row 4 is skipped
            "施設名 | 所在地\n中央公民館 | 中央1-1\n北公民館 | 北町2-3\n南公民館 | 南町4-5",
            DocType.OTHER,
        )
    ]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "空"),
        (b"\r\n\r\n", "空"),
        (b",,,\r\n,,\r\n", "表にデータがありません"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "対応していないファイル形式です（内容は画像（PNG）です）",
        ),
        (bytes(range(1, 32)) * 20, "バイナリ"),
        (b"\x85\x40\x85\x41\xa0\xa0", "バイナリ"),
        (
            '質問,回答\n"'.encode() + "長".encode() * 140_000 + b'",x\n',
            "CSVの形式が正しくありません",
        ),
    ],
    ids=["empty", "blank-lines", "empty-cells", "png", "controls", "undecodable", "huge-field"],
)
def test_bad_csv(tmp_path: Path, data: bytes, fragment: str) -> None:
    load_error(write(tmp_path, "bad.csv", data), fragment)


def test_oversized_csv(tmp_path: Path) -> None:
    data = FAQ.encode()
    path = write(tmp_path, "big.csv", data)
    error = load_error(path, "大きすぎ", max_bytes=len(data) - 1)
    assert type(error) is LoaderError
    assert locators(load_chunks(path, source="big.csv", max_bytes=len(data))) == [
        "FAQ F-01",
        "FAQ 3",
    ]
