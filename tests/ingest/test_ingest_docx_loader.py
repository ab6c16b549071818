"""DOCX loading: heading styles as locators, tables as rows, ordinances, bad packages."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from ingest._errors import LoaderError, UnsupportedFileError
from ingest._loaders import load_chunks
from ingest._models import DocType
from tests.ingest._loader_files import add_member, load_error, locators, write, zip_bytes


def _save(document: docx.document.Document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _guide(*, core_title: str = "") -> bytes:
    document = docx.Document()
    document.core_properties.title = core_title
    document.add_paragraph("転入届の手引き", style="Title")
    document.add_paragraph("この手引きは市民課の窓口で使います。")
    document.add_paragraph("転入から14日以内に届け出てください。")
    document.add_heading("1. 必要書類", level=1)
    document.add_paragraph("転出証明書をお持ちください。")
    # Documents from other tools carry the Japanese style name; custom styles inherit.
    document.styles.add_style("見出し 2", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("本人確認", style="見出し 2")
    document.add_paragraph("# 記号で始まる本文です。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [("書類", "部数", "備考"), ("転出証明書", "1通", ""), ("本人確認書類", "1点", "顔写真付き")]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(1, 2))  # a merged cell is read once
    custom = document.styles.add_style("窓口見出し", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Heading 1"]
    document.add_paragraph("2. 手数料", style="窓口見出し")
    document.add_paragraph("転入届は無料です。")
    return _save(document)


def test_headings_tables_and_paragraph_locators(tmp_path: Path) -> None:
    chunks = load_chunks(write(tmp_path, "guide.docx", _guide()), source="docs/guide.docx")
    assert [(c.locator, c.text) for c in chunks] == [
        (
            "段落2〜3",
            "この手引きは市民課の窓口で使います。\n\n転入から14日以内に届け出てください。",
        ),
        ("1. 必要書類", "転出証明書をお持ちください。"),
        (
            "1. 必要書類 > 本人確認",
            "＃ 記号で始まる本文です。\n\n書類 | 部数 | 備考\n転出証明書 | 1通\n本人確認書類 | 1点 | 顔写真付き",
        ),
        ("2. 手数料", "転入届は無料です。"),
    ]
    assert {c.title for c in chunks} == {"転入届の手引き"}  # the Title-styled paragraph
    assert {c.doc_type for c in chunks} == {DocType.MANUAL}
    assert {c.source for c in chunks} == {"docs/guide.docx"}
    assert [c.ordinal for c in chunks] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("core_title", "expected"),
    [("窓口マニュアル", "窓口マニュアル"), ("", "転入届の手引き"), ("無題", "転入届の手引き")],
)
def test_title(tmp_path: Path, core_title: str, expected: str) -> None:
    chunks = load_chunks(write(tmp_path, "g.docx", _guide(core_title=core_title)), source="g.docx")
    assert {c.title for c in chunks} == {expected}


def test_title_falls_back_to_first_heading_then_file_name(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("前置き")
    document.add_heading("ごみの分け方", level=1)
    document.add_paragraph("燃やすごみは月曜日です。")
    chunks = load_chunks(write(tmp_path, "gomi.docx", _save(document)), source="gomi.docx")
    assert {c.title for c in chunks} == {"ごみの分け方"}
    # The heading that became the title is in every citation already, not in the path.
    assert locators(chunks) == ["段落1", "段落3"]

    document = docx.Document()
    document.add_paragraph("見出しのない文書です。")
    chunks = load_chunks(write(tmp_path, "メモ.docx", _save(document)), source="メモ.docx")
    assert [(c.title, c.locator) for c in chunks] == [("メモ", "段落1")]


def test_long_section_is_split_within_max_chars(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "窓口マニュアル"
    document.add_heading("受付の流れ", level=1)
    for n in range(1, 30):
        document.add_paragraph(
            f"手順{n}：来庁者の用件を確認し、必要な書類がそろっているかを確かめます。"
        )
    chunks = load_chunks(
        write(tmp_path, "flow.docx", _save(document)), source="f.docx", max_chars=200
    )
    assert len(chunks) > 5
    assert {c.locator for c in chunks} == {"受付の流れ"}
    assert all(len(c.text) <= 200 for c in chunks)


def test_ordinance_in_word_is_chunked_by_article(tmp_path: Path) -> None:
    document = docx.Document()
    for line in [
        "○○市手数料条例",
        "(趣旨)",
        "第1条　この条例は、手数料に関し必要な事項を定めるものとする。",
        "(手数料の額)",
        "第2条　手数料の額は、別表のとおりとする。",
        "2　市長は、特に必要と認めるときは、手数料を減免することができる。",
        "第3条　この条例の施行に関し必要な事項は、規則で定める。",
        "附　則",
        "この条例は、令和6年4月1日から施行する。",
    ]:
        document.add_paragraph(line)
    chunks = load_chunks(write(tmp_path, "fee.docx", _save(document)), source="fee.docx")
    assert locators(chunks) == ["第1条", "第2条", "第3条", "附則"]
    assert [c.heading for c in chunks] == ["趣旨", "手数料の額", "手数料の額", ""]
    assert {c.doc_type for c in chunks} == {DocType.ORDINANCE}
    assert {c.title for c in chunks} == {"○○市手数料条例"}
    assert chunks[1].text == (
        "第2条\u3000手数料の額は、別表のとおりとする。\n"
        "2\u3000市長は、特に必要と認めるときは、手数料を減免することができる。"
    )


# -- bad packages -----------------------------------------------------------------------

_GUIDE = _guide()


@pytest.mark.parametrize(
    ("data", "fragment", "error_type"),
    [
        (_GUIDE[: len(_GUIDE) // 2], "途中までしか保存されていません", LoaderError),
        (_GUIDE[:-30], "途中までしか保存されていません", LoaderError),  # central directory cut
        (_save(docx.Document()), "空のWord文書", LoaderError),
        (
            zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<x/>"}),
            "Office文書（Word・Excel以外）",
            UnsupportedFileError,
        ),
        (
            zip_bytes({"[Content_Types].xml": _GUIDE[:0] + b"wordprocessingml.document.main"}),
            "Word文書（.docx）として読み込めません",
            LoaderError,
        ),
        (zip_bytes({"readme.txt": "説明".encode()}), "ZIP圧縮ファイル", UnsupportedFileError),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "パスワードで保護されたOffice文書",
            UnsupportedFileError,
        ),
        (bytes(range(256)) * 4, "Word文書（.docx）として読み込めません", LoaderError),
    ],
    ids=[
        "truncated",
        "no-central-directory",
        "empty",
        "not-word",
        "parts-missing",
        "plain-zip",
        "ole2",
        "garbage",
    ],
)
def test_bad_docx(
    tmp_path: Path, data: bytes, fragment: str, error_type: type[LoaderError]
) -> None:
    error = load_error(write(tmp_path, "bad.docx", data), fragment)
    assert type(error) is error_type


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = add_member(_GUIDE, "word/media/image1.png", 3 * 1024 * 1024)
    assert len(bomb) < 100_000  # 3 MiB of zeros compress to a few kilobytes
    path = write(tmp_path, "bomb.docx", bomb)
    load_error(path, "圧縮爆弾", max_unpacked_bytes=2 * 1024 * 1024)
    assert load_chunks(path, source="bomb.docx", max_unpacked_bytes=4 * 1024 * 1024)


def test_zip_bomb_over_the_default_limit(tmp_path: Path) -> None:
    bomb = add_member(_GUIDE, "word/media/image1.png", 101 * 1024 * 1024)
    load_error(write(tmp_path, "bomb.docx", bomb), "展開すると大きすぎます")


def test_oversized_docx(tmp_path: Path) -> None:
    load_error(write(tmp_path, "big.docx", _GUIDE), "大きすぎ", max_bytes=len(_GUIDE) - 1)
