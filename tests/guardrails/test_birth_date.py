"""BirthDateRecognizer (BIRTH_DATE): one table — valid, evasion, invalid."""

from __future__ import annotations

from datetime import date

import pytest

from guardrails import Guard
from guardrails.recognizers.birth_date import BirthDateRecognizer, kanji_number, parse_date
from tests.guardrails._assertions import Case, assert_findings

ZW = "\u200b"
BIRTH = (0.85, 0.85)

VALID = [
    pytest.param(Case("生年月日：昭和50年1月2日", ["昭和50年1月2日"], BIRTH), id="form-label"),
    pytest.param(Case("昭和50年1月2日生まれです", ["昭和50年1月2日"], BIRTH), id="umare"),
    pytest.param(Case("平成7年3月4日生", ["平成7年3月4日"], BIRTH), id="sei"),
    pytest.param(Case("S50.1.2生", ["S50.1.2"], BIRTH), id="letter-dots"),
    pytest.param(Case("生年月日 S50/1/2", ["S50/1/2"], BIRTH), id="letter-slashes"),
    pytest.param(Case("生年月日 H7-3-4", ["H7-3-4"], BIRTH), id="letter-hyphens"),
    pytest.param(Case("生年月日 S.50.1.2", ["S.50.1.2"], BIRTH), id="letter-dot-after-era"),
    pytest.param(Case("昭50.1.2生まれ", ["昭50.1.2"], BIRTH), id="one-kanji-era"),
    pytest.param(Case("令和元年5月1日生まれ", ["令和元年5月1日"], BIRTH), id="reiwa-gannen"),
    pytest.param(Case("誕生日は平成元年1月8日です", ["平成元年1月8日"], BIRTH), id="heisei-gannen"),
    pytest.param(Case("大正15年12月24日生", ["大正15年12月24日"], BIRTH), id="taisho-last-day"),
    pytest.param(Case("明治45年7月29日生", ["明治45年7月29日"], BIRTH), id="meiji-last-day"),
    pytest.param(Case("1975年1月2日生まれ", ["1975年1月2日"], BIRTH), id="seireki-kanji"),
    pytest.param(Case("生年月日: 1975/01/02", ["1975/01/02"], BIRTH), id="seireki-slashes"),
    pytest.param(Case("生年月日 1975-01-02", ["1975-01-02"], BIRTH), id="seireki-iso"),
    pytest.param(Case("生年月日：19750102", ["19750102"], BIRTH), id="seireki-8-digits"),
    pytest.param(Case("出生日 2001.4.5", ["2001.4.5"], BIRTH), id="shussei-bi"),
    pytest.param(Case("昭和50年1月2日（49歳）", ["昭和50年1月2日"], BIRTH), id="age-after"),
    pytest.param(Case("1975/1/2 満49歳", ["1975/1/2"], BIRTH), id="man-age-after"),
    pytest.param(Case("山田（49歳）昭和50年1月2日", ["昭和50年1月2日"], BIRTH), id="age-before"),
    pytest.param(
        Case("生年月日（和暦）：昭和50年1月2日", ["昭和50年1月2日"], BIRTH), id="wareki-note"
    ),
    pytest.param(Case("生年月日\n昭和50年1月2日", ["昭和50年1月2日"], BIRTH), id="label-newline"),
    pytest.param(Case("Date of birth: 1975-01-02", ["1975-01-02"], BIRTH), id="english"),
    pytest.param(
        Case("生年月日 昭和50年1月2日 届出日 令和6年4月1日", ["昭和50年1月2日"], BIRTH),
        id="only-the-labelled-date",
    ),
    pytest.param(
        Case(
            "長男 平成7年3月4日生、長女 平成9年5月6日生", ["平成7年3月4日", "平成9年5月6日"], BIRTH
        ),
        id="two",
    ),
    # The languages staff translate from (issue 12).
    pytest.param(
        Case("Date of birth: March 3, 1988", ["March 3, 1988"], BIRTH), id="en-month-name"
    ),
    pytest.param(Case("I was born on 21 July 1979.", ["21 July 1979"], BIRTH), id="en-born-on"),
    pytest.param(Case("DOB 07/21/1979", ["07/21/1979"], BIRTH), id="en-month-first"),
    pytest.param(Case("Data de nascimento: 30/01/1992", ["30/01/1992"], BIRTH), id="pt-numeric"),
    pytest.param(
        Case("nascida em 5 de março de 1990", ["5 de março de 1990"], BIRTH), id="pt-words"
    ),
    pytest.param(
        Case("Nací el 9 de octubre de 1984.", ["9 de octubre de 1984"], BIRTH), id="es-words"
    ),
    pytest.param(Case("Ipinanganak noong Hunyo 2, 1995", ["Hunyo 2, 1995"], BIRTH), id="fil"),
    pytest.param(Case("sinh ngày 12/04/1990", ["12/04/1990"], BIRTH), id="vi-numeric"),
    pytest.param(
        Case("Ngày sinh: 3 tháng 11 năm 1987", ["3 tháng 11 năm 1987"], BIRTH), id="vi-words"
    ),
    pytest.param(Case("생년월일: 1993년 7월 8일", ["1993년 7월 8일"], BIRTH), id="ko-label"),
    pytest.param(Case("1993년 7월 8일생입니다", ["1993년 7월 8일"], BIRTH), id="ko-saeng"),
    pytest.param(Case("出生日期：1986年2月14日", ["1986年2月14日"], BIRTH), id="zh-label"),
]

EVASION = [
    pytest.param(
        Case("Walk-in: Carl Moss, b. 1969-03-04", ["1969-03-04"], BIRTH), id="b-after-name"
    ),
    pytest.param(Case("生年月日：昭和５０年１月２日", [(5, 14)], BIRTH), id="fullwidth"),
    pytest.param(Case("生年月日 昭和五十年一月二日", [(5, 14)], BIRTH), id="kanji-ju"),
    pytest.param(Case("昭和五十年十二月二十五日生まれ", [(0, 12)], BIRTH), id="kanji-ju-long"),
    pytest.param(Case("昭和五〇年一月二日生", [(0, 9)], BIRTH), id="kanji-positional"),
    pytest.param(Case("一九七五年一月二日生まれ", [(0, 9)], BIRTH), id="kanji-seireki"),
    pytest.param(Case(f"生年月日：昭和50{ZW}年1{ZW}月2日", [(5, 16)], BIRTH), id="zero-width"),
    pytest.param(
        Case("生年月日 昭和 50 年 1 月 2 日", ["昭和 50 年 1 月 2 日"], BIRTH), id="spaces"
    ),
    pytest.param(Case("生年月日 昭和50年\n1月2日", ["昭和50年\n1月2日"], BIRTH), id="newline"),
    pytest.param(Case("Ｓ５０．１．２生", [(0, 7)], BIRTH), id="fullwidth-letter"),
    pytest.param(Case("s50.1.2生まれ", [(0, 7)], BIRTH), id="lower-case-letter"),
    pytest.param(Case("生年月日 H7ー3ー4", [(5, 11)], BIRTH), id="choon-dashes"),
    pytest.param(Case("生年月日：１９７５／０１／０２", [(5, 15)], BIRTH), id="fullwidth-slashes"),
    pytest.param(Case("生年月日：１９７５－０１－０２", [(5, 15)], BIRTH), id="fullwidth-hyphens"),
]

INVALID = [
    pytest.param(Case("See item b. 2026-12-07 for the deadline"), id="item-b-is-no-born"),
    pytest.param(Case("昭和50年1月2日"), id="no-context"),
    pytest.param(Case("1975/01/02 に受付"), id="no-context-seireki"),
    pytest.param(Case("平成十一年十二月八日法律第百五十一号"), id="law-number"),
    pytest.param(Case("出生 平成十一年十二月八日法律第百五十一号"), id="law-number-after-label"),
    pytest.param(Case("この法律は、令和6年4月1日から施行する。"), id="law-enforcement-date"),
    pytest.param(Case("令和6年4月1日に開催"), id="meeting-date"),
    pytest.param(Case("平成30年4月2日以降に生まれた方"), id="eligibility-from"),
    pytest.param(
        Case("平成30年4月2日から平成31年4月1日までに生まれたお子さん"), id="eligibility-range"
    ),
    pytest.param(Case("生年月日が平成30年4月2日以降の方"), id="eligibility-label"),
    pytest.param(Case("65歳以上の方は令和6年4月1日から"), id="age-rule"),
    pytest.param(Case("満65歳の方 令和6年4月1日現在"), id="age-as-of"),
    pytest.param(Case("昭和30年生まれの方は、令和6年4月1日に通知"), id="birth-year-then-date"),
    pytest.param(Case("出生届を令和6年4月1日に提出"), id="registration-date"),
    pytest.param(Case("生年月日欄は空欄、作成日 令和6年4月1日"), id="other-label-between"),
    pytest.param(Case("生年月日 令和6年4月1日付で改正"), id="document-date"),
    pytest.param(Case("令和6年4月1日生活保護の申請"), id="sei-in-a-word"),
    pytest.param(Case("令和6年4月1日生じた事故"), id="sei-verb"),
    pytest.param(Case("生年月日：昭和65年1月2日"), id="showa-out-of-range"),
    pytest.param(Case("平成31年5月1日生まれ"), id="heisei-after-end"),
    pytest.param(Case("昭和64年1月8日生まれ"), id="showa-after-end"),
    pytest.param(Case("生年月日：令和元年4月30日"), id="reiwa-before-start"),
    pytest.param(Case("生年月日 2023/02/30"), id="day-out-of-range"),
    pytest.param(Case("生年月日：1975/13/01"), id="month-out-of-range"),
    pytest.param(Case("生年月日：令和80年1月1日"), id="future"),
    pytest.param(Case("生年月日：1975/01-02"), id="mixed-separators"),
    pytest.param(Case("最大5年3月4日"), id="one-kanji-era-in-word"),
    pytest.param(Case("生年月日 S50.1.2.3"), id="version-number"),
    pytest.param(Case("地方自治法第252条の17の2第1項"), id="law-article"),
    pytest.param(Case("The festival is on April 12, 2025."), id="en-event-date"),
    pytest.param(Case("Deadline: 12/04/2025"), id="en-deadline"),
    pytest.param(Case("Date of birth: 31/02/1990"), id="en-impossible-date"),
    pytest.param(Case("Fecha de nacimiento: 12 de abril de 2099"), id="es-future"),
]


# A date alone in brackets right after a person's name is that person's birth date.
AFTER_NAME = [
    pytest.param(
        Case("対象者　佐藤　陽子（１９４４年９月３日）", ["１９４４年９月３日"], BIRTH),
        id="after-name-fullwidth",
    ),
    pytest.param(
        Case("【相談】藤井亮介（S46/9/23）／029", ["S46/9/23"], BIRTH), id="after-name-letter"
    ),
    pytest.param(
        Case("山田太郎 (昭和50年1月2日)", ["昭和50年1月2日"], BIRTH), id="after-name-space"
    ),
    pytest.param(Case("山田太郎（令和6年4月1日付）"), id="after-name-document-date"),
    pytest.param(Case("山田太郎（2024年4月1日）に着任"), id="after-name-event"),
    pytest.param(Case("市民課（2024年4月1日）"), id="after-unit"),
    pytest.param(Case("山田太郎、2024年4月1日に来庁"), id="name-no-brackets"),
]


# Issue 12's recall set: a year alone or an era-less date with 生まれ, a date beside a
# name in a list, a table's column, Indonesian months, ascii Vietnamese, Nepali labels.
PARTIAL_AND_LISTS = [
    pytest.param(Case("母（大正9年生まれ）と同居", ["大正9年"], BIRTH), id="era-year-umare"),
    pytest.param(Case("夫は1972年生、会社員", ["1972年"], BIRTH), id="seireki-year-sei"),
    pytest.param(Case("本人（52年3月8日生まれ）", ["52年3月8日"], BIRTH), id="era-left-out"),
    pytest.param(
        Case("Ông ngoại sinh năm 1948, sống ở Huế.", ["1948"], BIRTH), id="vi-sinh-nam-year"
    ),
    pytest.param(Case("Tgl lahir: 5 Januari 1990", ["5 Januari 1990"], BIRTH), id="id-month-name"),
    pytest.param(
        Case("sinh ngay 7/3/1994 tai Ha Noi", ["7/3/1994"], BIRTH), id="vi-ascii-sinh-ngay"
    ),
    pytest.param(
        Case("Ngày sinh: 9 thang 12 nam 1989", ["9 thang 12 nam 1989"], BIRTH),
        id="vi-ascii-thang-nam",
    ),
    pytest.param(Case("janma miti: 1999-01-30", ["1999-01-30"], BIRTH), id="ne-janma-miti"),
    pytest.param(
        Case(
            "氏名\t生年月日\t備考\n青木 進\tS38.2.4\t\n青木 文\tS40.7.1\t",
            ["S38.2.4", "S40.7.1"],
            BIRTH,
        ),
        id="table-column",
    ),
    pytest.param(
        Case("相談者 森田 和夫（1951年5月5日）から電話", ["1951年5月5日"], BIRTH),
        id="bracket-after-name-then-kara",
    ),
    # a cohort, a fiscal year, a recent event: no one's birth date
    pytest.param(Case("昭和36年生まれの方は節目健診の対象です。"), id="cohort"),
    pytest.param(Case("令和2年度の予算は1990年に開設した施設の改修に充てる。"), id="years"),
    pytest.param(Case("山田課長（2024年4月1日）から着任"), id="recent-event-date"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID, *AFTER_NAME])
def test_birth_date(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "BIRTH_DATE")


@pytest.mark.parametrize("case", PARTIAL_AND_LISTS)
def test_birth_date_partial_and_lists(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "BIRTH_DATE")


@pytest.mark.parametrize(
    ("token", "value"),
    [("元", 1), ("50", 50), ("五十", 50), ("十", 10), ("十二", 12), ("三十一", 31),
     ("六十四", 64), ("〇", 0), ("十十", None), ("五五", None), ("百", None)],
)  # fmt: skip
def test_kanji_number(token: str, value: int | None) -> None:
    assert kanji_number(token) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("昭和50年1月2日", date(1975, 1, 2)),
        ("昭和五十年一月二日", date(1975, 1, 2)),
        ("S50.1.2", date(1975, 1, 2)),
        ("H7-3-4", date(1995, 3, 4)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("19750102", date(1975, 1, 2)),
        ("平成元年1月7日", None),
        ("明治46年1月1日", None),
        ("1849/01/01", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text, today=date(2026, 1, 1)) == expected


def test_defaults_are_overridable() -> None:
    recognizer = BirthDateRecognizer(context=["独自語"])
    assert recognizer.context == ["独自語"]
    assert recognizer.supported_entities == ["BIRTH_DATE"]
