"""Round 3 of issue 12: residents' data that nothing frames, and public text that looked
personal. One table per class (Presidio style: valid, invalid); every name is invented.

Classes: Latin names in free-form notes (a known given name + a known family name,
kin + given name, rows "Surname, Given", initials + surname); Japanese spoken
self-references (もしもし、谷口です), columns and counted enumerations of surnames, a
household by its surname (宮田のおじいちゃん); Chinese and Hangul name columns, kin and
roles around them; obfuscated e-mail in Portuguese, Spanish and with #; a form with no
labels. Public: mascots in a text about characters, a word Sudachi cuts into a name
(園見|学), eligibility (市内在住の方, …生まれの方), memorials and authors.
"""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

LATIN = [
    pytest.param(
        Case("Met with Oscar Fletcher and his lawyer about the lease.", ["Oscar Fletcher"]),
        id="en-met-with",
    ),
    pytest.param(
        Case("No-show today: Harriet Coleman. Will call again.", ["Harriet Coleman"]),
        id="en-no-show",
    ),
    pytest.param(
        Case(
            "Attendance: Felix Morgan, Ruby Sanders, Isaac Powell",
            ["Felix Morgan", "Ruby Sanders", "Isaac Powell"],
        ),
        id="en-roster-inline",
    ),
    pytest.param(
        Case("Conversamos com a Renata Figueiredo sobre a creche.", ["Renata Figueiredo"]),
        id="pt-free",
    ),
    pytest.param(
        Case("Atendí a Gabriela Fuentes Aguilar en la ventanilla.", ["Gabriela Fuentes Aguilar"]),
        id="es-two-surnames",
    ),
    pytest.param(
        Case("We checked Jeremy Walsh's tax certificate.", ["Jeremy Walsh"]), id="en-possessive"
    ),
    pytest.param(Case("His daughter Phoebe is in grade 2.", ["Phoebe"]), id="kin-given"),
    pytest.param(
        Case("Son Declan attends Minato Elementary.", ["Declan"]), id="kin-opens-sentence"
    ),
    pytest.param(Case("Veio com a esposa Tatiana e o filho.", ["Tatiana"]), id="pt-kin-given"),
    pytest.param(
        Case(
            "The Baker kids (Lily, Oscar and their brother Theo) moved.", ["Lily", "Oscar", "Theo"]
        ),
        id="family-bracket-joined",
    ),
    pytest.param(
        Case("Espera:\nVargas, Camila\nRíos, Tomás", ["Vargas, Camila", "Ríos, Tomás"]),
        id="surname-first-rows",
    ),
    pytest.param(
        Case("Present: K. Watanabe, H. Suzuki", ["K. Watanabe", "H. Suzuki"]), id="initial-surname"
    ),
    pytest.param(
        Case("来庁者一覧\nPark Ji-hoon　転入\nLee Soo-min　国保", ["Park Ji-hoon", "Lee Soo-min"]),
        id="korean-romanised-rows",
    ),
]
LATIN_INVALID = [
    pytest.param(Case("Grace period for the tax payment ends on the 31st."), id="grace-period"),
    pytest.param(Case("Visit the Rose Garden next to Yaizu City Hall."), id="rose-garden"),
    pytest.param(
        Case("May Festival at Oigawa Cultural Hall, 2-16-32 Honmachi."), id="may-festival"
    ),
    pytest.param(
        Case("Ina: Luz Mendoza, Ama: Pedro Mendoza", ["Luz Mendoza", "Pedro Mendoza"]),
        id="kin-labels-not-names",
    ),
]
JAPANESE = [
    pytest.param(Case("もしもし、岩田ですけど、保険証の件で。", ["岩田"]), id="spoken-moshimoshi"),
    pytest.param(Case("「あの、吉永です」と名乗る女性から電話。", ["吉永"]), id="spoken-ano"),
    pytest.param(
        Case("午後の予約\n杉浦\n小松\n篠原", ["杉浦", "小松", "篠原"]), id="column-of-surnames"
    ),
    pytest.param(
        Case("本日の欠席者\n西川\n平井", ["西川", "平井"]), id="column-under-people-header"
    ),
    pytest.param(
        Case("堀、熊谷、丸山の3名は再提出。", ["堀", "熊谷", "丸山"]), id="counted-enumeration"
    ),
    pytest.param(Case("未提出者：南・野田", ["南", "野田"]), id="labelled-enumeration"),
    pytest.param(Case("柴崎のおばあちゃんから電話があった。", ["柴崎"]), id="household-member"),
    pytest.param(
        Case("焼津市小川3-1-12\n足立 悠\n054-624-0000", ["足立 悠"]), id="form-without-labels"
    ),
]
JAPANESE_INVALID = [
    # Under a header of places the column rule takes nothing (an older rule still reads
    # a bare 小川 line as a weak name: not this table's class).
    pytest.param(Case("会場\n焼津文化会館\n大井川文化会館"), id="column-of-places"),
    pytest.param(Case("焼津・藤枝・島田の各市で実施します。"), id="places-enumerated"),
    pytest.param(Case("近所のおばあちゃんが野菜をくれた。"), id="household-no-surname"),
    pytest.param(Case("手続きは村井ですか。"), id="desu-question"),
]
CJK = [
    pytest.param(Case("名单：\n吕强\n韩雪", ["吕强", "韩雪"]), id="zh-column"),
    pytest.param(Case("他和太太罗琳一起来的。", ["罗琳"]), id="zh-kin-before"),
    pytest.param(Case("참석자\n배수지\n송민호", ["배수지", "송민호"]), id="ko-column"),
    pytest.param(Case("윤정희 할머니가 오셨습니다.", ["윤정희"]), id="ko-kin-after"),
]
PUBLIC = [
    pytest.param(
        Case("しずちゃんグッズを市役所の売店で販売しています。"), id="mascot-with-context"
    ),
    pytest.param(Case("園見学を希望する方は各園へ電話してください。"), id="en-ken-gaku"),
    pytest.param(Case("夏目漱石の「こころ」を朗読します。"), id="author-of-a-work"),
    pytest.param(Case("石川啄木記念館への日帰りツアー"), id="memorial-hall"),
]


@pytest.mark.parametrize(
    "case", [*LATIN, *LATIN_INVALID, *JAPANESE, *JAPANESE_INVALID, *CJK, *PUBLIC]
)
def test_unframed_names(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("焼津市石津1-2-3　岡村 翔　電話 054-623-0000", "焼津市石津1-2-3"),
        ("焼津市小川3-1-12\n足立 悠\n054-624-0000", "焼津市小川3-1-12"),
        ("焼津市本町2-1-3　グリーンコーポ 3F", "焼津市本町2-1-3　グリーンコーポ 3F"),
        ("焼津市保福島320-4\nハイツ保福島201", "焼津市保福島320-4\nハイツ保福島201"),
        ("焼津市大住12-3 リバーサイド大住 A棟 101", "焼津市大住12-3 リバーサイド大住 A棟 101"),
    ],
)
def test_address_ends_before_the_next_field(guard: Guard, text: str, address: str) -> None:
    assert_findings(guard, Case(text, [address]), "ADDRESS")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Contato: renata.f arroba uol ponto com ponto br",
            "renata.f arroba uol ponto com ponto br",
        ),
        ("correo: tomas_rios arroba gmail.com", "tomas_rios arroba gmail.com"),
        ("邮箱 wangxue99#126.com", "wangxue99#126.com"),
        ("You can write to me at felix.m at outlook dot com", "felix.m at outlook dot com"),
    ],
)
def test_obfuscated_email(guard: Guard, text: str, value: str) -> None:
    assert_findings(guard, Case(text, [value]), "EMAIL_ADDRESS")


@pytest.mark.parametrize(
    "text",
    [
        "#焼津 のハッシュタグで投稿してください。",
        "Meet us at the library at 10.",
    ],
)
def test_not_email(guard: Guard, text: str) -> None:
    assert_findings(guard, Case(text), "EMAIL_ADDRESS")


@pytest.mark.parametrize(
    "text",
    [
        "市内在住・在学の方が対象です。申込：生涯学習課 054-626-2000",
        "対象は市内在住の70歳以上の方です。問合せ：長寿福祉課（054-626-2001）",
        "平成24年4月2日から平成25年4月1日までに生まれた方が対象です。",
        "令和2年4月2日から令和3年4月1日生まれのお子さん",
    ],
)
def test_public_eligibility_passes(guard: Guard, text: str) -> None:
    result = guard.scan(text)
    assert result.action.value != "block", result.findings


def test_one_date_born_stays_a_birth_date(guard: Guard) -> None:
    """Only the end of a range is a cohort: one date with 生まれの方 is one person's."""
    text = "小野様\nお問い合わせの平成2年7月9日生まれの方の記録は見つかりませんでした。"
    assert_findings(guard, Case(text, ["平成2年7月9日"]), "BIRTH_DATE")
