"""Helpers shared by the ingest tests: the bundled e-Gov law snapshots."""

from __future__ import annotations

import re
from pathlib import Path

from ingest._models import Chunk

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "laws"

# file stem → the law's title (its first non-empty line)
SAMPLE_TITLES: dict[str, str] = {
    "chihou_jichi_hou": "地方自治法",
    "gyousei_tetsuzuki_hou": "行政手続法",
    "haikibutsu_hou": "廃棄物の処理及び清掃に関する法律",
    "jouhou_koukai_hou": "行政機関の保有する情報の公開に関する法律",
    "juuki_hou": "住民基本台帳法",
    "koseki_hou": "戸籍法",
    "koubunsho_kanri_hou": "公文書等の管理に関する法律",
}

# Written independently of the parser: a line that is exactly an article number
# (第五条, 第二百五十二条の十七の二, or a deleted range 第二十条乃至第七十三条).
_K = "〇一二三四五六七八九十百千"
_ARTICLE = f"第[{_K}]+条(?:の[{_K}]+)*"
ARTICLE_LINE = re.compile(f"{_ARTICLE}(?:(?:乃至|から|及び){_ARTICLE}(?:まで)?)?")


def law_text(stem: str) -> str:
    return (SAMPLES / f"{stem}.txt").read_text(encoding="utf-8")


def by_locator(chunks: list[Chunk], locator: str) -> list[Chunk]:
    return [c for c in chunks if c.locator == locator]


def article_base(locator: str) -> str | None:
    """第5条第2項 → 第5条; None for chunks that are not articles (附則 paragraphs, 別表)."""
    base = re.sub(r"第\d+項$", "", locator)
    return base if re.search(r"条(?:の\d+)*(?:まで)?$", base) else None
