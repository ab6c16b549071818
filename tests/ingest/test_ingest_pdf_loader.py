"""PDF loading: Japanese text layer, page locators, law PDFs, page furniture, bad PDFs."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from ingest._chunking import split_law
from ingest._errors import LoaderError
from ingest._loaders import load_chunks
from ingest._loaders.pdf import _clean_page
from ingest._models import DocType
from tests.ingest._law_samples import law_text
from tests.ingest._loader_files import GOTHIC, MINCHO, load_error, locators, pdf_bytes, write

INTRO = "住民票の写しの交付申請について説明します。"
FEES = "住民票の写しは一通三百円です。"


def _manual(tmp_path: Path, **options: object) -> Path:
    pages = [  # a page under a quarter of max_chars (200 of 800 characters) is tiny
        ["窓口業務の手引き", *[INTRO] * 10],
        ["第2章　手数料", *[FEES] * 14, "戸籍謄本は一通四百五十円です。"],
        ["表紙裏"],
        ["問い合わせ先　市民課（内線123）"],
    ]
    return write(tmp_path, "manual.pdf", pdf_bytes(pages, **options))  # type: ignore[arg-type]


@pytest.mark.parametrize("font", [MINCHO, GOTHIC])
def test_reportlab_cid_fonts_round_trip_through_pypdf(font: str) -> None:
    # The premise of every PDF test here: pypdf reads reportlab's Japanese text back.
    line = "第一条　この条例は、①㈱「手数料」（０１２）を定める。ｶﾀｶﾅ"
    reader = pypdf.PdfReader(BytesIO(pdf_bytes([[line]], font=font, footer=None)))
    assert reader.pages[0].extract_text().strip() == line


def test_manual_is_chunked_per_page(tmp_path: Path) -> None:
    path = _manual(tmp_path, title="Microsoft Word - 窓口手引き.docx")
    chunks = load_chunks(path, source="docs/manual.pdf")
    # Pages 3 and 4 are tiny (under a quarter of max_chars) and join page 2.
    assert locators(chunks) == ["p.1", "p.2〜4"]
    assert {c.title for c in chunks} == {"窓口手引き"}  # the tool and extension are dropped
    assert {c.doc_type for c in chunks} == {DocType.MANUAL}
    assert {c.source for c in chunks} == {"docs/manual.pdf"}
    assert [c.ordinal for c in chunks] == [0, 1]
    assert INTRO in chunks[0].text and FEES not in chunks[0].text
    assert chunks[1].text.startswith("第2章\u3000手数料")
    assert chunks[1].text.endswith(
        "戸籍謄本は一通四百五十円です。\n\n表紙裏\n\n問い合わせ先\u3000市民課（内線123）"
    )
    assert not any("- 1 -" in c.text or "- 2 -" in c.text for c in chunks)  # page numbers


def test_long_pages_stay_alone_and_tiny_pages_share_a_chunk(tmp_path: Path) -> None:
    chunks = load_chunks(_manual(tmp_path), source="m.pdf", max_chars=200)
    assert locators(chunks) == ["p.1", "p.1", "p.2", "p.2", "p.3〜4"]
    assert all(len(c.text) <= 200 for c in chunks)
    assert chunks[-1].text == "表紙裏\n\n問い合わせ先\u3000市民課（内線123）"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (None, "窓口業務の手引き"),  # reportlab writes "untitled": the first line is used
        ("untitled", "窓口業務の手引き"),
        ("", "窓口業務の手引き"),
        ("転入届の手引き（令和6年版）", "転入届の手引き（令和6年版）"),
        ("C:\\Users\\yakuba\\手引き.docx", "窓口業務の手引き"),
    ],
)
def test_title_from_metadata_or_first_line(
    tmp_path: Path, title: str | None, expected: str
) -> None:
    chunks = load_chunks(_manual(tmp_path, title=title), source="m.pdf")
    assert {c.title for c in chunks} == {expected}


def test_long_page_is_split_but_never_crosses_pages(tmp_path: Path) -> None:
    lines = [f"{n}番目の説明です。" + "窓口での受付手順を確認します。" * 3 for n in range(1, 40)]
    path = write(tmp_path, "long.pdf", pdf_bytes([lines[:20], lines[20:]]))
    chunks = load_chunks(path, source="long.pdf", max_chars=300)
    assert len(chunks) > 4
    assert all(len(c.text) <= 300 for c in chunks)
    assert locators(chunks) == sorted(locators(chunks))  # p.1 … then p.2 …
    for chunk in chunks:
        page = 1 if chunk.locator == "p.1" else 2
        assert all(
            line in "".join(lines[(page - 1) * 20 : page * 20]) for line in chunk.text.split("\n")
        )


def test_page_labels_are_used(tmp_path: Path) -> None:
    pages = [[name, *[INTRO] * 10] for name in ("はしがき", "目次", "本文", "続き")]
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(BytesIO(pdf_bytes(pages))))
    writer.set_page_label(0, 1, style="/r")
    writer.set_page_label(2, 3, style="/D", start=1)
    buffer = BytesIO()
    writer.write(buffer)
    chunks = load_chunks(write(tmp_path, "labels.pdf", buffer.getvalue()), source="labels.pdf")
    assert locators(chunks) == ["p.i", "p.ii", "p.1", "p.2"]


_ORDINANCE = [
    [
        "○○市手数料条例",
        "令和5年3月31日条例第12号",
        "（趣旨）",
        "第1条　この条例は、地方自治法第227条の規定に基づき、手数料に関し必要な事項を定める",
        "ものとする。",
        "（手数料の額）",
        "第2条　手数料の額は、別表のとおりとする。",
        "2　前項の規定にかかわらず、市長が特に必要と認めるときは、手数料を減額し、又は",
    ],
    [
        "免除することができる。",
        "（徴収の時期）",
        "第3条　手数料は、申請の際に徴収する。ただし、市長が特別の理由があると認めるときは、",
        "この限りでない。",
        "2　既に納付された手数料は、還付しない。",
    ],
    ["附　則", "この条例は、令和5年4月1日から施行する。"],
]


def test_ordinance_pdf_gets_article_locators_with_pages(tmp_path: Path) -> None:
    path = write(tmp_path, "fee.pdf", pdf_bytes(_ORDINANCE, header="○○市例規集"))
    chunks = load_chunks(path, source="fee.pdf")
    assert locators(chunks) == ["第1条（p.1）", "第2条（p.1〜2）", "第3条（p.2）", "附則（p.3）"]
    assert {c.doc_type for c in chunks} == {DocType.ORDINANCE}
    assert {c.title for c in chunks} == {"○○市手数料条例"}  # the first line, not the header
    assert [c.heading for c in chunks[:3]] == ["趣旨", "手数料の額", "徴収の時期"]
    assert chunks[1].text == (
        "第2条\u3000手数料の額は、別表のとおりとする。\n"
        "2\u3000前項の規定にかかわらず、市長が特に必要と認めるときは、手数料を減額し、又は"
        "免除することができる。"
    )
    # The header repeated on every page is furniture, not part of any article.
    assert not any("例規集" in c.text or "- 2 -" in c.text for c in chunks)


def test_split_paragraphs_are_located_on_their_own_page(tmp_path: Path) -> None:
    pages = [
        [
            "○○市窓口規則",
            "第1条　この規則は、窓口の事務に関し必要な事項を定める。",
            "第2条　市長は、申請書の記載事項に不備があるときは、補正を求めなければならない。",
            "補正の期間は、申請者の事情を考慮して相当と認められる期間とする。",
        ],
        [
            "補正を求めるときは、その理由を書面で示さなければならない。",
            "2　申請者が前項の期間内に補正しないときは、市長は、申請を却下することができる。",
            "却下の通知は、書面により行い、不服申立ての方法を教示しなければならない。",
        ],
        [
            "3　前2項の規定は、電子情報処理組織を使用して行う申請について準用する。",
            "第3条　この規則は、公布の日から施行する。",
        ],
    ]
    path = write(tmp_path, "rule.pdf", pdf_bytes(pages))
    chunks = load_chunks(path, source="rule.pdf", max_chars=120)
    assert {c.doc_type for c in chunks} == {DocType.RULE}
    assert locators(chunks) == [
        "第1条（p.1）",
        "第2条第1項（p.1〜2）",
        "第2条第2項（p.2）",
        "第2条第3項（p.3）",
        "第3条（p.3）",
    ]
    assert chunks[3].text.startswith("第2条\n3\u3000前2項の規定は")  # the article as context


def test_owner_password_only_pdf_is_read(tmp_path: Path) -> None:
    # Restricted against printing/copying but openable by anyone: the empty password works.
    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0)
    path = _manual(tmp_path, encrypt=encrypt)
    assert pypdf.PdfReader(path).is_encrypted
    assert locators(load_chunks(path, source="m.pdf")) == ["p.1", "p.2〜4"]


def _aes_encrypted(password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(BytesIO(pdf_bytes([[INTRO]]))))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _scanned() -> bytes:
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer)
    for _ in range(2):
        pdf.rect(50, 50, 400, 600, fill=1)  # pixels, no text: what a scanner produces
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


_VALID = pdf_bytes([[INTRO], [FEES]])


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (
            pdf_bytes([[INTRO]], encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0)),
            "パスワードで保護されたPDF",
        ),
        (_aes_encrypted("secret"), "パスワードで保護されたPDF"),
        (
            _scanned(),
            "テキストが含まれていないPDFです（スキャン画像の可能性があります）。OCR後に取り込んでください",
        ),
        (pdf_bytes([[]], footer="- {n} -"), "テキストが含まれていないPDF"),  # only a page number
        (_VALID[: len(_VALID) // 2], "PDFとして読み込めません"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "PDFとして読み込めません"),
        (b"%PDF-1.4\n%%EOF\n", "PDFとして読み込めません"),
    ],
    ids=[
        "user-password",
        "aes-256",
        "scanned",
        "page-number-only",
        "truncated",
        "garbage",
        "no-objects",
    ],
)
def test_bad_pdfs(tmp_path: Path, data: bytes, fragment: str) -> None:
    error = load_error(write(tmp_path, "bad.pdf", data), fragment)
    assert type(error) is LoaderError


def test_aes_pdf_with_empty_user_password_is_read(tmp_path: Path) -> None:
    chunks = load_chunks(write(tmp_path, "aes.pdf", _aes_encrypted("")), source="aes.pdf")
    assert chunks[0].text == INTRO


def test_oversized_pdf(tmp_path: Path) -> None:
    path = write(tmp_path, "big.pdf", _VALID)
    load_error(path, "大きすぎ", max_bytes=len(_VALID) - 1)
    assert load_chunks(path, source="big.pdf", max_bytes=len(_VALID))


def test_kangxi_radicals_are_folded_to_kanji() -> None:
    # Word's PDF export maps some kanji to the look-alike Kangxi radicals (⽇ U+2F47).
    assert _clean_page("⽇本の⼈⼝\r\n第⼀条") == "日本の人口\n第一条"


def test_running_header_that_is_the_title_stays_on_page_one(tmp_path: Path) -> None:
    pages = [_ORDINANCE[0][1:], *_ORDINANCE[1:]]  # no title line: the header names the law
    path = write(tmp_path, "fee.pdf", pdf_bytes(pages, header="○○市手数料条例"))
    chunks = load_chunks(path, source="fee.pdf")
    assert {c.title for c in chunks} == {"○○市手数料条例"}
    assert {c.doc_type for c in chunks} == {DocType.ORDINANCE}
    assert not any("手数料条例" in c.text for c in chunks)


def test_real_law_printed_to_pdf_chunks_like_its_text(tmp_path: Path) -> None:
    # 行政手続法 laid out as a PDF prints it: lines wrapped at 40 characters, no blank
    # lines, a running header and page numbers. Articles, 項 and 附則 must come out as
    # from the text file, each with the pages it is printed on.
    text = law_text("gyousei_tetsuzuki_hou")
    lines = [
        line[start : start + 40]
        for line in text.split("\n")
        if line.strip()
        for start in range(0, len(line), 40)
    ]
    pages = [lines[start : start + 50] for start in range(0, len(lines), 50)]
    path = write(tmp_path, "gyousei.pdf", pdf_bytes(pages, header="行政手続法"))
    from_pdf = load_chunks(path, source="g")
    from_text = split_law(text, source="g")
    assert [(c.locator.rsplit("（p.", 1)[0], c.text, c.heading) for c in from_pdf] == [
        (c.locator, c.text, c.heading) for c in from_text
    ]
    squeezed = ["".join("".join(page).split()) for page in pages]
    for chunk in from_pdf:
        span = re.fullmatch(r".*（p\.(\d+)(?:〜(\d+))?）", chunk.locator)
        assert span is not None
        first, last = int(span.group(1)), int(span.group(2) or span.group(1))
        body = [line for line in chunk.text.split("\n") if not line.endswith("の続き）")]
        assert "".join(body[-1].split())[-12:] in "".join(squeezed[first - 1 : last])
    assert from_pdf[0].locator == "第1条（p.1）"
    assert from_pdf[-1].locator == f"附則（平成18年6月14日法律第66号）（p.{len(pages)}）"
