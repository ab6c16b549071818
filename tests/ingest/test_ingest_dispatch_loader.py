"""load_chunks dispatch: content sniffing, extension mismatches, bad input for every type."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import docx
import openpyxl
import pytest

from ingest._errors import LoaderError, UnsupportedFileError
from ingest._loaders import SUPPORTED_SUFFIXES, load_chunks
from tests.ingest._loader_files import load_error, pdf_bytes, write, zip_bytes


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("転入届の手引き", level=1)
    document.add_paragraph("転出証明書をお持ちください。")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["質問", "回答"])
    workbook.active.append(["開庁時間は？", "午前8時30分からです。"])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SAMPLES: dict[str, bytes] = {
    ".pdf": pdf_bytes([["窓口の手引き", "受付は午前8時30分からです。"]]),
    ".docx": _docx(),
    ".xlsx": _xlsx(),
    ".csv": "質問,回答\n開庁時間は？,午前8時30分からです。\n".encode("cp932"),
    ".html": "<html><head><title>手引き</title></head><body><p>受付は8時30分からです。</p></body></html>".encode(),
    ".htm": "<!DOCTYPE html><p>受付は8時30分からです。</p>".encode(),
    ".xml": (
        "<Law><LawBody><LawTitle>窓口法</LawTitle><MainProvision><Article Num='1'>"
        "<ArticleTitle>第一条</ArticleTitle><Paragraph Num='1'><ParagraphNum/><ParagraphSentence>"
        "<Sentence>本文。</Sentence></ParagraphSentence></Paragraph></Article></MainProvision>"
        "</LawBody></Law>"
    ).encode(),
    ".txt": "受付は午前8時30分からです。\n".encode("cp932"),
    ".md": "# 手引き\n\n受付は午前8時30分からです。\n".encode(),
}
EXPECTED_LOCATOR = {
    ".pdf": "p.1",
    ".docx": "段落2",
    ".xlsx": "FAQ 2",
    ".csv": "FAQ 2",
    ".html": "段落1",
    ".htm": "段落1",
    ".xml": "第1条",
    ".txt": "1行目",
    ".md": "3行目",
}


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == set(SAMPLES)


@pytest.mark.parametrize("suffix", sorted(SAMPLES))
def test_every_format_loads(tmp_path: Path, suffix: str) -> None:
    chunks = load_chunks(write(tmp_path, f"doc{suffix}", SAMPLES[suffix]), source=f"doc{suffix}")
    assert chunks[0].locator == EXPECTED_LOCATOR[suffix]
    assert {c.source for c in chunks} == {f"doc{suffix}"}


@pytest.mark.parametrize("suffix", [".PDF", ".Docx", ".XLSX", ".HTML"])
def test_extension_case_does_not_matter(tmp_path: Path, suffix: str) -> None:
    assert load_chunks(write(tmp_path, f"DOC{suffix}", SAMPLES[suffix.lower()]), source="d")


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("report.docx", ".pdf", "拡張子（.docx）と内容が一致しません。内容はPDFです"),
        ("report.pdf", ".docx", "内容はWord文書（.docx）です"),
        ("faq.docx", ".xlsx", "内容はExcelブック（.xlsx）です"),
        ("guide.xlsx", ".docx", "内容はWord文書（.docx）です"),
        ("faq.csv", ".xlsx", "内容はExcelブック（.xlsx）です"),
        ("memo.txt", ".pdf", "内容はPDFです"),
        ("page.html", ".docx", "内容はWord文書（.docx）です"),
        ("law.xml", ".pdf", "内容はPDFです"),
        ("memo.pdf", ".txt", "内容はテキストです"),
        ("page.xlsx", ".html", "内容はHTMLです"),
        ("law.docx", ".xml", "内容はe-Gov法令XMLです"),
    ],
)
def test_extension_and_content_mismatch(
    tmp_path: Path, name: str, content: str, fragment: str
) -> None:
    error = load_error(write(tmp_path, name, SAMPLES[content]), fragment)
    assert type(error) is UnsupportedFileError


@pytest.mark.parametrize(
    ("name", "content"),
    [("manual", ".pdf"), ("guide.docx.bak", ".docx"), ("faq.dat", ".xlsx"), ("law", ".xml")],
)
def test_content_decides_when_the_extension_is_unknown(
    tmp_path: Path, name: str, content: str
) -> None:
    chunks = load_chunks(write(tmp_path, name, SAMPLES[content]), source=name)
    assert chunks[0].locator == EXPECTED_LOCATOR[content]


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        (
            "notes",
            "受付は8時30分からです。".encode(),
            "対応していないファイル形式です（拡張子なし）",
        ),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" * 20, "対応していないファイル形式です（.exe）"),
        ("scan.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "内容は画像（PNG）です"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "内容は画像（JPEG）です"),
        ("archive.docx", zip_bytes({"a.txt": b"x"}), "内容はZIP圧縮ファイルです"),
        (
            "slides.pptx",
            zip_bytes({"[Content_Types].xml": b"presentationml.presentation.main+xml"}),
            "PowerPoint",
        ),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "旧形式のOffice文書"),
        ("feed.xml", b"<?xml version='1.0'?><rss/>", "以外のXMLには対応していません"),
    ],
)
def test_unsupported_content(tmp_path: Path, name: str, data: bytes, fragment: str) -> None:
    error = load_error(write(tmp_path, name, data), fragment)
    assert type(error) is UnsupportedFileError


@pytest.mark.parametrize("suffix", sorted(SAMPLES))
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    error = load_error(write(tmp_path, f"empty{suffix}", b""), "ファイルが空です")
    assert type(error) is LoaderError


@pytest.mark.parametrize("suffix", sorted(SAMPLES))
def test_oversized_file(tmp_path: Path, suffix: str) -> None:
    data = SAMPLES[suffix]
    path = write(tmp_path, f"big{suffix}", data)
    error = load_error(path, "ファイルが大きすぎます", max_bytes=len(data) - 1)
    assert type(error) is LoaderError
    assert load_chunks(path, source="big", max_bytes=len(data))  # the limit is inclusive


GARBAGE = bytes(range(256)) * 4


@pytest.mark.parametrize(
    ("suffix", "fragment"),
    [
        (".pdf", "PDFとして読み込めません（ファイルが壊れているか、PDFではありません）"),
        (".docx", "Word文書（.docx）として読み込めません"),
        (".xlsx", "Excelブック（.xlsx）として読み込めません"),
        (".csv", "バイナリ"),
        (".txt", "バイナリ"),
        (".md", "バイナリ"),
        (".html", "バイナリ"),
        (".htm", "バイナリ"),
        (".xml", "XMLとして読み込めません"),
    ],
)
def test_binary_garbage(tmp_path: Path, suffix: str, fragment: str) -> None:
    error = load_error(write(tmp_path, f"garbage{suffix}", GARBAGE), fragment)
    assert type(error) is LoaderError


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_truncated_office_files(tmp_path: Path, suffix: str) -> None:
    data = SAMPLES[suffix]
    for cut in (len(data) // 3, len(data) - 10):
        load_error(write(tmp_path, f"cut{suffix}", data[:cut]), "途中までしか保存されていません")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    load_error(tmp_path / "missing.pdf", "ファイルが見つかりません")
    (tmp_path / "folder.docx").mkdir()
    load_error(tmp_path / "folder.docx", "ファイルではありません")
