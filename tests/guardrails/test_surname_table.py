"""SurnameTableRecognizer (PERSON): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

TABLE = (0.85, 0.85)

VALID = [
    pytest.param(
        Case(
            "鈴木,転出届,12分\n小林,住民票,4分\n石井,戸籍謄本,9分", ["鈴木", "小林", "石井"], TABLE
        ),
        id="csv",
    ),
    pytest.param(
        Case("集計して\n森\t印鑑登録\t9:30\n林\t転居届\t10:05", ["森", "林"], TABLE),
        id="tsv-one-kanji",
    ),
    pytest.param(
        Case(
            "| 氏名 | 手続 | 時間 |\n|---|---|---|\n| 西村 | 転入届 | 10分 |\n| 原田 | 住民票 | 5分 |",
            ["西村", "原田"],
            TABLE,
        ),
        id="markdown-headed",
    ),
    pytest.param(
        Case("氏名、手続\n藤井、児童手当申請\n村上、国民健康保険加入", ["藤井", "村上"], TABLE),
        id="touten-headed",
    ),
    pytest.param(
        Case(
            "Nguyen Thi Lan,在留カード更新,10:30\nCarlos Silva,転入届,11:00",
            ["Nguyen Thi Lan", "Carlos Silva"],
            TABLE,
        ),
        id="romanised",
    ),
    pytest.param(
        Case(
            "岡本　転入届　10分\nEmma Clark　住民票　5分\n中島　印鑑登録　8分",
            ["岡本", "Emma Clark", "中島"],
            TABLE,
        ),
        id="ideographic-spaces",
    ),
    pytest.param(
        Case("本日の来庁者\n・植田　印鑑登録\n・小池　戸籍謄本", ["植田", "小池"], TABLE),
        id="bulleted-two-cells",
    ),
    pytest.param(
        Case(
            "・岸本 9:10 住民票\n・浜田 9:40 転出届\n・三木 10:00 戸籍",
            ["岸本", "浜田", "三木"],
            TABLE,
        ),
        id="bulleted-time-before-procedure",
    ),
    pytest.param(
        Case("Ferreira, Paula 転入\nTanaka, Ken 国保", ["Ferreira, Paula", "Tanaka, Ken"], TABLE),
        id="roster-surname-comma-given",
    ),
    pytest.param(
        Case(
            "1) Gomez, Luis — 090-3321-0098\n2) Le, Thi Hoa — 080-1120-4456",
            ["Gomez, Luis", "Le, Thi Hoa"],
            TABLE,
        ),
        id="numbered-roster-with-phones",
    ),
    pytest.param(
        Case(
            "名前 / 言語 / 連絡先\nPedro Alves / pt / 090-1111-2222\nHoa Binh / vi / 080-3333-4444",
            ["Pedro Alves", "Hoa Binh"],
            TABLE,
        ),
        id="slash-headed-contacts",
    ),
    pytest.param(
        Case(
            "Ana Lima, 転入届, 30分\nJoão Reis, 国保加入, 20分\n林小红, 住民票, 5分",
            ["Ana Lima", "João Reis", "林小红"],
            TABLE,
        ),
        id="name-column-takes-every-name-shaped-cell",
    ),
    pytest.param(
        Case("【予約】坂本(転入)、川上(印鑑)、北野(住民票)", ["坂本", "川上", "北野"], TABLE),
        id="procedures-in-brackets",
    ),
]

# One pasted row of a reception log: the shape of the log is its frame.
ONE_ROW = [
    pytest.param(
        Case("集計：中島、転出届、14:35（（県）焼津水産高等学校）", ["中島"], TABLE),
        id="one-row-time-with-aside",
    ),
    pytest.param(Case("田中,転入届,10分", ["田中"], TABLE), id="one-row-csv"),
    pytest.param(
        Case("この行を表に足してください\n鈴木\t住民票の写し\t10:35", ["鈴木"], TABLE),
        id="one-row-tsv",
    ),
    pytest.param(Case("| 高橋 | 印鑑登録 | 5分 |", ["高橋"], TABLE), id="one-row-markdown"),
    pytest.param(
        Case("集計に追加：佐々木、戸籍謄本、15分", ["佐々木"], TABLE), id="one-row-touten"
    ),
]

EVASION = [
    pytest.param(Case("野口,転入届,10分\r\n松田,住民票,5分", ["野口", "松田"], TABLE), id="crlf"),
    pytest.param(
        Case("ｲﾉｳｴ,転入届,10分\nｱﾍﾞ,住民票,5分", ["ｲﾉｳｴ", "ｱﾍﾞ"], TABLE), id="halfwidth-kana-headless"
    ),
]

INVALID = [
    pytest.param(
        Case("窓口,手続,所要時間\n1番,転入届,10分\n2番,住民票,5分"), id="counters-not-names"
    ),
    pytest.param(Case("項目,4月,5月\n転入届,120,98\n転出届,110,87"), id="monthly-statistics"),
    pytest.param(Case("課名,内線,場所\n市民課,1234,1階\n税務課,2345,2階"), id="units"),
    pytest.param(Case("転入届,住民票,10分"), id="one-row-without-a-name"),
    pytest.param(Case("焼津市本町,転入届,10分"), id="one-row-of-a-place"),
    pytest.param(Case("様式,申請書,5分"), id="one-row-of-documents"),
    pytest.param(Case("本日の窓口：市民課,転入届,9:00-17:00"), id="one-row-of-a-unit"),
    pytest.param(Case("田中,転入届"), id="one-row-without-a-time"),
    pytest.param(
        Case(
            "名称,住所,電話番号,開始時間\n大井川中学校,焼津市下江留191,054-622-0000,8:00\n豊田中学校,焼津市豊田1,054-623-0000,8:00"
        ),
        id="facility-list-with-its-header",
    ),
    pytest.param(
        Case("大井川中学校,転入届,10分\n西町幼稚園,住民票,5分"),
        id="facility-names-beside-procedures",
    ),
    pytest.param(Case("・市民課 印鑑登録\n・税務課 納税証明"), id="bulleted-units-not-names"),
    pytest.param(Case("窓口(転入)、郵送(住民票)"), id="brackets-after-common-nouns"),
    pytest.param(
        Case("Yaizu, Shizuoka 転入\nFujieda, Shizuoka 転出"), id="places-surname-first-no-contacts"
    ),
]


@pytest.mark.parametrize("case", [*VALID, *ONE_ROW, *EVASION, *INVALID])
def test_surname_table(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")
