"""Round 4 of issue 12: residents named the short way staff note them. One table per
class (Presidio style: valid, invalid); every name is invented.

Classes: a Japanese surname alone beside its house, household or a person's act
(桑田宅, 堀田家の長女, 浅井んとこ, 北島が怒鳴って, 受付番号 + surname), a child's hiragana
name after うちの, counted households (…の2世帯); a Korean one-syllable surname with 씨,
a name after 통역 요청:, a name and an aside before 씨; Chinese names before 的 + kin,
households (马家的), names joined by 和; Latin given names in lists names-dataset adds
(Filipino, Nigerian, Pakistani, Andean), Japanese surnames of Nikkei residents,
"Surname, Given — note" rows, la familia + surname, a one-word name after an English act
(Spoke with …, Ask … to); romanised Japanese "X desu"; Vietnamese surnames beyond the
commonest; birth years (1952년생, nasceu em 2016, lahir tahun 1988, sinh năm 2019.) and a
form's date line under a name. Public: cohorts of years, households of nouns.
"""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

PERSON = [
    pytest.param(Case("桑田宅を訪問したが不在。", ["桑田"]), id="ja-house"),
    pytest.param(Case("堀田家の長女が来庁。", ["堀田"]), id="ja-household-member"),
    pytest.param(Case("浅井んとこの息子さんが転出。", ["浅井"]), id="ja-nto-ko"),
    pytest.param(Case("北島が窓口で怒鳴った件、記録。", ["北島"]), id="ja-act-after"),
    pytest.param(Case("藤井からまた電話あり。", ["藤井"]), id="ja-call-from"),
    pytest.param(Case("受付番号33　小池　住民票1通", ["小池"]), id="ja-reception-number"),
    pytest.param(Case("整理券 No.7 岡崎様", ["岡崎"]), id="ja-ticket"),
    pytest.param(Case("「うちのかなたが咳をしていて」と電話。", ["かなた"]), id="ja-our-child"),
    pytest.param(
        Case("上田・村井・吉野の3世帯に通知を送付。", ["上田", "村井", "吉野"]),
        id="ja-counted-households",
    ),
    pytest.param(Case("편 씨가 다시 방문했습니다.", ["편"]), id="ko-one-syllable"),
    pytest.param(Case("오늘 나 씨 부부가 왔어요.", ["나"]), id="ko-one-syllable-couple"),
    pytest.param(Case("통역 요청: 채민서, 보육원 입소.", ["채민서"]), id="ko-interpreting-label"),
    pytest.param(Case("함지유 (1990년생) 씨 전입.", ["함지유"]), id="ko-aside-honorific"),
    pytest.param(Case("邱雨桐的奶奶来问护理保险。", ["邱雨桐"]), id="zh-of-kin"),
    pytest.param(Case("马家的孩子今天发烧了。", ["马"]), id="zh-household"),
    pytest.param(Case("夏雨和秦朗一起来办理登记。", ["夏雨", "秦朗"]), id="zh-joined"),
    pytest.param(Case("Si Rowena Manalo ay dumating kahapon.", ["Rowena Manalo"]), id="tl-dataset"),
    pytest.param(
        Case("The applicant Chinedu Okafor asked about his pension.", ["Chinedu Okafor"]),
        id="en-dataset-ng",
    ),
    pytest.param(
        Case("Spoke with Imran Qureshi about the tax bill.", ["Imran Qureshi"]), id="en-pk"
    ),
    pytest.param(Case("Ligação de Marcelo Kinjo sobre o seguro.", ["Marcelo Kinjo"]), id="nikkei"),
    pytest.param(
        Case("Okonjo, Chiamaka — lost residence card", ["Okonjo, Chiamaka"]), id="row-dash"
    ),
    pytest.param(Case("La familia Mamani se muda a Osaka.", ["Mamani"]), id="es-familia"),
    pytest.param(Case("Spoke with Declan about the car tax.", ["Declan"]), id="en-act-given"),
    pytest.param(Case("Ask Priya to bring her passport.", ["Priya"]), id="en-ask-given"),
    pytest.param(Case("Moshimoshi, Kurosawa desu.", ["Kurosawa"]), id="romaji-desu"),
    pytest.param(Case("Em Trịnh Thị Mai hỏi về thuế.", ["Trịnh Thị Mai"]), id="vi-surname"),
    pytest.param(
        Case("Danh sach: Doan Van Tai, Luong Thi Ha", ["Doan Van Tai", "Luong Thi Ha"]),
        id="vi-ascii",
    ),
    pytest.param(
        Case("Ibu Sari datang bersama anaknya Putri.", ["Sari", "Putri"]), id="id-kin-nya"
    ),
]

PERSON_INVALID = [
    pytest.param(Case("市営住宅の入居者を募集します。"), id="ja-housing"),
    pytest.param(Case("専門家の意見を聞きます。"), id="ja-expert"),
    pytest.param(Case("整理券をお取りください。"), id="ja-ticket-notice"),
    pytest.param(Case("市民課から電話があります。"), id="ja-office-calls"),
    pytest.param(Case("うちのこが熱を出して"), id="ja-our-kid-word"),
    pytest.param(Case("大家的意见很重要。"), id="zh-everyone"),
    pytest.param(Case("Sore desu ne. Kore desu."), id="romaji-words"),
    pytest.param(Case("Please call the Tax Division."), id="en-call-division"),
    pytest.param(Case("Talk to Hello Work about job offers."), id="en-hello-work"),
    pytest.param(Case("이 씨앗은 봄에 심습니다."), id="ko-seed"),
]


@pytest.mark.parametrize("case", PERSON + PERSON_INVALID)
def test_bare_names(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("윤정숙 할머니(1952년생)가 혼자 사십니다.", "1952년"),
        ("O menino Caio Ramos nasceu em 2016.", "2016"),
        ("Pak Joko Susilo lahir tahun 1988.", "1988"),
        ("Con gái tôi là Đào Thu Hà, sinh năm 2019.", "2019"),
        ("小森 直樹\n焼津市中港2-3-4\n昭和52年8月9日", "昭和52年8月9日"),
        ("Rosendo Mamani (1981) pide una cita.", "1981"),
    ],
)
def test_birth_years(guard: Guard, text: str, value: str) -> None:
    assert_findings(guard, Case(text, [value]), "BIRTH_DATE")


@pytest.mark.parametrize(
    "text",
    [
        "Sinh năm 2019 trở về trước: trẻ em được tiêm miễn phí.",
        "Anak yang lahir tahun 2018 dapat mendaftar.",
        "2019년부터 시행합니다.",
        "会議のお知らせ\n日時\n令和8年12月20日",
        "令和2年度予算（2020）について説明します。",
    ],
)
def test_cohorts_are_no_birth_dates(guard: Guard, text: str) -> None:
    assert_findings(guard, Case(text), "BIRTH_DATE")
