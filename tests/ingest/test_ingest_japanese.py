"""Kanji numerals, full-width digits and the Arabic locator form."""

from __future__ import annotations

import pytest

from ingest._japanese import arabicize_numerals, kanji_to_int, to_halfwidth_digits, to_locator


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("百", 100),
        ("百五", 105),
        ("二百五十二", 252),
        ("千", 1000),
        ("二千十三", 2013),
        ("一万二千", 12000),
        ("三十万", 300000),
        ("一億二千三百四十五万六千七百八十九", 123456789),
        # positional style, as e-Gov writes dates and law numbers
        ("二〇一三", 2013),
        ("一五一", 151),
        ("一二", 12),
        ("〇", 0),
        ("零", 0),
    ],
)
def test_kanji_to_int(text: str, expected: int) -> None:
    assert kanji_to_int(text) == expected


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "abc",
        "1",
        "１２",
        "十十",
        "二二十",
        "千百千",
        "万",
        "〇十",
        "一二三abc",
        "一部",
        "五万万",
    ],
)
def test_kanji_to_int_rejects_garbage(garbage: str) -> None:
    with pytest.raises(ValueError):
        kanji_to_int(garbage)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("第１２３条", "第123条"), ("０９", "09"), ("abc", "abc"), ("第五条", "第五条")],
)
def test_to_halfwidth_digits(text: str, expected: str) -> None:
    assert to_halfwidth_digits(text) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("第五条", "第5条"),
        ("第二百五十二条の十七の二", "第252条の17の2"),
        ("第三十条の七", "第30条の7"),
        ("第五条第三項", "第5条第3項"),
        ("第二条第九項第一号", "第2条第9項第1号"),
        ("第二十条乃至第七十三条", "第20条乃至第73条"),
        ("第十条から第十二条まで", "第10条から第12条まで"),
        ("第１条", "第1条"),
        ("第1条", "第1条"),
        ("第四章の二", "第4章の2"),
    ],
)
def test_to_locator(label: str, expected: str) -> None:
    assert to_locator(label) == expected


@pytest.mark.parametrize("garbage", ["", "附則", "第五", "五条", "第五条abc", "第条", "第x条"])
def test_to_locator_rejects_garbage(garbage: str) -> None:
    with pytest.raises(ValueError):
        to_locator(garbage)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("平成一一年一二月八日法律第一五一号", "平成11年12月8日法律第151号"),
        ("昭和二十二年四月十七日法律第六十七号", "昭和22年4月17日法律第67号"),
        ("平成元年一二月一三日法律第七三号", "平成元年12月13日法律第73号"),
    ],
)
def test_arabicize_numerals(text: str, expected: str) -> None:
    assert arabicize_numerals(text) == expected
