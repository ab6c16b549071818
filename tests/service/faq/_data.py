"""Question lists for the bulk FAQ tests: residents' questions as city halls receive
them (bench/retrieval_data: the project's own fictional-city FAQ and questions it cannot
answer) and careless rows that carry a resident's personal data (fictional people)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "bench" / "retrieval_data"

# Rows a hurried employee pastes from a call log: a resident's name, phone, My Number …
CARELESS = [
    "田中花子さん（090-1234-5678）から、住民票の写しを代理で取れるか問い合わせがありました。",
    "マイナンバー123456789018の方が、カードの暗証番号を忘れたそうです。どう案内しますか",
    "山田太郎様（昭和45年3月2日生まれ、焼津市本町2丁目16番32号）の国保の手続きは？",
    "鈴木一郎さん taro.suzuki@example.com から粗大ごみの申込みについてメールが来ました",
]
# Questions the knowledge base's answerability judge finds nothing (or only near-misses)
# for; many others of city/unanswerable.json are judged answered by near-miss passages.
UNANSWERABLE = [
    "投票所の場所がわからない",
    "公園の遊具がこわれてる",
    "市長選挙はいつありますか",
]


def city_faq_csv(folder: Path) -> Path:
    """The fictional city's published FAQ as a municipality exports it (No, カテゴリ,
    質問, 回答), for the knowledge base."""
    faqs = json.loads((DATA / "faq.json").read_text("utf-8"))["faqs"]
    path = folder / "よくある質問.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["No", "カテゴリ", "質問", "回答"])
        for n, faq in enumerate(faqs, start=1):
            writer.writerow([n, faq["category"], faq["question"], faq["answer"]])
    return path


def citizen_questions(limit: int = 12) -> list[tuple[str, str]]:
    """(category, question) as residents wrote them, one per FAQ."""
    faqs = json.loads((DATA / "faq.json").read_text("utf-8"))["faqs"]
    step = max(1, len(faqs) // limit)
    return [(f["category"], f["queries"][0]) for f in faqs[::step][:limit]]


def question_rows() -> list[dict[str, str]]:
    rows = [
        {"ID": f"Q{n:03d}", "カテゴリ": cat, "質問": q, "備考": "", "対象": ""}
        for n, (cat, q) in enumerate(citizen_questions(), start=1)
    ]
    n = len(rows)
    for q in UNANSWERABLE:
        n += 1
        rows.append({"ID": f"Q{n:03d}", "カテゴリ": "その他", "質問": q, "備考": "", "対象": ""})
    for q in CARELESS:
        n += 1
        rows.append({"ID": f"Q{n:03d}", "カテゴリ": "窓口記録", "質問": q, "備考": "", "対象": ""})
    return rows


def to_csv(rows: list[dict[str, str]], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def to_xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
