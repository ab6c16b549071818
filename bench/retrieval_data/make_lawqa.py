"""Regenerate lawqa.json from デジタル庁's lawqa_jp selection.json (see README.md here).

    .venv/bin/python bench/retrieval_data/make_lawqa.py ../shared/data/lawqa_jp/selection.json

Keeps only what bench/retrieval.py uses: each question's 問題文 and, per law article
quoted in its コンテキスト, the article's text (the 項/号 sub-headings folded into the
text). An article quoted by several questions is merged (its sections in first-seen order).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

HEADING = re.compile(r"(#{2,})\s*(.+)")
ARTICLE = re.compile(r"第[0-9]+条(?:の[0-9]+)*")


def parse(context: str) -> list[tuple[str, str, list[str]]]:
    """(law, article, lines) for each article section (### heading) of a context; deeper
    headings (第1項, 第2号, guideline sub-sections) become a prefix of their first line."""
    out: list[tuple[str, str, list[str]]] = []
    law = ""
    pending = ""
    for raw in context.split("\n"):
        line = raw.strip()
        m = HEADING.fullmatch(line)
        if m:
            level, name = len(m.group(1)), unicodedata.normalize("NFKC", m.group(2).strip())
            if level == 2:
                law, pending = name, ""
            elif level == 3 or ARTICLE.fullmatch(name):
                out.append((law, name, []))
                pending = ""
            else:
                pending = f"{pending} {name}".strip()
        elif line and out:
            out[-1][2].append(f"{pending}\u3000{line}" if pending else line)
            pending = ""
    return out


def main() -> None:
    samples = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["samples"]
    articles: dict[tuple[str, str], list[str]] = {}
    questions = []
    for s in samples:
        gold: list[list[str]] = []
        for law, article, lines in parse(s["コンテキスト"]):
            if not lines:  # a heading with nothing under it (guideline chapter titles)
                continue
            merged = articles.setdefault((law, article), [])
            merged.extend(b for b in lines if b not in merged)
            if [law, article] not in gold:
                gold.append([law, article])
        if gold:
            questions.append({"id": s["ファイル名"], "question": s["問題文"], "gold": gold})
    data = {
        "source": "デジタル庁 lawqa_jp (https://github.com/digital-go-jp/lawqa_jp) selection.json",
        "license": "公共データ利用規約（第1.0版）PDL1.0 — https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
        "edited": "Yakuba: 問題文 and the quoted articles only; sub-headings folded into text",
        "articles": [
            {"law": law, "article": article, "text": "\n".join(blocks)}
            for (law, article), blocks in articles.items()
        ],
        "questions": questions,
    }
    out = Path(__file__).with_name("lawqa.json")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(data['articles'])} articles, {len(questions)} questions → {out}")


if __name__ == "__main__":
    main()
