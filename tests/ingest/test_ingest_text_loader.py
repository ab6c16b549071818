"""Reading .txt/.md files: encodings, newlines, bad input, and load_chunks dispatch."""

from __future__ import annotations

import codecs
import re
import shutil
from pathlib import Path

import pytest

from ingest._errors import LoaderError, UnsupportedFileError
from ingest._loaders import load_chunks, read_text
from ingest._models import DocType
from tests.ingest._law_samples import SAMPLES

TEXT = (
    "住民票の写しの交付申請について\n"
    "窓口は本庁舎一階の市民課です。受付時間は午前八時三十分から午後五時十五分までです。\n"
    "本人確認書類（運転免許証、マイナンバーカード等）をお持ちください。\n"
)
_JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("cp932", b""),
        ("shift_jis", b""),
        ("euc_jp", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_detects_encoding(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = _write(tmp_path, "doc.txt", bom + TEXT.encode(encoding))
    assert read_text(path) == TEXT


def test_cp932_only_characters(tmp_path: Path) -> None:
    # ① and ㈱ exist in Windows CP932 but not in plain Shift_JIS.
    text = "①申請書は㈱役場印刷で購入できます。\n"
    assert read_text(_write(tmp_path, "doc.txt", text.encode("cp932"))) == text


@pytest.mark.parametrize("text", ["日本語", "東京都千代田区", "あいうえお", "第五条"])
def test_short_euc_jp_is_not_mistaken_for_cp932(tmp_path: Path, text: str) -> None:
    assert read_text(_write(tmp_path, "doc.txt", text.encode("euc_jp"))) == text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_newlines_are_normalised(tmp_path: Path, newline: str) -> None:
    path = _write(tmp_path, "doc.md", TEXT.replace("\n", newline).encode("cp932"))
    assert read_text(path) == TEXT


def _assert_error(exc: LoaderError, path: Path, fragment: str) -> None:
    message = str(exc)
    assert fragment in message
    assert _JAPANESE.search(message), "messages are for Japanese users"
    assert exc.path == str(path)
    assert str(path) in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "空"),
        (b" \r\n\t\r\n", "空"),
        ("\u3000\n".encode(), "空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "バイナリ"),
        ("本文".encode() + b"\x00\x00" + "続き".encode(), "バイナリ"),
        (b"\x85\x40\x85\x41\xa0\xa0", "バイナリ"),  # neither UTF-8, CP932 nor EUC-JP
        (bytes(range(1, 32)) * 20, "バイナリ"),
    ],
    ids=["empty", "whitespace", "fullwidth-space", "png", "nul", "undecodable", "controls"],
)
def test_bad_content(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = _write(tmp_path, "bad.txt", data)
    with pytest.raises(LoaderError) as info:
        read_text(path)
    assert type(info.value) is LoaderError
    _assert_error(info.value, path, fragment)


def test_oversized_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.txt", TEXT.encode())
    with pytest.raises(LoaderError) as info:
        read_text(path, max_bytes=100)
    _assert_error(info.value, path, "大きすぎ")
    assert read_text(path, max_bytes=len(TEXT.encode())) == TEXT  # the limit is inclusive


@pytest.mark.parametrize("name", ["scan.png", "report.pdf", "memo.docx", "README", "x.exe"])
def test_unknown_extension(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name, TEXT.encode())
    with pytest.raises(UnsupportedFileError) as info:
        read_text(path)
    assert isinstance(info.value, LoaderError)  # callers may catch the parent
    _assert_error(info.value, path, "対応していないファイル形式")


def test_uppercase_extension_is_accepted(tmp_path: Path) -> None:
    assert read_text(_write(tmp_path, "NOTE.TXT", TEXT.encode())) == TEXT


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.txt"
    with pytest.raises(LoaderError) as info:
        read_text(path)
    _assert_error(info.value, path, "見つかりません")


def test_directory(tmp_path: Path) -> None:
    path = tmp_path / "folder.md"
    path.mkdir()
    with pytest.raises(LoaderError) as info:
        read_text(path)
    _assert_error(info.value, path, "ファイルではありません")


# -- load_chunks -----------------------------------------------------------------------


def test_load_chunks_law(tmp_path: Path) -> None:
    # The same law saved by a Windows editor: CP932 with CRLF.
    original = (SAMPLES / "gyousei_tetsuzuki_hou.txt").read_text(encoding="utf-8")
    path = _write(tmp_path, "gyousei.txt", original.replace("\n", "\r\n").encode("cp932"))
    chunks = load_chunks(path, source="reiki/gyousei.txt")
    assert chunks[0].title == "行政手続法"
    assert chunks[0].doc_type is DocType.LAW
    assert all(c.source == "reiki/gyousei.txt" for c in chunks)
    assert chunks == load_chunks(SAMPLES / "gyousei_tetsuzuki_hou.txt", source="reiki/gyousei.txt")


def test_load_chunks_ordinance(tmp_path: Path) -> None:
    text = "○○市手数料条例\n\n第一条\n\n\u3000本文。\n\n第二条\n\n\u3000本文。\n"
    chunks = load_chunks(_write(tmp_path, "fee.txt", text.encode()), source="fee.txt")
    assert [c.locator for c in chunks] == ["第1条", "第2条"]
    assert {c.doc_type for c in chunks} == {DocType.ORDINANCE}


def test_load_chunks_markdown_manual(tmp_path: Path) -> None:
    text = "# 転入届の手引き\n\n## 必要書類\n\n転出証明書をお持ちください。\n"
    chunks = load_chunks(_write(tmp_path, "guide.md", text.encode()), source="guide.md")
    assert [(c.title, c.locator, c.doc_type) for c in chunks] == [
        ("転入届の手引き", "必要書類", DocType.MANUAL)
    ]


def test_load_chunks_title_falls_back_to_file_stem(tmp_path: Path) -> None:
    path = _write(tmp_path, "窓口メモ.txt", TEXT.encode("cp932"))
    chunks = load_chunks(path, source="窓口メモ.txt", max_chars=60)
    assert {c.title for c in chunks} == {"窓口メモ"}
    assert all(len(c.text) <= 60 for c in chunks)


def test_load_chunks_propagates_loader_errors(tmp_path: Path) -> None:
    path = tmp_path / "law.pdf"
    shutil.copy(SAMPLES / "koseki_hou.txt", path)
    with pytest.raises(UnsupportedFileError):
        load_chunks(path, source="law.pdf")
