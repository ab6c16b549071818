"""What the speed benchmarks share: Japanese questions about the sample laws, percentiles."""

from __future__ import annotations

QUESTIONS = [
    "行政手続法で、申請に対する審査基準の公表はどう定められていますか",
    "標準処理期間とは何ですか",
    "不利益処分をする場合の聴聞の手続",
    "行政文書の開示請求の方法",
    "住民票の写しの交付請求",
    "戸籍の届出の期間",
    "一般廃棄物処理計画",
    "公文書の保存期間の延長",
    "地方公共団体の長の任期",
    "意見公募手続の期間",
]


def pct(values: list[float], q: float) -> float:
    """The q-quantile of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
