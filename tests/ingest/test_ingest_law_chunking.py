"""Law chunking on the real e-Gov snapshots in samples/laws, plus synthetic edge cases."""

from __future__ import annotations

import re

import pytest

from ingest._chunking import looks_like_law, split_law
from ingest._models import Chunk, DocType
from tests.ingest._law_samples import (
    ARTICLE_LINE,
    SAMPLE_TITLES,
    article_base,
    by_locator,
    law_text,
)

LawChunks = dict[str, list[Chunk]]

# 第5条, 第252条の17の2, 第5条第2項, 附則第1条, 附則（平成11年12月8日法律第151号）第1条,
# 附則第2項, 第20条乃至第73条, 別表第1
_LOCATOR = re.compile(
    r"(?:附則(?:（[^（）]+）)?)?"
    r"(?:第\d+条(?:の\d+)*(?:(?:乃至|から|及び)第\d+条(?:の\d+)*(?:まで)?)?)?"
    r"(?:第\d+項)?"
    r"|別表(?:第\d+)?"
)


# -- every sample law ------------------------------------------------------------------


@pytest.mark.parametrize(("stem", "title"), sorted(SAMPLE_TITLES.items()))
def test_title_is_the_first_line(law_chunks: LawChunks, stem: str, title: str) -> None:
    assert {c.title for c in law_chunks[stem]} == {title}


@pytest.mark.parametrize("stem", sorted(SAMPLE_TITLES))
def test_every_article_is_chunked_once(law_chunks: LawChunks, stem: str) -> None:
    # The TOC holds no bare article lines, so every such line starts an article; each must
    # come out as exactly one distinct locator (split 項 and pieces share their base).
    expected = sum(
        1 for line in law_text(stem).split("\n") if ARTICLE_LINE.fullmatch(line.rstrip(" \u3000"))
    )
    bases = {b for c in law_chunks[stem] if (b := article_base(c.locator)) is not None}
    assert len(bases) == expected


@pytest.mark.parametrize("stem", sorted(SAMPLE_TITLES))
def test_chunk_invariants(law_chunks: LawChunks, stem: str) -> None:
    chunks = law_chunks[stem]
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.text.strip(), chunk.locator
        assert len(chunk.text) <= 800, chunk.locator
        assert chunk.source == f"samples/laws/{stem}.txt"
        assert chunk.doc_type is DocType.LAW
        assert _LOCATOR.fullmatch(chunk.locator), chunk.locator


@pytest.mark.parametrize("stem", sorted(SAMPLE_TITLES))
def test_table_of_contents_is_skipped(law_chunks: LawChunks, stem: str) -> None:
    chunks = law_chunks[stem]
    assert chunks[0].locator == "第1条"
    assert chunks[0].text.startswith("第一条\u3000")
    # TOC entries look like headings with article ranges: 第一章　総則（第一条―第四条）
    toc_entry = re.compile(
        r"^[\u3000 ]*第[一二三四五六七八九十]+[編章節]\u3000.*（第[^）]*条[―・]", re.M
    )
    assert not any(toc_entry.search(c.text) for c in chunks)
    assert not any("最終改正" in c.text for c in chunks)
    assert len(by_locator(chunks, "第1条")) == 1  # 附則 articles never lose their 附則


@pytest.mark.parametrize("stem", sorted(SAMPLE_TITLES))
def test_split_paragraphs_are_numbered_in_order(stem: str) -> None:
    numbers: dict[str, list[int]] = {}
    for chunk in split_law(law_text(stem), source=stem, max_chars=300):
        if m := re.fullmatch(r"(.+条(?:の\d+)*)第(\d+)項", chunk.locator):
            seen = numbers.setdefault(m.group(1), [])
            if not seen or seen[-1] != int(m.group(2)):
                seen.append(int(m.group(2)))
    assert numbers, "expected some article long enough to be split per 項"
    for article, seen in numbers.items():
        assert seen == list(range(1, len(seen) + 1)), article


@pytest.mark.parametrize("stem", sorted(SAMPLE_TITLES))
def test_chunking_is_deterministic(law_chunks: LawChunks, stem: str) -> None:
    again = split_law(law_text(stem), source=f"samples/laws/{stem}.txt")
    assert again == law_chunks[stem]


# -- specific articles -----------------------------------------------------------------


def test_gyousei_article_5_is_one_chunk_with_its_caption(law_chunks: LawChunks) -> None:
    [chunk] = by_locator(law_chunks["gyousei_tetsuzuki_hou"], "第5条")
    assert chunk.heading == "審査基準"
    assert chunk.title == "行政手続法"
    assert "審査基準を公にしておかなければならない" in chunk.text
    assert chunk.text.startswith("第五条\u3000行政庁は、審査基準を定めるものとする。\n２\u3000")
    assert "\n３\u3000行政庁は、行政上特別の支障があるときを除き" in chunk.text
    assert chunk.citation() == "行政手続法 第5条（審査基準）"


def test_branch_article_number(law_chunks: LawChunks) -> None:
    chunks = [c for c in law_chunks["chihou_jichi_hou"] if c.locator.startswith("第252条の17の2")]
    assert chunks
    assert chunks[0].heading == "条例による事務処理の特例"
    assert chunks[0].text.startswith("第二百五十二条の十七の二\u3000都道府県は、")


def test_long_article_is_split_per_paragraph(law_chunks: LawChunks) -> None:
    chunks = law_chunks["gyousei_tetsuzuki_hou"]
    assert not by_locator(chunks, "第3条")
    assert by_locator(chunks, "第3条第1項")[0].text.startswith("第三条\u3000次に掲げる処分")
    [second] = by_locator(chunks, "第3条第2項")
    # A later 項 keeps its article number above it so it reads in context.
    assert second.text.startswith("第三条\n２\u3000次に掲げる命令等を定める行為については")
    assert second.heading == "適用除外"
    [third] = by_locator(chunks, "第3条第3項")
    assert third.text.startswith("第三条\n３\u3000")


def test_long_paragraph_is_cut_between_lines_with_a_continuation_marker(
    law_chunks: LawChunks,
) -> None:
    pieces = by_locator(law_chunks["gyousei_tetsuzuki_hou"], "第2条")
    assert len(pieces) >= 2  # a single 項 with many 号: same locator, no 第1項
    assert pieces[0].text.startswith("第二条\u3000この法律において")
    for piece in pieces[1:]:
        assert piece.text.startswith("（第2条の続き）\n")
    # Cut between 号 lines: the pieces put back together are the whole article.
    [whole] = by_locator(
        split_law(law_text("gyousei_tetsuzuki_hou"), source="x", max_chars=5000), "第2条"
    )
    rejoined = "\n".join(p.text.removeprefix("（第2条の続き）\n") for p in pieces)
    assert rejoined == whole.text


def test_item_numbers_and_glued_sub_items_are_readable(law_chunks: LawChunks) -> None:
    text = by_locator(law_chunks["gyousei_tetsuzuki_hou"], "第2条")[0].text
    assert "\n一\u3000法令\u3000法律、法律に基づく命令" in text
    assert "\n二\u3000処分\u3000行政庁の処分" in text
    # e-Gov glues イ to the sentence before it; it must start its own line.
    assert "ただし、次のいずれかに該当するものを除く。\nイ\u3000事実上の行為" in text


def test_link_broken_lines_are_joined(law_chunks: LawChunks) -> None:
    text = "\n".join(c.text for c in law_chunks["gyousei_tetsuzuki_hou"][:6])
    assert (
        "公務員（国家公務員法（昭和二十二年法律第百二十号）第二条第一項に規定する国家公務員" in text
    )


def test_old_style_paragraph_markers(law_chunks: LawChunks) -> None:
    [chunk] = by_locator(law_chunks["koseki_hou"], "第1条")
    assert chunk.text == (
        "第一条\u3000戸籍に関する事務は、市町村長がこれを管掌する。\n"
        "２\u3000前項の事務は、地方自治法（昭和二十二年法律第六十七号）第二条第九項第一号に"
        "規定する第一号法定受託事務とする。"
    )
    # koseki_hou has no caption here: the heading places the article in its chapter.
    assert chunk.heading == "第一章\u3000総則"


def test_heading_path_for_uncaptioned_articles(law_chunks: LawChunks) -> None:
    [chunk] = by_locator(law_chunks["chihou_jichi_hou"], "第20条乃至第73条")
    assert chunk.text == "第二十条乃至第七十三条\u3000削除"
    assert chunk.heading == "第二編\u3000普通地方公共団体 > 第四章\u3000選挙"


@pytest.mark.parametrize(
    ("stem", "locator", "starts_with", "heading"),
    [
        (
            "gyousei_tetsuzuki_hou",
            "附則（平成11年12月8日法律第151号）第1条",
            "附則（平成一一年一二月八日法律第一五一号）\n第一条\u3000この法律は、平成十二年四月一日",
            "施行期日",
        ),
        (
            "gyousei_tetsuzuki_hou",
            "附則（平成18年6月14日法律第66号）",
            "附則（平成一八年六月一四日法律第六六号）\nこの法律は、",
            "",
        ),
        (
            "gyousei_tetsuzuki_hou",
            "附則",
            "附則\n（施行期日）\n１\u3000この法律は、",
            "施行期日・経過措置",
        ),
        ("chihou_jichi_hou", "附則第1条", "附則\n第一条\u3000この法律は、日本国憲法施行の日", ""),
        ("koseki_hou", "附則第1条", "附則\n第一条\u3000この法律は、昭和二十三年一月一日", ""),
    ],
)
def test_supplementary_provision_locators(
    law_chunks: LawChunks, stem: str, locator: str, starts_with: str, heading: str
) -> None:
    [chunk] = by_locator(law_chunks[stem], locator)
    assert chunk.text.startswith(starts_with)
    assert chunk.heading == heading


def test_supplementary_paragraphs_split_per_paragraph() -> None:
    chunks = split_law(law_text("gyousei_tetsuzuki_hou"), source="x", max_chars=200)
    first = by_locator(chunks, "附則第1項")
    assert first and first[0].text.startswith("附則\n（施行期日）\n１\u3000")
    assert first[0].heading == "施行期日"
    assert by_locator(chunks, "附則第2項")[0].heading == "経過措置"
    assert by_locator(chunks, "附則第4項")


def test_shared_caption_does_not_jump_gaps(law_chunks: LawChunks) -> None:
    # 附則 抄 (excerpt) skips 第二条・第三条: 第四条's caption is unknown, not 施行期日.
    [chunk] = by_locator(
        law_chunks["gyousei_tetsuzuki_hou"], "附則（平成11年12月8日法律第151号）第4条"
    )
    assert chunk.heading == ""


@pytest.mark.parametrize(
    ("stem", "locator", "heading"),
    [
        ("juuki_hou", "第31条の2", "行政手続法の適用除外"),  # caption wrapped over two lines
        ("haikibutsu_hou", "附則（平成17年4月27日法律第33号）第24条", "経過措置"),  # blank line
        ("juuki_hou", "第30条の14", "指定の公示等"),  # shared with 第三十条の十三
    ],
)
def test_caption_layouts(law_chunks: LawChunks, stem: str, locator: str, heading: str) -> None:
    chunks = [c for c in law_chunks[stem] if article_base(c.locator) == locator]
    assert chunks
    assert {c.heading for c in chunks} == {heading}


def test_appended_tables(law_chunks: LawChunks) -> None:
    chunks = law_chunks["koubunsho_kanri_hou"]
    [first] = by_locator(chunks, "別表第1")
    assert first.heading == "第二条関係"
    assert first.text.startswith(
        "別表第一\u3000（第二条関係）\n名称\n根拠法\n沖縄科学技術大学院大学学園\n"
    )
    assert by_locator(chunks, "別表第2")


# -- synthetic documents ---------------------------------------------------------------

_ORDINANCE = """○○市情報公開条例

（目的）
第1条　この条例は、市民の知る権利を保障することを目的とする。
2　市は、この条例を解釈し、及び運用するに当たっては、個人情報を保護しなければならない。

（定義）
第2条　この条例において「実施機関」とは、次に掲げる機関をいう。
(1)　市長
(2)　教育委員会

第3条　削除

附　則
この条例は、令和2年4月1日から施行する。
"""


def test_horizontal_ordinance_layout() -> None:
    assert looks_like_law(_ORDINANCE)
    chunks = split_law(_ORDINANCE, source="o.txt", doc_type=DocType.ORDINANCE)
    assert [c.locator for c in chunks] == ["第1条", "第2条", "第3条", "附則"]
    assert chunks[0].title == "○○市情報公開条例"
    assert chunks[0].heading == "目的"
    assert chunks[0].text == (
        "第1条\u3000この条例は、市民の知る権利を保障することを目的とする。\n"
        "2\u3000市は、この条例を解釈し、及び運用するに当たっては、個人情報を保護しなければならない。"
    )
    assert chunks[1].text.endswith("\n(1)\u3000市長\n(2)\u3000教育委員会")
    assert chunks[2].heading == "定義"  # shared caption: 第3条 follows 第2条
    assert chunks[3].text == "附則\nこの条例は、令和2年4月1日から施行する。"


_COMPACT_ORDINANCE = """○○市手数料条例
（趣旨）
第1条　この条例は、手数料に関し必要な事項を定めるものとする。
（手数料）
第2条　手数料の額は、別表のとおりとする。
2　前項の規定にかかわらず、市長は、手数料を減免することができる。
附　則
この条例は、公布の日から施行する。
"""


def test_ordinance_without_blank_lines() -> None:
    chunks = split_law(_COMPACT_ORDINANCE, source="o.txt", doc_type=DocType.ORDINANCE)
    assert [(c.locator, c.heading) for c in chunks] == [
        ("第1条", "趣旨"),
        ("第2条", "手数料"),
        ("附則", ""),
    ]
    assert chunks[1].text.endswith(
        "\n2\u3000前項の規定にかかわらず、市長は、手数料を減免することができる。"
    )


def _article(sentences: int, paragraphs: int = 1) -> str:
    body = (
        "行政庁は、申請がその事務所に到達したときは遅滞なく当該申請の審査を開始しなければならない。"
    )
    parts = ["第十条", "", "\u3000" + body * sentences]
    for number in range(2, paragraphs + 1):
        parts += ["", chr(ord("０") + number), "", "\u3000" + body * sentences]
    return "テスト法\n\n（審査の開始）\n" + "\n".join(parts) + "\n"


def test_long_paragraph_is_cut_only_at_sentence_ends() -> None:
    text = _article(sentences=10)
    chunks = split_law(text, source="t", max_chars=200)
    assert len(chunks) > 1
    assert {c.locator for c in chunks} == {"第10条"}  # one 項: never 第1項
    body = ""
    for chunk in chunks:
        assert len(chunk.text) <= 200
        piece = chunk.text.removeprefix("（第10条の続き）\n").removeprefix("第十条\u3000")
        assert piece.endswith("。")
        body += piece
    assert body == _article(sentences=10).split("\u3000", 1)[1].strip()


def test_sentence_longer_than_the_limit_is_cut_at_commas() -> None:
    sentence = "行政庁は、" + "申請者の求めに応じ、" * 40 + "情報を提供しなければならない。"
    text = f"テスト法\n\n第一条\n\n\u3000{sentence}\n"
    chunks = split_law(text, source="t", max_chars=120)
    assert all(len(c.text) <= 120 for c in chunks)
    assert (
        "".join(
            c.text.removeprefix("（第1条の続き）\n").removeprefix("第一条\u3000") for c in chunks
        )
        == sentence
    )
    assert all(c.text.endswith(("、", "。")) for c in chunks)


def test_paragraph_numbers_with_small_limit() -> None:
    chunks = split_law(_article(sentences=2, paragraphs=3), source="t", max_chars=150)
    assert [c.locator for c in chunks] == ["第10条第1項", "第10条第2項", "第10条第3項"]
    assert chunks[2].text.startswith("第十条\n３\u3000行政庁は")
    assert all(c.heading == "審査の開始" for c in chunks)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一条\n\n本文\n\n第二条\n\n本文", True),
        ("第1条　本文\n第2条　本文\n第3条　本文", True),
        ("第1条　本文を引用します。\n第2条　もう一つ。", False),  # a manual quoting
        ("# マニュアル\n\n第五条の規定により申請します。", False),
        ("", False),
    ],
)
def test_looks_like_law(text: str, expected: bool) -> None:
    assert looks_like_law(text) is expected


def test_rejects_too_small_max_chars() -> None:
    with pytest.raises(ValueError):
        split_law("テスト法\n\n第一条\n\n\u3000本文。", source="t", max_chars=50)


def test_empty_law_text_gives_no_chunks() -> None:
    assert split_law("", source="t") == []
