"""HTML loading: 例規集 pages, manuals by h1–h4, charsets, furniture, bad pages."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ingest._errors import UnsupportedFileError
from ingest._loaders import load_chunks
from ingest._models import DocType
from tests.ingest._loader_files import load_error, locators, write

# The shape 例規 systems publish: one <div> per article or paragraph, numbers in spans,
# captions in half-width brackets, the site's menu and footer around the text.
REIKI = """<!DOCTYPE html>
<html lang="ja"><head>
<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">
<title>○○市情報公開条例｜○○市例規集</title>
<script>var notice = "第9条　スクリプトの中の偽の条文";</script>
<style>.num { font-weight: bold; }</style>
</head><body>
<header><p>○○市例規集</p></header>
<nav><ul><li><a href="/">目次へ戻る</a></li></ul></nav>
<div id="main">
<h1>○○市情報公開条例</h1>
<p class="date">平成13年3月30日<br>条例第5号</p>
<h3>第1章　総則</h3>
<div class="article">
  <p class="caption">(目的)</p>
  <p><span class="num">第1条</span>　この条例は、市民の知る権利を尊重し、公文書の開示を請求する権利を明らかにすることを目的とする。</p>
</div>
<div class="article">
  <p class="caption">(定義)</p>
  <p><span class="num">第2条</span>　この条例において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。</p>
  <div class="item"><p>(1)　実施機関　市長、教育委員会及び議会をいう。</p></div>
  <div class="item"><p>(2)　公文書　実施機関の職員が職務上作成した文書をいう。</p></div>
</div>
<h3>第2章　公文書の開示</h3>
<div class="article">
  <p class="caption">(開示請求権)</p>
  <p><span class="num">第3条</span>　何人も、実施機関に対し、公文書の開示を請求することができる。</p>
  <p class="clause"><span class="num">2</span>　前項の請求は、書面により行わなければならない。</p>
</div>
<div class="article"><p><span class="num">第4条</span>　①削除</p></div>
<p>附　則</p>
<p>この条例は、平成13年7月1日から施行する。</p>
</div>
<footer><p>Copyright ○○市</p></footer>
</body></html>
"""


def test_reiki_page_is_chunked_by_article(tmp_path: Path) -> None:
    path = write(tmp_path, "jouhou.html", REIKI.encode("cp932"))
    chunks = load_chunks(path, source="https://example.lg.jp/reiki/jouhou.html")
    assert locators(chunks) == ["第1条", "第2条", "第3条", "第4条", "附則"]
    assert [c.heading for c in chunks] == ["目的", "定義", "開示請求権", "開示請求権", ""]
    assert {c.title for c in chunks} == {"○○市情報公開条例"}
    assert {c.doc_type for c in chunks} == {DocType.ORDINANCE}
    assert chunks[1].text == (
        "第2条\u3000この条例において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。\n"
        "(1)\u3000実施機関\u3000市長、教育委員会及び議会をいう。\n"
        "(2)\u3000公文書\u3000実施機関の職員が職務上作成した文書をいう。"
    )
    assert chunks[2].text.endswith("\n2\u3000前項の請求は、書面により行わなければならない。")
    assert chunks[3].text == "第4条\u3000①削除"  # a CP932-only character survived
    text = "\n".join(c.text for c in chunks)
    for furniture in ("偽の条文", "font-weight", "目次へ戻る", "Copyright", "例規集"):
        assert furniture not in text


def test_long_article_is_split_by_paragraph(tmp_path: Path) -> None:
    clause = "実施機関は、開示請求があった日から起算して十五日以内に、開示するかどうかを決定しなければならない。"
    body = "".join(f"<p>{n}　{clause}</p>" for n in range(2, 6))
    page = (
        "<html><head><meta charset='utf-8'><title>○○市情報公開条例</title></head><body>"
        f"<p>第1条　{clause}</p>{body}<p>第2条　{clause}</p><p>第3条　{clause}</p></body></html>"
    )
    chunks = load_chunks(write(tmp_path, "r.html", page.encode()), source="r.html", max_chars=150)
    assert locators(chunks) == [f"第1条第{n}項" for n in range(1, 6)] + ["第2条", "第3条"]
    assert all(len(c.text) <= 150 for c in chunks)


MANUAL = """<html><head><meta charset="{charset}"><title>ごみの出し方 - ○○市</title></head>
<body><nav>ホーム &gt; くらし</nav>
<p>市からのお知らせです。</p>
<h2>燃やすごみ</h2><p>月曜日と木曜日の朝8時までに出してください。</p>
<ul><li>生ごみ</li><li>紙くず</li></ul>
<h3>出し方の注意</h3>
<table><tr><th>品目</th><th>出し方</th></tr><tr><td>食用油</td><td><p>紙に</p><p>しみ込ませる</p></td></tr></table>
<h2>資源ごみ</h2><p>第2・第4水曜日です。<br>雨の日も収集します。</p>
</body></html>"""


@pytest.mark.parametrize(
    ("charset", "encoding", "bom"),
    [
        ("utf-8", "utf-8", b""),
        ("Shift_JIS", "cp932", b""),
        ("EUC-JP", "euc_jp", b""),
        ("windows-31j", "cp932", b""),
        ("utf-8", "cp932", b""),  # a wrong declaration falls back to detection
        ("shift_jis", "utf-8", codecs.BOM_UTF8),  # a BOM beats the declaration
    ],
)
def test_manual_page_by_headings(tmp_path: Path, charset: str, encoding: str, bom: bytes) -> None:
    data = bom + MANUAL.format(charset=charset).encode(encoding)
    chunks = load_chunks(write(tmp_path, "gomi.htm", data), source="gomi.htm")
    assert [(c.locator, c.text) for c in chunks] == [
        ("段落1", "市からのお知らせです。"),
        ("燃やすごみ", "月曜日と木曜日の朝8時までに出してください。\n\n生ごみ\n\n紙くず"),
        ("燃やすごみ > 出し方の注意", "品目 | 出し方\n\n食用油 | 紙に しみ込ませる"),
        ("資源ごみ", "第2・第4水曜日です。\n\n雨の日も収集します。"),
    ]
    assert {c.title for c in chunks} == {"ごみの出し方"}
    assert {c.doc_type for c in chunks} == {DocType.MANUAL}


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        ("<title>転入届｜○○市</title>", "<h1>転入届</h1>", "転入届"),
        ("<title>○○市公式サイト</title>", "<h1>ロゴ</h1>", "○○市公式サイト"),
        ("", "<h1>転入届の手引き</h1>", "転入届の手引き"),
        ("<title>転入届 - 市民課 - ○○市</title>", "", "転入届"),
        ("", "", "page"),
    ],
)
def test_title(tmp_path: Path, head: str, body: str, expected: str) -> None:
    page = f"<html><head>{head}</head><body>{body}<p>本文です。</p></body></html>"
    chunks = load_chunks(write(tmp_path, "page.html", page.encode()), source="p.html")
    assert {c.title for c in chunks} == {expected}


def test_page_saved_without_extension_is_loaded(tmp_path: Path) -> None:
    data = MANUAL.format(charset="utf-8").encode()
    chunks = load_chunks(write(tmp_path, "gomi", data), source="gomi")
    assert chunks[0].title == "ごみの出し方"


def test_deeply_nested_page(tmp_path: Path) -> None:
    # Unclosed tags nest pages deeply; the walk must neither recurse nor lose the text.
    page = "<html><body>" + "<div>" * 1500 + "深い本文です。" + "</div>" * 1500 + "</body></html>"
    chunks = load_chunks(write(tmp_path, "deep.html", page.encode()), source="deep.html")
    assert [c.text for c in chunks] == ["深い本文です。"]
    # Beyond libxml2's hard limit the parser gives up: a clean error, not a crash.
    page = "<html><body>" + "<div>" * 5000 + "本文" + "</div>" * 5000 + "</body></html>"
    load_error(write(tmp_path, "deeper.html", page.encode()), "本文がありません")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"<html><head><title>x</title></head><body></body></html>", "本文がありません"),
        (b"<html><body><script>alert(1)</script><nav>menu</nav></body></html>", "本文がありません"),
        (b"\n  \n", "空"),
        ("<html><body>本文".encode() + b"\x00\x01\x02" * 200, "バイナリ"),
    ],
    ids=["empty-body", "only-furniture", "whitespace", "binary"],
)
def test_bad_pages(tmp_path: Path, data: bytes, fragment: str) -> None:
    load_error(write(tmp_path, "bad.html", data), fragment)


def test_html_named_pdf_is_refused(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, "reiki.pdf", REIKI.encode("cp932")), "内容はHTMLです")
    assert isinstance(error, UnsupportedFileError)
