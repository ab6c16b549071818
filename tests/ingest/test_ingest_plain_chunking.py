"""Generic chunking of manuals and notes: heading paths, line numbers, size limits."""

from __future__ import annotations

import pytest

from ingest._chunking import markdown_title, split_plain
from ingest._models import DocType

MANUAL = """# 窓口業務マニュアル

この文書は市民課の窓口業務の手順をまとめたものです。

## 1. 受付

来庁者に番号札をお渡しします。
用件を確認し、担当窓口へ案内します。

## 2. 申請方法

### 必要書類

- 本人確認書類（運転免許証、マイナンバーカード等）
- 申請書（窓口または市ウェブサイトで入手）

### 手数料

住民票の写しは一通三百円です。{long}

```
# これは見出しではありません（コード例）
```

## 3. 注意事項

代理人の場合は委任状が必要です。
"""

_LONG = "手数料は現金のほか、キャッシュレス決済でも支払うことができます。" * 30


def _manual() -> str:
    return MANUAL.format(long=_LONG)


def test_markdown_title() -> None:
    assert markdown_title(_manual()) == "窓口業務マニュアル"
    assert markdown_title("## 小見出しだけ\n本文") == ""
    assert markdown_title("```\n# コード\n```\n# 本当の題名\n") == "本当の題名"


def test_headings_become_locators() -> None:
    chunks = split_plain(_manual(), source="m.md", title="窓口業務マニュアル")
    locators = list(dict.fromkeys(c.locator for c in chunks))
    assert locators == [
        "3行目",
        "1. 受付",
        "2. 申請方法 > 必要書類",
        "2. 申請方法 > 手数料",
        "3. 注意事項",
    ]
    assert {c.title for c in chunks} == {"窓口業務マニュアル"}
    assert {c.doc_type for c in chunks} == {DocType.MANUAL}
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    [reception] = [c for c in chunks if c.locator == "1. 受付"]
    assert reception.text == "来庁者に番号札をお渡しします。\n用件を確認し、担当窓口へ案内します。"
    # A heading inside a code block stays text.
    assert any("# これは見出しではありません" in c.text for c in chunks)


@pytest.mark.parametrize("max_chars", [20, 33, 40, 100, 300, 800])
def test_chunks_fit(max_chars: int) -> None:
    chunks = split_plain(_manual(), source="m.md", title="窓口業務マニュアル", max_chars=max_chars)
    assert chunks
    assert all(0 < len(c.text) <= max_chars for c in chunks)


@pytest.mark.parametrize("max_chars", [40, 100, 300, 800])
def test_sentences_that_fit_are_never_cut(max_chars: int) -> None:
    # The longest sentence in MANUAL has 32 characters.
    text = _manual()
    chunks = split_plain(text, source="m.md", title="窓口業務マニュアル", max_chars=max_chars)
    for line in text.split("\n"):
        if line and not line.startswith("#"):
            for sentence in line.split("。"):
                assert any(sentence in c.text for c in chunks), sentence


def test_long_paragraph_splits_at_sentence_ends() -> None:
    chunks = split_plain(_manual(), source="m.md", title="窓口業務マニュアル", max_chars=200)
    fees = [c for c in chunks if c.locator == "2. 申請方法 > 手数料" and "キャッシュレス" in c.text]
    assert len(fees) > 1
    assert all(c.text.endswith("。") for c in fees)


def test_line_numbers_without_headings() -> None:
    text = "一行目です。\n二行目です。\n\n\n五行目の段落です。この段落は長めです。\n六行目。\n"
    chunks = split_plain(text, source="n.txt", title="メモ", max_chars=20)
    assert [(c.locator, c.text) for c in chunks] == [
        ("1〜2行目", "一行目です。\n二行目です。"),
        ("5行目", "五行目の段落です。この段落は長めです。"),
        ("6行目", "六行目。"),
    ]


def test_title_heading_is_kept_when_it_is_not_the_title() -> None:
    chunks = split_plain(_manual(), source="m.md", title="別の題名")
    assert chunks[1].locator == "窓口業務マニュアル > 1. 受付"


def test_paragraphs_are_packed_together() -> None:
    text = "第一段落。\n\n第二段落。\n\n第三段落。"
    [chunk] = split_plain(text, source="n.txt", title="メモ", max_chars=800)
    assert chunk.locator == "1〜5行目"
    assert chunk.text == text


@pytest.mark.parametrize("text", ["", "\n\n", "# 題名だけ\n"])
def test_nothing_to_chunk(text: str) -> None:
    assert split_plain(text, source="n.md", title="題名だけ") == []


def test_rejects_tiny_max_chars() -> None:
    with pytest.raises(ValueError):
        split_plain("本文", source="n.txt", title="t", max_chars=5)
