"""Latin-script given and family names, to recognise a name that nothing frames.

Staff write case notes in English, Portuguese or Spanish about a resident without a
label or a self-introduction ("Met with Lucas Bennett and his interpreter", "Conversei
com a Larissa Martins"). A capitalised pair of words is a name when the first is a
known given name and the next a known family name: neither list alone would do (Grace,
Rose, Hall and Park are words too), the pair rarely is anything else. The lists are
``data/latin_names.txt`` (from Faker's person providers, MIT; written by
``scripts/build_latin_names.py``), plus the romanised surnames of Chinese, Korean and
Vietnamese residents, which those providers do not hold. Loaded once per process
(~14,000 names, ~20 ms, ~1.5 MB).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from guardrails._once import ProcessWide

__all__ = ["LatinLexicon", "latin_lexicon"]

# Romanised surnames of Chinese (pinyin and older spellings), Korean (the spellings
# passports use) and Vietnamese residents (without diacritics; the accented ones too).
_ROMANISED_SURNAMES = (
    "Wang Li Lee Zhang Chang Liu Chen Chan Yang Huang Wong Zhao Chao Wu Zhou Chou Xu Sun"
    " Ma Zhu Hu Guo Kuo He Lin Lam Luo Gao Zheng Cheng Liang Xie Song Tang Han Feng Deng"
    " Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren"
    " Yao Shen Zhong Cui Tan Fan Wan Liao Shi Jin Xia Fu Fang Zou Xiong Bai Meng Qin Qiu"
    " Hou Yin Xue Duan Lei Long Kim Park Pak Choi Choe Jung Jeong Chung Kang Cho Jo Yoon"
    " Yun Jang Lim Im Oh Seo Suh Shin Kwon Hwang Ahn An Hong Ko Go Moon Mun Son Bae Baek"
    " Heo Nam Noh Ha Kwak Sung Cha Joo Koo Min Jin Ra Ji Eom Chae Won Cheon Bang Gong Yeo"
    " Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Dinh Truong"
    " Dao Mai To Lam Cao Ta Luu Kieu Chau Thai Nguyễn Trần Lê Phạm Hoàng Huỳnh Vũ Võ Đặng"
    " Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Đào Tô Lâm Hà Tạ Lưu Kiều Châu Thái"
).split()


@dataclass(frozen=True, slots=True)
class LatinLexicon:
    """Given names and family names, as written (capitalised)."""

    given: frozenset[str]
    family: frozenset[str]

    def is_given(self, word: str) -> bool:
        return word in self.given or word.capitalize() in self.given and word.isupper()

    def is_family(self, word: str) -> bool:
        return word in self.family or word.capitalize() in self.family and word.isupper()


def latin_lexicon() -> LatinLexicon:
    """The process-wide lists, read on first use (thread-safe)."""
    return _LEXICON.get()


def _build() -> LatinLexicon:
    text = resources.files("guardrails").joinpath("data/latin_names.txt").read_text("utf-8")
    given: set[str] = set()
    family: set[str] = set(_ROMANISED_SURNAMES)
    for line in text.splitlines():
        kind, _, name = line.partition("\t")
        if kind == "G":
            given.add(name)
        elif kind == "F":
            family.add(name)
    return LatinLexicon(given=frozenset(given), family=frozenset(family))


_LEXICON = ProcessWide(_build)
