"""Placeholder mode's widening pass (guardrails/_placeholder_widen.py): a value found in
part is sent whole as its placeholder, strongly cued values are added, and nothing else
changes — not the plain guard's decisions, not public information, not the words
around a name."""

from __future__ import annotations

import pytest

from guardrails import PlaceholderMapping, PublicBasis, TaskAction, placeholder_prompt
from tests.guardrails._placeholder_helpers import Spec, bundled_policy, scan_of


def _sent(text: str, specs: list[Spec], *, task: str = "draft", use: bool = True) -> str:
    plan = placeholder_prompt(
        text,
        scan_of(text, specs),
        task=task,
        policy=bundled_policy(),
        mapping=PlaceholderMapping(),
        use_placeholders=use,
    )
    assert not plan.blocked, plan
    return plan.text


# What the guard found (specs) → what is sent.
WIDENED = [
    # a name found in part
    pytest.param("次の内容で林 音々様への文案", [("PERSON", "音々")], "次の内容で〈氏名1〉様への文案", id="ja-surname-before"),
    pytest.param("相談者：児島　治章（S54.6.27生）", [("PERSON", "児島")], "相談者：〈氏名1〉（〈生年月日1〉生）", id="ja-given-after-space"),
    pytest.param("同居家族：渡辺　あすか。", [("PERSON", "渡辺　あす")], "同居家族：〈氏名1〉。", id="ja-kana-continues"),
    pytest.param("宛名は 牛田 確美 様。", [("PERSON", "牛田"), ("PERSON", "美")], "宛名は 〈氏名1〉 様。", id="ja-two-pieces"),
    pytest.param("中国語に訳して：王 建華 様", [("PERSON", "建華")], "中国語に訳して：〈氏名1〉 様", id="one-kanji-surname"),
    pytest.param("お子さん（程建国さん）", [("PERSON", "建国")], "お子さん（〈氏名1〉さん）", id="zh-in-ja-surname"),
    pytest.param("su hija Elvira de León nació", [("PERSON", "Elvira")], "su hija 〈氏名1〉 nació", id="es-particle-surname"),
    pytest.param("Prezada Sra. da Paz, recebemos", [("PERSON", "Paz")], "Prezada Sra. 〈氏名1〉, recebemos", id="pt-particle-after-title"),
    pytest.param("Atentamente, Jacobo de Anda", [("PERSON", "de Anda")], "Atentamente, 〈氏名1〉", id="es-given-before-particle"),
    # a name after a cue, found nowhere by the guard
    pytest.param("I would like to register my daughter Emily Rose for nursery school.", [], "I would like to register my daughter 〈氏名1〉 for nursery school.", id="en-kin"),
    pytest.param("Gostaria de saber sobre a vacina do meu filho Pedro Henrique.", [], "Gostaria de saber sobre a vacina do meu filho 〈氏名1〉.", id="pt-kin"),
    pytest.param("딸 김지후의 보육원 신청", [], "딸 〈氏名1〉의 보육원 신청", id="ko-kin-particle"),
    pytest.param("我的孩子杜婷婷想上小学。", [], "我的孩子〈氏名1〉想上小学。", id="zh-kin"),
    pytest.param("您好，我是欧洋。", [], "您好，我是〈氏名1〉。", id="zh-self"),
    pytest.param("対象者：平　一誠、同居家族：宇野呉羽。", [("PERSON", "平　一誠")], "対象者：〈氏名1〉、同居家族：〈氏名2〉。", id="ja-label"),
    pytest.param("申請書を受け付けました。贺様の口座への振込は翌月からです。", [], "申請書を受け付けました。〈氏名1〉様の口座への振込は翌月からです。", id="delimiter-honorific"),
    pytest.param("La señora de Anda llamó.", [], "La señora 〈氏名1〉 llamó.", id="es-title"),
    # the same name elsewhere
    pytest.param("柚木　佐以子さんへお礼状。柚木さんは会長です。", [("PERSON", "柚木", 1)], "〈氏名1〉さんへお礼状。〈氏名1〉さんは会長です。", id="name-elsewhere"),
    # addresses
    pytest.param("我住在静冈县滨松市港町2-201-12。", [("ADDRESS", "港町2-201-12")], "我住在〈住所1〉。", id="zh-prefecture-before"),
    pytest.param("제 주소는 시즈오카현 야이즈시 사카에초 3-866-14에 있습니다.", [("ADDRESS", "사카에초 3-866-14")], "제 주소는 〈住所1〉에 있습니다.", id="ko-prefecture-before"),
    pytest.param("I moved to 5-285-12 Nishi-ku, Osaka-shi, Osaka last month.", [("ADDRESS", "5-285-12 Nishi-ku, Osaka-shi")], "I moved to 〈住所1〉 last month.", id="latin-prefecture-after"),
    pytest.param("住所：愛知県碧南市縄手町２丁目１番 コート縄手ハイツ第２ ２１２号、電話", [("ADDRESS", "愛知県碧南市縄手町２丁目１番")], "住所：〈住所1〉、電話", id="building-and-room"),
    pytest.param("住所：愛知県豊田市志賀町８７　ハイツ桜台荘Ｂ １０６⏎", [("ADDRESS", "愛知県豊田市志賀町８７　ハイツ桜台荘")], "住所：〈住所1〉⏎", id="building-letter-room"),
    pytest.param("We will send the form to 4-22-16 Chuo-cho, Sakura-shi, Chiba. Thank you.", [], "We will send the form to 〈住所1〉. Thank you.", id="latin-unfound"),
    pytest.param("我叫李亮，住在神奈川县横滨市鹤见4-126-1。", [("PERSON", "李亮")], "我叫〈氏名1〉，住在〈住所1〉。", id="zh-unfound"),
    pytest.param("제 이름은 김숙자입니다. 군마현 오이즈미마치 오타 5-598-24에 살고 있습니다.", [("PERSON", "김숙자")], "제 이름은 〈氏名1〉입니다. 〈住所1〉에 살고 있습니다.", id="ko-unfound"),
    # dates
    pytest.param("Tôi tên là Đặng Thế Hồng, sinh ngày 5 tháng 2 năm 1972.", [("PERSON", "Đặng Thế Hồng"), ("BIRTH_DATE", "5 tháng 2 năm 1972")], "Tôi tên là 〈氏名1〉, sinh 〈生年月日1〉.", id="vi-ngay"),
    pytest.param("対象者：横井 若薫子（昭和32年3月21日）、同居", [("PERSON", "横井 若薫子")], "対象者：〈氏名1〉（〈生年月日1〉）、同居", id="date-after-name"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "specs", "sent"), WIDENED)
def test_widened(text: str, specs: list[Spec], sent: str) -> None:
    text, sent = text.replace("⏎", "\n"), sent.replace("⏎", "\n")
    assert _sent(text, specs) == sent


# Left as the guard found it: the words around a name, staff, offices, ordinary words.
KEPT = [
    pytest.param("山田課長に確認してください。山田太郎様あて", [("PERSON", "山田太郎")], "山田課長に確認してください。〈氏名1〉様あて", id="staff-title"),
    pytest.param("高柳 紗季 さんへ。お問い合わせの件", [("PERSON", "高柳 紗季")], "〈氏名1〉 さんへ。お問い合わせの件", id="honorific-outside"),
    pytest.param("Toi ten la Bui Hai Van, sinh", [("PERSON", "Bui Hai Van")], "Toi ten la 〈氏名1〉, sinh", id="vi-la-not-a-particle"),
    pytest.param("recebemos o pedido de Caleb Barbosa.", [("PERSON", "Caleb Barbosa")], "recebemos o pedido de 〈氏名1〉.", id="pt-de-not-a-particle"),
    pytest.param("Hi, I'm Grace Okafor.", [("PERSON", "Grace Okafor")], "Hi, I'm 〈氏名1〉.", id="im-not-a-name"),
    pytest.param("転入 ゴメス ホセ 様", [("PERSON", "ゴメス ホセ")], "転入 〈氏名1〉 様", id="kanji-before-katakana"),
    pytest.param("Contact: Yaizu City Hall, 2-16-32 Honmachi, Yaizu-shi, Shizuoka. Mr. Taro Yamada", [("PERSON", "Taro Yamada")], "Contact: Yaizu City Hall, 2-16-32 Honmachi, Yaizu-shi, Shizuoka. Mr. 〈氏名1〉", id="office-address"),
    pytest.param("皆様、同様の手続きを。山田太郎様", [("PERSON", "山田太郎")], "皆様、同様の手続きを。〈氏名1〉様", id="minasama"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "specs", "sent"), KEPT)
def test_kept(text: str, specs: list[Spec], sent: str) -> None:
    assert _sent(text, specs) == sent


def test_never_grows_into_public_information() -> None:
    text = "山田太郎様　問い合わせ：焼津市本町2-16-32 焼津市役所"
    specs: list[Spec] = [("PERSON", "山田太郎"), ("ADDRESS", "焼津市本町2-16-32", 0, PublicBasis.ORGANISATION)]  # fmt: skip
    assert _sent(text, specs) == "〈氏名1〉様　問い合わせ：焼津市本町2-16-32 焼津市役所"


def test_without_placeholders_the_guards_decision_stands() -> None:
    """The request did not ask for placeholders: nothing is widened or added, so a text
    the guard passed still passes and a blocked one blocks for what the guard found."""
    text = "I would like to register my daughter Emily Rose for nursery school."
    assert _sent(text, [], use=False) == text
    plan = placeholder_prompt(
        "林 音々様への文案",
        scan_of("林 音々様への文案", [("PERSON", "音々")]),
        task="draft",
        policy=bundled_policy(),
        mapping=PlaceholderMapping(),
        use_placeholders=False,
    )
    assert plan.blocked
    assert [(f.start, f.end) for f in plan.blocking] == [(2, 4)]


def test_a_task_without_placeholders_is_not_widened() -> None:
    """ask has no placeholder table: a cued name there is left to the plain guard."""
    text = "my daughter Emily Rose"
    plan = placeholder_prompt(
        text, scan_of(text, []), task="ask", policy=bundled_policy(), mapping=PlaceholderMapping()
    )
    assert plan.action is TaskAction.ALLOW
    assert plan.text == text
