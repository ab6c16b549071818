"""Round 5 of issue 12: names no list knows, framed by the words around them. One table
per class (Presidio style: valid, invalid); every name is invented, none is a string of
the recall set.

Classes: a Japanese given name after a kin noun and の, before じいちゃん / の母です, before an
age or school year in brackets, before a child's mishap; a katakana name before its
country; a surname and its 旧姓; one-kanji surnames of a household (林の奥さん); a
neighbour's surname (隣の大庭が). Latin: X's dad, kin rosters, thanks, one word + act +
pronoun, asides with age or nationality, a call at a phone number, letters of
authorisation, the owner of a contact value, o senhor + name, calendar words as names,
rosters of full names that are words. Romanised Japanese: namae wa … desu, … to
moushimasu, kin + no + name, X sensei, a signature; romanised Japanese dates. Chinese
and Korean given names after kin nouns, list labels, 엄마 / 아빠 after a name, 보낸 사람 /
배우자 labels. Addresses: Apt + block numbers, a visit "at", Ōi and thành phố.
"""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

PERSON = [
    pytest.param(Case("長女の茜は来年成人式です。", ["茜"]), id="ja-kin-no-given"),
    pytest.param(Case("弟の健さんとは連絡がつかない。", ["健"]), id="ja-kin-given-honorific"),
    pytest.param(Case("正雄じいちゃんが一人で出かけた。", ["正雄"]), id="ja-given-jiichan"),
    pytest.param(Case("「もしもし、陸の母です」と電話。", ["陸"]), id="ja-given-no-haha"),
    pytest.param(Case("出欠：みおり（4歳）欠席", ["みおり"]), id="ja-kana-age"),
    pytest.param(Case("連絡：楓（年中）は水ぼうそう。", ["楓"]), id="ja-school-year"),
    pytest.param(Case("湊がまだ帰ってこないと祖母。", ["湊"]), id="ja-child-mishap"),
    pytest.param(
        Case("父 ロドリゴ（ブラジル国籍）が同行。", ["ロドリゴ"]), id="ja-katakana-country"
    ),
    pytest.param(Case("新井（旧姓 宮良）さんの届出。", ["新井", "宮良"]), id="ja-former-surname"),
    pytest.param(Case("森のおばあちゃんが入院した。", ["森"]), id="ja-one-kanji-household"),
    pytest.param(Case("向かいの熊田さんから苦情。", ["熊田"]), id="ja-neighbour"),
    pytest.param(Case("I'm Dana, Ruby's mom.", ["Dana", "Ruby"]), id="en-possessive-kin"),
    pytest.param(
        Case(
            "Family: father Kairat Omarov, mother Saule, son Timur.",
            ["Kairat Omarov", "Saule", "Timur"],
        ),
        id="en-kin-roster",
    ),
    pytest.param(Case("Thanks, Bakhyt!", ["Bakhyt"]), id="en-thanks"),
    pytest.param(Case("Tolga said he will send the form.", ["Tolga"]), id="en-act-pronoun"),
    pytest.param(Case("Seble (Eritrean, 29) needs a doctor.", ["Seble"]), id="en-aside-age"),
    pytest.param(Case("Called back Ulugbek at 090-1234-5678.", ["Ulugbek"]), id="en-called-at"),
    pytest.param(
        Case("I, Nomvula Dube, authorise Sipho Dube to sign.", ["Nomvula Dube", "Sipho Dube"]),
        id="en-authorisation",
    ),
    pytest.param(Case("Email from Aliya Serikova: a@b.kz", ["Aliya Serikova"]), id="en-email-from"),
    pytest.param(Case("Tel: 080-3333-1212 (Nima Sherpa)", ["Nima Sherpa"]), id="contact-owner"),
    pytest.param(Case("Teléfono de Mamani: 090-1111-2222", ["Mamani"]), id="es-phone-of"),
    pytest.param(Case("A senhora Conceição pediu ajuda.", ["Conceição"]), id="pt-senhora"),
    pytest.param(Case("Her name is June, she is 3.", ["June"]), id="en-calendar-name"),
    pytest.param(
        Case("Present: Ann Rice, Bob Long, Will Park.", ["Ann Rice", "Bob Long", "Will Park"]),
        id="en-roster-words",
    ),
    pytest.param(Case("Watashi no namae wa Nakaza Ryo desu.", ["Nakaza Ryo"]), id="romaji-namae"),
    pytest.param(Case("Kawabe Sora to moushimasu.", ["Kawabe Sora"]), id="romaji-moushimasu"),
    pytest.param(Case("Musume no Hana ga kaze desu.", ["Hana"]), id="romaji-kin-no"),
    pytest.param(Case("Yuki sensei ni yoroshiku.", ["Yuki"]), id="romaji-sensei"),
    pytest.param(Case("Ashita yasumimasu. Yamaguchi", ["Yamaguchi"]), id="romaji-signature"),
    pytest.param(Case("我儿子子轩明天不去学校。", ["子轩"]), id="zh-kin-given"),
    pytest.param(Case("名单：春燕、国庆、海波。", ["春燕", "国庆", "海波"]), id="zh-list-label"),
    pytest.param(Case("古丽娜尔（哈萨克族）来办手续。", ["古丽娜尔"]), id="zh-ethnicity"),
    pytest.param(Case("제 아들 시우가 열이 나요.", ["시우"]), id="ko-kin-given"),
    pytest.param(Case("서윤 엄마가 전화했어요.", ["서윤"]), id="ko-parent-of"),
    pytest.param(Case("배우자 염지혜", ["염지혜"]), id="ko-spouse-label"),
    pytest.param(
        Case("The Mwangis (Wanjiku and Baraka) came in.", ["Wanjiku", "Baraka"]),
        id="en-family-brackets",
    ),
    pytest.param(
        Case(
            "Attendance: Ayşe Kaya, Ruth Hall, Dmitri Orlov",
            ["Ayşe Kaya", "Ruth Hall", "Dmitri Orlov"],
        ),
        id="en-roster-label",
    ),
    pytest.param(
        Case("Danh sách học viên:\nLê Văn Tùng\nPhí Minh Khang", ["Lê Văn Tùng", "Phí Minh Khang"]),
        id="vi-roster-lines",
    ),
    pytest.param(Case("Hello, this is Declan again. Any news?", ["Declan"]), id="en-weak-again"),
    pytest.param(Case("Maribel Quispe (1979) pide ayuda.", ["Maribel Quispe"]), id="es-year-aside"),
    pytest.param(Case("Em Thu nhờ dịch giấy tờ.", ["Thu"]), id="vi-address-word-verb"),
    pytest.param(Case("Si Dalisay ay nag-apply.", ["Dalisay"]), id="tl-si-ay"),
    pytest.param(Case("My daughter River is ill.", ["River"]), id="en-kin-homograph"),
    pytest.param(Case("邮箱：wang88@qq.com（王芳）", ["王芳"]), id="zh-contact-owner"),
    pytest.param(Case("蔡小梅的爸爸来了。", ["蔡小梅"]), id="zh-owner-xiao"),
    pytest.param(Case("Lee Min-ho（이민호）さん", ["Lee Min-ho", "이민호"]), id="ko-bracketed"),
    pytest.param(Case("張さん（台湾）が来庁。", ["張"]), id="zh-surname-san-country"),
    pytest.param(
        Case("送付先：a@b.jp（岩切 奈緒様）", ["岩切 奈緒"]), id="ja-spaced-name-brackets"
    ),
    pytest.param(
        Case("母 一色 美咲　父 一色 翔太", ["一色 美咲", "一色 翔太"]), id="ja-labelled-full-name"
    ),
    pytest.param(
        Case("名簿：片桐 達也、井戸 春香", ["片桐 達也", "井戸 春香"]), id="ja-roster-first-item"
    ),
]

PERSON_INVALID = [
    pytest.param(Case("母の日のイベントと、子の看護休暇のお知らせ。"), id="ja-kin-phrases"),
    pytest.param(Case("次男の就職と長女の結婚について相談。"), id="ja-kin-common-nouns"),
    pytest.param(Case("母の愛をテーマにした講演会。"), id="ja-mothers-love"),
    pytest.param(Case("光が丘公園で集合。"), id="ja-place-ga"),
    pytest.param(Case("ボランティア（ベトナム）を募集。"), id="ja-katakana-word-country"),
    pytest.param(Case("ダブリン（アイルランド）で開かれた会議。"), id="ja-place-country"),
    pytest.param(Case("氏名 記入例　父 母 兄弟　世帯主 変更 届"), id="ja-label-words-spaced"),
    pytest.param(Case("隣の市町村と協力します。"), id="ja-neighbour-town"),
    pytest.param(Case("Caller said he was new in town."), id="en-role-said"),
    pytest.param(Case("He lost his card at the station."), id="en-pronoun"),
    pytest.param(Case('Write "Child Allowance" on the Child Support form.'), id="en-kin-titles"),
    pytest.param(Case("Kore wa Tokyo to iimasu."), id="romaji-place"),
    pytest.param(Case("我的儿子今年上小学。"), id="zh-kin-time-word"),
    pytest.param(Case("딸 아이가 아파요. 친구 엄마가 왔어요."), id="ko-kin-words"),
    pytest.param(
        Case("Present: Deputy Mayor, Chief Officer, Director of Welfare."), id="en-roster-roles"
    ),
    pytest.param(Case("Hope House, the youth centre, opens on Saturdays."), id="en-hope-house"),
    pytest.param(Case("La Sra. Alcaldesa inaugurará la biblioteca."), id="es-mayor-title"),
    pytest.param(Case("The Sakura Festival (2024) drew 5,000 visitors."), id="en-event-year"),
    pytest.param(Case("うちのこが熱を出して"), id="ja-our-kid-particle"),
    pytest.param(Case("杉森さんのおばあちゃんが入院。", ["杉森"]), id="ja-honorific-then-grandma"),
]


@pytest.mark.parametrize("case", PERSON + PERSON_INVALID)
def test_name_frames(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Showa 48-nen 11-gatsu 3-ka umare desu.", "Showa 48-nen 11-gatsu 3-ka"),
        ("DOB: 1988-nen 2-gatsu 14-nichi", "1988-nen 2-gatsu 14-nichi"),
        ("Heisei 5 nen 6 gatsu 9 ka ni umaremashita.", "Heisei 5 nen 6 gatsu 9 ka"),
    ],
)
def test_romanised_japanese_birth_dates(guard: Guard, text: str, value: str) -> None:
    assert_findings(guard, Case(text, [value]), "BIRTH_DATE")


def test_romanised_japanese_event_date_is_no_birth_date(guard: Guard) -> None:
    assert_findings(guard, Case("Matsuri wa 2025-nen 8-gatsu 3-ka desu."), "BIRTH_DATE")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Regards,\nOmar Said\nApt 204, 2-8-1 Honmachi, Yaizu", "Apt 204, 2-8-1 Honmachi, Yaizu"),
        ("We visited Mr. Banda at 3-2-1 Oi, Yaizu.", "3-2-1 Oi, Yaizu"),
        ("Địa chỉ: 4-1-7 Ōtomi, thành phố Yaizu", "4-1-7 Ōtomi, thành phố Yaizu"),
        ("Vivimos en Yaizu, Oi 2-9-4.", "Oi 2-9-4"),
    ],
)
def test_home_addresses_in_latin_script(guard: Guard, text: str, value: str) -> None:
    assert_findings(guard, Case(text, [value]), "ADDRESS")


@pytest.mark.parametrize(
    "text",
    [
        "Visit the museum at 136-24 Iwashigashima, Yaizu.",
        "We visited the Port Museum at 136-24 Iwashigashima, Yaizu.",
    ],
)
def test_public_addresses_in_latin_script(guard: Guard, text: str) -> None:
    assert_findings(guard, Case(text), "ADDRESS")


def test_arroba_in_brackets(guard: Guard) -> None:
    text = "Correo: rosa.q[arroba]gmail.com"
    assert_findings(guard, Case(text, ["rosa.q[arroba]gmail.com"]), "EMAIL_ADDRESS")
