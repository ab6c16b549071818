"""e-Gov law XML: chunks from the structure, identical to the text layout's, bad XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest._chunking import split_law
from ingest._errors import LoaderError, UnsupportedFileError
from ingest._loaders import load_chunks
from ingest._models import Chunk, DocType
from tests.ingest._loader_files import load_error, write

_LONG = "市長は、窓口において申請等を受け付けたときは、遅滞なく当該申請等の審査を開始しなければならない。"

# A small law in the e-Gov schema, written by hand: chapters and sections, captions (one
# shared by the next article), paragraphs, items with columns and sub-items, ruby, a long
# article, the law's own 附則, an amendment's 附則 made of a paragraph, and a 別表.
LAW_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<Law Era="Reiwa" Year="6" Num="99" LawType="Act" Lang="ja">
  <LawNum>令和六年法律第九十九号</LawNum>
  <LawBody>
    <LawTitle Kana="しみんまどぐちさーびすほう">市民窓口サービス法</LawTitle>
    <TOC>
      <TOCLabel>目次</TOCLabel>
      <TOCChapter Num="1"><ChapterTitle>第一章　総則</ChapterTitle><ArticleRange>（第一条―第二条の二）</ArticleRange></TOCChapter>
    </TOC>
    <MainProvision>
      <Chapter Num="1">
        <ChapterTitle>第一章　総則</ChapterTitle>
        <Article Num="1">
          <ArticleCaption>（目的）</ArticleCaption>
          <ArticleTitle>第一条</ArticleTitle>
          <Paragraph Num="1">
            <ParagraphNum/>
            <ParagraphSentence>
              <Sentence Num="1" WritingMode="vertical">この法律は、市民の<Ruby>利便<Rt>りべん</Rt></Ruby>の向上を図ることを目的とする。</Sentence>
            </ParagraphSentence>
          </Paragraph>
        </Article>
        <Article Num="2">
          <ArticleCaption>（定義）</ArticleCaption>
          <ArticleTitle>第二条</ArticleTitle>
          <Paragraph Num="1">
            <ParagraphNum/>
            <ParagraphSentence>
              <Sentence>この法律において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。</Sentence>
            </ParagraphSentence>
            <Item Num="1">
              <ItemTitle>一</ItemTitle>
              <ItemSentence>
                <Column Num="1"><Sentence>窓口</Sentence></Column>
                <Column Num="2"><Sentence>市民が申請等を行う場所をいう。</Sentence></Column>
              </ItemSentence>
            </Item>
            <Item Num="2">
              <ItemTitle>二</ItemTitle>
              <ItemSentence>
                <Column Num="1"><Sentence>申請等</Sentence></Column>
                <Column Num="2"><Sentence>次に掲げるものをいう。</Sentence></Column>
              </ItemSentence>
              <Subitem1 Num="1"><Subitem1Title>イ</Subitem1Title><Subitem1Sentence><Sentence>申請</Sentence></Subitem1Sentence></Subitem1>
              <Subitem1 Num="2"><Subitem1Title>ロ</Subitem1Title><Subitem1Sentence><Sentence>届出</Sentence></Subitem1Sentence></Subitem1>
            </Item>
          </Paragraph>
        </Article>
        <Article Num="2_2">
          <ArticleTitle>第二条の二</ArticleTitle>
          <Paragraph Num="1">
            <ParagraphNum/>
            <ParagraphSentence><Sentence>前条の用語は、規則で定めるところにより、市民に周知する。</Sentence></ParagraphSentence>
          </Paragraph>
        </Article>
      </Chapter>
      <Chapter Num="2">
        <ChapterTitle>第二章　窓口の運営</ChapterTitle>
        <Section Num="1">
          <SectionTitle>第一節　通則</SectionTitle>
          <Article Num="3">
            <ArticleCaption>（受付及び審査）</ArticleCaption>
            <ArticleTitle>第三条</ArticleTitle>
            <Paragraph Num="1">
              <ParagraphNum/>
              <ParagraphSentence><Sentence Function="main">{_LONG}</Sentence><Sentence Function="proviso">ただし、規則で定める場合は、この限りでない。</Sentence></ParagraphSentence>
            </Paragraph>
            <Paragraph Num="2">
              <ParagraphNum>２</ParagraphNum>
              <ParagraphSentence><Sentence>{_LONG}</Sentence></ParagraphSentence>
            </Paragraph>
            <Paragraph Num="3">
              <ParagraphNum>３</ParagraphNum>
              <ParagraphSentence><Sentence>{_LONG * 5}</Sentence></ParagraphSentence>
            </Paragraph>
          </Article>
        </Section>
        <Section Num="2">
          <SectionTitle>第二節　手数料</SectionTitle>
          <Article Num="5">
            <ArticleTitle>第五条</ArticleTitle>
            <Paragraph Num="1">
              <ParagraphNum/>
              <ParagraphSentence><Sentence>手数料の額は、別表第一のとおりとする。</Sentence></ParagraphSentence>
            </Paragraph>
          </Article>
        </Section>
      </Chapter>
    </MainProvision>
    <SupplProvision>
      <SupplProvisionLabel>附　則</SupplProvisionLabel>
      <Article Num="1">
        <ArticleCaption>（施行期日）</ArticleCaption>
        <ArticleTitle>第一条</ArticleTitle>
        <Paragraph Num="1"><ParagraphNum/><ParagraphSentence><Sentence>この法律は、令和六年十月一日から施行する。</Sentence></ParagraphSentence></Paragraph>
      </Article>
      <Article Num="2">
        <ArticleCaption>（経過措置）</ArticleCaption>
        <ArticleTitle>第二条</ArticleTitle>
        <Paragraph Num="1"><ParagraphNum/><ParagraphSentence><Sentence>この法律の施行前にされた申請等については、なお従前の例による。</Sentence></ParagraphSentence></Paragraph>
      </Article>
    </SupplProvision>
    <SupplProvision AmendLawNum="令和七年三月三一日法律第一三号" Extract="true">
      <SupplProvisionLabel>附　則</SupplProvisionLabel>
      <Paragraph Num="1"><ParagraphNum/><ParagraphSentence><Sentence>この法律は、令和七年四月一日から施行する。</Sentence></ParagraphSentence></Paragraph>
    </SupplProvision>
    <AppdxTable Num="1">
      <AppdxTableTitle>別表第一</AppdxTableTitle>
      <RelatedArticleNum>（第五条関係）</RelatedArticleNum>
      <TableStruct>
        <Table>
          <TableRow><TableColumn><Sentence>証明書</Sentence></TableColumn><TableColumn><Sentence>金額</Sentence></TableColumn></TableRow>
          <TableRow><TableColumn><Sentence>住民票の写し</Sentence></TableColumn><TableColumn><Sentence>三百円</Sentence></TableColumn></TableRow>
        </Table>
      </TableStruct>
    </AppdxTable>
  </LawBody>
</Law>
"""

# The same law in e-Gov's plain-text layout, as the text loader reads it.
LAW_TEXT = f"""市民窓口サービス法
（令和六年法律第九十九号）

　　　第一章　総則

（目的）
第一条

　この法律は、市民の利便の向上を図ることを目的とする。

（定義）
第二条

　この法律において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。
一

　窓口　市民が申請等を行う場所をいう。

二

　申請等　次に掲げるものをいう。
イ　申請
ロ　届出

第二条の二

　前条の用語は、規則で定めるところにより、市民に周知する。

　　　第二章　窓口の運営

　　　　第一節　通則

（受付及び審査）
第三条

　{_LONG}ただし、規則で定める場合は、この限りでない。
２

　{_LONG}
３

　{_LONG * 5}

　　　　第二節　手数料

第五条

　手数料の額は、別表第一のとおりとする。

　　　附　則

（施行期日）
第一条

　この法律は、令和六年十月一日から施行する。

（経過措置）
第二条

　この法律の施行前にされた申請等については、なお従前の例による。

　　　附　則　（令和七年三月三一日法律第一三号）　抄

　この法律は、令和七年四月一日から施行する。

別表第一　（第五条関係）

証明書 | 金額

住民票の写し | 三百円
"""


def _shape(chunks: list[Chunk]) -> list[tuple[str, str, str, DocType, str, int]]:
    return [(c.locator, c.heading, c.text, c.doc_type, c.title, c.ordinal) for c in chunks]


@pytest.fixture()
def law_xml(tmp_path: Path) -> Path:
    return write(tmp_path, "madoguchi.xml", LAW_XML.encode())


def test_locators_headings_and_text(law_xml: Path) -> None:
    chunks = load_chunks(law_xml, source="laws/madoguchi.xml", max_chars=200)
    assert [(c.locator, c.heading) for c in chunks] == [
        ("第1条", "目的"),
        ("第2条", "定義"),
        ("第2条の2", "定義"),  # the caption shared with the article before it
        ("第3条第1項", "受付及び審査"),
        ("第3条第2項", "受付及び審査"),
        ("第3条第3項", "受付及び審査"),  # a 項 over max_chars is cut at sentence ends
        ("第3条第3項", "受付及び審査"),
        ("第5条", "第二章\u3000窓口の運営 > 第二節\u3000手数料"),  # no caption: the path
        ("附則第1条", "施行期日"),
        ("附則第2条", "経過措置"),
        ("附則（令和7年3月31日法律第13号）", ""),
        ("別表第1", "第五条関係"),
    ]
    assert {(c.title, c.doc_type, c.source) for c in chunks} == {
        ("市民窓口サービス法", DocType.LAW, "laws/madoguchi.xml")
    }
    text = {c.locator: c.text for c in chunks}
    assert (
        text["第1条"] == "第一条\u3000この法律は、市民の利便の向上を図ることを目的とする。"
    )  # no ruby
    assert text["第2条"] == (
        "第二条\u3000この法律において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。\n"
        "一\u3000窓口\u3000市民が申請等を行う場所をいう。\n"
        "二\u3000申請等\u3000次に掲げるものをいう。\n"
        "イ\u3000申請\n"
        "ロ\u3000届出"
    )
    assert text["第3条第2項"] == f"第三条\n２\u3000{_LONG}"
    assert text["附則第2条"].startswith("附則\n第二条\u3000この法律の施行前")
    assert text["附則（令和7年3月31日法律第13号）"] == (
        "附則（令和七年三月三一日法律第一三号）\nこの法律は、令和七年四月一日から施行する。"
    )
    assert text["別表第1"] == "別表第一\u3000（第五条関係）\n証明書 | 金額\n住民票の写し | 三百円"
    assert all(len(c.text) <= 200 for c in chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


@pytest.mark.parametrize("max_chars", [200, 800])
def test_same_chunks_as_the_text_layout(law_xml: Path, max_chars: int) -> None:
    from_xml = load_chunks(law_xml, source="x", max_chars=max_chars)
    from_text = split_law(LAW_TEXT, source="x", max_chars=max_chars)
    assert _shape(from_xml) == _shape(from_text)


def test_ordinance_and_law_without_articles(tmp_path: Path) -> None:
    xml = """<Law><LawBody><LawTitle>元号条例</LawTitle><MainProvision>
      <Paragraph Num="1"><ParagraphNum>１</ParagraphNum><ParagraphSentence><Sentence>元号は、規則で定める。</Sentence></ParagraphSentence></Paragraph>
      <Paragraph Num="2"><ParagraphNum>２</ParagraphNum><ParagraphSentence><Sentence>元号は、皇位の継承があった場合に限り改める。</Sentence></ParagraphSentence></Paragraph>
    </MainProvision></LawBody></Law>"""
    chunks = load_chunks(write(tmp_path, "gengou.xml", xml.encode()), source="g.xml")
    assert [(c.locator, c.doc_type, c.text) for c in chunks] == [
        (
            "本則",
            DocType.ORDINANCE,
            "１\u3000元号は、規則で定める。\n２\u3000元号は、皇位の継承があった場合に限り改める。",
        )
    ]


def test_xml_without_extension_and_with_html_extension(tmp_path: Path) -> None:
    for name in ("madoguchi", "madoguchi.html"):
        chunks = load_chunks(write(tmp_path, name, LAW_XML.encode()), source=name)
        assert chunks[0].locator == "第1条"


def _with_doctype(subset: str, title: str, sentence: str) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE Law [{subset}]>
<Law><LawBody><LawTitle>{title}</LawTitle><MainProvision>
<Article Num="1"><ArticleTitle>第一条</ArticleTitle><Paragraph Num="1"><ParagraphNum/>
<ParagraphSentence><Sentence>{sentence}</Sentence></ParagraphSentence></Paragraph></Article>
</MainProvision></LawBody></Law>""".encode()


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", b"SECRET-TOKEN")
    xml = _with_doctype(f'<!ENTITY xxe SYSTEM "file://{secret}">', "&xxe;外部実体法", "本文&xxe;。")
    chunks = load_chunks(write(tmp_path, "xxe.xml", xml), source="xxe.xml")
    assert [(c.title, c.text) for c in chunks] == [("外部実体法", "第一条\u3000本文。")]


def test_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    xml = _with_doctype(f'<!ENTITY l0 "あ">{laughs}', "笑い法", "&l9;")  # 10⁹ 「あ」 expanded
    load_error(write(tmp_path, "laughs.xml", xml), "XMLとして読み込めません")


@pytest.mark.parametrize(
    ("data", "fragment", "error_type"),
    [
        (
            b"<Law><LawBody><LawTitle>\xe6\xb3\x95</LawTitle>",
            "XMLとして読み込めません",
            LoaderError,
        ),
        ("<Law><LawNum>令和六年法律第一号</LawNum></Law>".encode(), "Law/LawBody", LoaderError),
        (
            "<Law><LawBody><LawTitle>空法</LawTitle></LawBody></Law>".encode(),
            "条文が見つかりません",
            LoaderError,
        ),
        (
            b'<?xml version="1.0"?><rss><channel><title>news</title></channel></rss>',
            "e-Gov法令XML（ルート要素 <Law>）以外のXMLには対応していません",
            UnsupportedFileError,
        ),
        ("第一条　XMLではない文書。".encode(), "XMLとして読み込めません", LoaderError),
    ],
    ids=["truncated", "no-body", "no-provisions", "other-xml", "not-xml"],
)
def test_bad_xml(tmp_path: Path, data: bytes, fragment: str, error_type: type[LoaderError]) -> None:
    error = load_error(write(tmp_path, "bad.xml", data), fragment)
    assert type(error) is error_type
