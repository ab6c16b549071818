"""Whose data is it? Public information passes, residents' data stays blocked.

One table in three groups, one shared assertion (``assert_judged``):

* valid — an organisation's contacts, officials in their public role and areas are
  public (reported, not blocked);
* evasion — a resident's data disguised with organisation words, or next to a
  facility, still blocks: person evidence wins;
* invalid — plain personal data with no organisation in sight stays personal.

All names, addresses and numbers are synthetic.
"""

from __future__ import annotations

import pytest

from guardrails import Guard, PublicBasis
from tests.guardrails._assertions import Judged, assert_judged

ORG = PublicBasis.ORGANISATION
ROLE = PublicBasis.PUBLIC_ROLE
AREA = PublicBasis.AREA

VALID = [
    pytest.param(
        Judged(
            "問い合わせ先：子育て支援課（電話０５４－６２６－１２３４、内線２１５）",
            {"PHONE_NUMBER": ORG},
            False,
        ),
        id="division-phone-fullwidth",
    ),
    pytest.param(
        Judged(
            "〒425-8502 静岡県焼津市本町二丁目十六番三十二号　焼津市役所",
            {"POSTAL_CODE": ORG, "ADDRESS": ORG},
            False,
        ),
        id="city-hall-kanji-numerals",
    ),
    pytest.param(
        Judged("お申込みは kosodate@city.yaizu.lg.jp まで。", {"EMAIL_ADDRESS": ORG}, False),
        id="city-domain-mail",
    ),
    pytest.param(
        Judged("ご相談はフリーダイヤル 0120-123-456 へ。", {"PHONE_NUMBER": ORG}, False),
        id="free-dial",
    ),
    pytest.param(
        Judged("会場：中央公民館（焼津市栄町3番地の2）", {"ADDRESS": ORG}, False),
        id="venue-banchi-no",
    ),
    pytest.param(
        Judged(
            "市立図書館\n所在地：焼津市三ケ名1550-2\nＴＥＬ：０５４－６２３－３２１０（代表）",
            {"ADDRESS": ORG, "PHONE_NUMBER": ORG},
            False,
        ),
        id="facility-guide-block",
    ),
    pytest.param(
        Judged(
            "西小学校は焼津市塩津117番地1にあります。電話は054-626-9904です。",
            {"PHONE_NUMBER": ORG},
            False,
        ),
        id="topic-of-the-line",
    ),
    pytest.param(
        Judged("〒100-0001の地区で断水があります。", {"POSTAL_CODE": AREA}, False),
        id="postal-code-alone",
    ),
    pytest.param(
        Judged("焼津市本町二丁目の自治会で防災訓練", {"ADDRESS": AREA}, False),
        id="chome-without-house-number",
    ),
    pytest.param(Judged("鈴木市長が記者会見で発表した。", {"PERSON": ROLE}, False), id="mayor"),
    pytest.param(Judged("佐藤議員の一般質問への答弁", {"PERSON": ROLE}, False), id="councillor"),
    pytest.param(
        Judged("○議長（高橋次郎君）　ただいまから会議を開きます。", {"PERSON": ROLE}, False),
        id="minutes-speaker",
    ),
    pytest.param(
        Judged("出席議員（2名）\n1番　伊藤花子\n2番　木村一郎", {"PERSON": ROLE}, False),
        id="minutes-attendance",
    ),
    pytest.param(
        Judged("説明のため出席した者\n総務部長　中村浩二", {"PERSON": ROLE}, False),
        id="minutes-officials",
    ),
]

EVASION = [
    pytest.param(
        Judged("市役所 担当 090-1234-5678", {"PHONE_NUMBER": None}, True),
        id="mobile-with-city-hall",
    ),
    pytest.param(
        Judged("市民課の窓口に来た山田花子さん（054-623-4567）の件", {"PHONE_NUMBER": None}, True),
        id="name-next-to-unit",
    ),
    pytest.param(
        Judged("市民活動センター近くの自宅（焼津市本町1-2-3）", {"ADDRESS": None}, True),
        id="home-near-a-facility",
    ),
    pytest.param(
        Judged(
            "図書館の隣、焼津市三ケ名1550-2 グランドハイツ201号室です。", {"ADDRESS": None}, True
        ),
        id="flat-next-to-a-facility",
    ),
    pytest.param(
        Judged("市役所 代表 054-626-5555 ※相談者の自宅", {"PHONE_NUMBER": None}, True),
        id="home-mark-after-office-words",
    ),
    pytest.param(
        Judged("センターの申請者の住所：静岡県焼津市栄町1-2-3", {"ADDRESS": None}, True),
        id="owned-label",
    ),
    pytest.param(
        Judged("市民課 tanaka.hanako@gmail.com", {"EMAIL_ADDRESS": None}, True),
        id="personal-mail-with-unit",
    ),
    pytest.param(
        Judged(
            "窓口係からの引継ぎ：住所 焼津市本町1-2-3、生年月日 昭和50年1月1日",
            {"ADDRESS": None},
            True,
        ),
        id="identifier-in-the-block",
    ),
    pytest.param(
        Judged(
            "子育て支援センター 〒425-0022 焼津市本町5丁目6番1号 小川様方", {"ADDRESS": None}, True
        ),
        id="sama-kata",
    ),
    pytest.param(
        Judged("本人は市役所の近くに住んでいる。住所は焼津市本町1-2-3。", {"ADDRESS": None}, True),
        id="lives-in-the-sentence-before",
    ),
    pytest.param(
        Judged("担当：高橋様（025-476-3147）。7月2日締切。〒781-5222", {"POSTAL_CODE": None}, True),
        id="postal-code-of-a-person",
    ),
    pytest.param(
        Judged(
            "議員の田中さんの自宅は焼津市本町3-4-5です。", {"ADDRESS": None, "PERSON": ROLE}, True
        ),
        id="official-home",
    ),
]

INVALID = [
    pytest.param(Judged("住所：静岡県焼津市本町1-2-3", {"ADDRESS": None}, True), id="bare-address"),
    pytest.param(
        Judged("氏名：山田太郎\n電話：054-623-4567", {"PHONE_NUMBER": None, "PERSON": None}, True),
        id="record",
    ),
    pytest.param(
        Judged("連絡先は0312345678です", {"PHONE_NUMBER": None}, True), id="bare-landline"
    ),
    pytest.param(
        Judged("市民課の田中係長に確認", {"PERSON": None}, True), id="staff-title-not-public"
    ),
]


@pytest.mark.parametrize("case", VALID + EVASION + INVALID)
def test_public_information(guard: Guard, case: Judged) -> None:
    assert_judged(guard, case)
