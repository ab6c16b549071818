"""AddressRecognizer (ADDRESS): one table — valid, evasion, invalid.

Addresses are public places (government buildings' districts, well-known blocks) or
made up (building names, room numbers); none is anyone's home.
"""

from __future__ import annotations

import pytest

from guardrails import Guard
from guardrails._gazetteer import gazetteer
from guardrails.recognizers.address import AddressRecognizer
from tests.guardrails._assertions import Case, assert_findings

ZW = "\u200b"
CITY = (0.9, 0.9)  # municipality (± prefecture) + street part
PREFECTURE = (0.85, 0.85)  # prefecture + 町域 + street part
TOWN = (0.6, 0.6)  # 町域 only (or a label) + unambiguous street part

VALID = [
    pytest.param(Case("東京都千代田区千代田1-1", [(0, 13)], CITY), id="pref-city-town-dashed"),
    pytest.param(
        Case("住所は東京都千代田区千代田1-1です。", ["東京都千代田区千代田1-1"], CITY),
        id="in-sentence",
    ),
    pytest.param(
        Case("東京都千代田区霞が関一丁目1番1号", ["東京都千代田区霞が関一丁目1番1号"], CITY),
        id="chome-ban-go",
    ),
    pytest.param(
        Case(
            "大阪府大阪市北区梅田三丁目1番3号 グランドビル101号室に住んでいます",
            ["大阪府大阪市北区梅田三丁目1番3号 グランドビル101号室"],
            CITY,
        ),
        id="building-room",
    ),
    pytest.param(
        Case("千代田区千代田1-1 サンハイツ203", ["千代田区千代田1-1 サンハイツ203"], CITY),
        id="city-building-number",
    ),
    pytest.param(
        Case("北海道札幌市中央区北1条西6丁目1-2", ["北海道札幌市中央区北1条西6丁目1-2"], CITY),
        id="sapporo-jo",
    ),
    pytest.param(Case("横浜市中区山下町1番地", ["横浜市中区山下町1番地"], CITY), id="banchi"),
    pytest.param(
        Case(
            "長野県北佐久郡軽井沢町大字軽井沢123番地",
            ["長野県北佐久郡軽井沢町大字軽井沢123番地"],
            CITY,
        ),
        id="gun-oaza",
    ),
    pytest.param(
        Case("長野県軽井沢町軽井沢字山下456番地", ["長野県軽井沢町軽井沢字山下456番地"], CITY),
        id="koaza",
    ),
    pytest.param(
        Case(
            "神奈川県横浜市西区みなとみらい3-3-1 ランドマークタワー25階",
            ["神奈川県横浜市西区みなとみらい3-3-1 ランドマークタワー25階"],
            CITY,
        ),
        id="hiragana-town-floor",
    ),
    pytest.param(
        Case("〒100-0001 東京都千代田区千代田1-1", ["東京都千代田区千代田1-1"], CITY),
        id="after-postal-code",
    ),
    pytest.param(Case("中央3丁目5-2にお住まいの方", ["中央3丁目5-2"], TOWN), id="town-only-chome"),
    pytest.param(Case("住所：さくら台3-4-5", ["さくら台3-4-5"], TOWN), id="label-unknown-town"),
    pytest.param(
        Case("新潟県岩船郡関川村松平198番地23、", ["新潟県岩船郡関川村松平198番地23"], CITY),
        id="banchi-number",
    ),
    pytest.param(Case("黒部市宇奈月町栗虫51で", ["黒部市宇奈月町栗虫51"], CITY), id="town-lot"),
    pytest.param(
        Case(
            "富山県南砺市松原697-9 コーポ伊藤400号室",
            ["富山県南砺市松原697-9 コーポ伊藤400号室"],
            CITY,
        ),
        id="building-word-first",
    ),
    pytest.param(
        Case("岐阜県高山市中山町3丁目4番11号", ["岐阜県高山市中山町3丁目4番11号"], CITY),
        id="town-named-like-a-city",
    ),
]

EVASION = [
    pytest.param(
        Case("東京都千代田区千代田１－１", ["東京都千代田区千代田１－１"], CITY), id="fullwidth"
    ),
    pytest.param(
        Case("東京都千代田区\n千代田1-1", ["東京都千代田区\n千代田1-1"], CITY), id="newline"
    ),
    pytest.param(
        Case("東京都千代\n田区千代田1-1", ["東京都千代\n田区千代田1-1"], CITY),
        id="newline-inside-word",
    ),
    pytest.param(Case("東 京 都 千 代 田 区 千 代 田 1 - 1", [(0, 25)], CITY), id="spaced-letters"),
    pytest.param(Case(f"東京都{ZW}千代田区千代田1{ZW}-1", [(0, 15)], CITY), id="zero-width"),
    pytest.param(
        Case("東京都千代田区霞が関1丁目1番1号", ["東京都千代田区霞が関1丁目1番1号"], CITY),
        id="arabic-chome",
    ),
    pytest.param(
        Case("東京都千代田区霞が関一丁目一番一号", ["東京都千代田区霞が関一丁目一番一号"], CITY),
        id="kanji-numerals",
    ),
    pytest.param(
        Case("ｶﾅｶﾞﾜ 横浜市中区山下町１番地", ["横浜市中区山下町１番地"], CITY),
        id="halfwidth-around",
    ),
    pytest.param(
        Case("東京都千代田区千代田１ー１", ["東京都千代田区千代田１ー１"], CITY), id="choon-dash"
    ),
    pytest.param(
        Case("東京都千代田区霞ｶﾞ関1-1", ["東京都千代田区霞ｶﾞ関1-1"], CITY), id="halfwidth-voiced"
    ),
    pytest.param(
        Case("大阪市北区梅田3丁目1-3　グランドビル１０１号室", [(0, 25)], CITY),
        id="ideographic-space-room",
    ),
]

# A 町域 written with okurigana or の/が (浜通り, 花の木): the address mid-sentence too.
OKURIGANA_AND_ROOMS = [
    pytest.param(Case("母は藤枝市本通り12番地に住んでいます。", ["藤枝市本通り12番地"], CITY), id="okurigana-ri-mid-sentence"),
    pytest.param(Case("島田市花の木3-2-1に転居した。", ["島田市花の木3-2-1"], CITY), id="no-between-kanji"),
    pytest.param(Case("転居先は牧之原市桜が丘5丁目7番", ["牧之原市桜が丘5丁目7番"], CITY), id="ga-between-kanji"),
    # A room written with a letter after the building's name.
    pytest.param(Case("住所 島田市中央町8-3 コーポ中央 3-C。", ["島田市中央町8-3 コーポ中央 3-C"], CITY), id="room-digit-dash-letter"),
    pytest.param(Case("藤枝市青木2-5-1 ハイツ青木 101A です", ["藤枝市青木2-5-1 ハイツ青木 101A"], CITY), id="room-digits-letter"),
    pytest.param(Case("島田市本通1-4-8 メゾン本通C-12 在住", ["島田市本通1-4-8 メゾン本通C-12"], CITY), id="room-letter-dash-digits"),
    # A Japanese address in simplified characters, as Chinese writers put it.
    pytest.param(Case("我们住在静冈县岛田市本通1-4-8。", ["静冈县岛田市本通1-4-8"], CITY), id="zh-simplified-prefecture-city"),
    pytest.param(Case("我父亲住在横滨市鹤见区鹤见中央3-2-1，需要帮助。", ["横滨市鹤见区鹤见中央3-2-1"], CITY), id="zh-simplified-ward"),
    pytest.param(Case("冲绳县的人口是140万"), id="zh-simplified-prefecture-alone"),
    # Not a 町域: hiragana right after the municipality, の/が before the number.
    pytest.param(Case("焼津市の1-2-3"), id="no-right-after-city"),
    pytest.param(Case("焼津市役所の3階で受付"), id="floor-of-city-hall"),
    pytest.param(Case("焼津市議会の3-4-5月の日程"), id="no-before-number"),
    pytest.param(Case("静岡市の取り組み1-2-3"), id="prose-okurigana-mi"),
]  # fmt: skip

INVALID_TAILS = [
    # The label of the phone number after an address is no building.
    pytest.param(
        Case("焼津市立図書館　焼津市三ケ名1550-2　電話 054-623-3210", ["焼津市三ケ名1550-2"], CITY),
        id="phone-label-after",
    ),
    # A form's next field on the next line is no building (住所⏎氏名).
    pytest.param(
        Case(
            "住所 焼津市小川3丁目4番5号\n氏名 岩田 光\n電話 054-000-0000",
            ["焼津市小川3丁目4番5号"],
            CITY,
        ),
        id="next-line-name-field",
    ),
]

INVALID = [
    pytest.param(Case("東京都千代田区"), id="pref-city"),
    pytest.param(Case("東京都千代田区千代田"), id="pref-city-town"),
    pytest.param(Case("横浜市や大阪市などの指定都市"), id="designated-cities"),
    pytest.param(Case("地方自治法第二百五十二条の十九第一項の指定都市"), id="law-article"),
    pytest.param(Case("千代田1-1"), id="town-two-numbers"),
    pytest.param(Case("電話03-1234-5678"), id="phone"),
    pytest.param(Case("2024-01-15に申請"), id="date"),
    pytest.param(
        Case("東京都千代田区千代田1-1 平成30年に転入", ["東京都千代田区千代田1-1"], CITY),
        id="stops-before-year",
    ),
    pytest.param(Case("横浜市に住む佐藤さんの家は3-4-5"), id="prose-between"),
    pytest.param(Case("1丁目から3丁目までの区域で工事"), id="chome-range-no-place"),
    pytest.param(Case("令和6年4-6月の実績"), id="month-range"),
    pytest.param(Case("北海道の市町村数"), id="prefecture-mention"),
    pytest.param(Case("東京都の人口は1400万人"), id="bare-number-no-town"),
    pytest.param(Case("横浜市中区の3件"), id="bare-number-after-ward"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *OKURIGANA_AND_ROOMS, *INVALID_TAILS, *INVALID])
def test_address(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "ADDRESS")


def test_gazetteer_has_every_prefecture_and_municipality_variants() -> None:
    gaz = gazetteer()
    assert len(gaz.prefectures) == 47
    for name in ("千代田区", "横浜市", "中区", "奥多摩町", "札幌市中央区"):
        assert name in gaz.cities
    assert "旭ケ丘" in gaz.towns  # folded: 旭ヶ丘 is looked up as 旭ケ丘
    assert gaz.locality_length("東京都千代田区千代田1-1") == len("東京都千代田区")


def test_recognizer_shares_the_gazetteer() -> None:
    assert AddressRecognizer()._gazetteer is gazetteer()
