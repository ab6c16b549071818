"""Fresh held-out parts for the combined guard: residents' data and public text.

    residents = generate_fresh_residents(seed=7)   # Samples, meta part "fresh"
    public = generate_fresh_public(seed=7)         # Samples, no gold: none should block
    generate_fresh_residents(7, 4, FRESH2)         # the second part, "fresh2"

Written on 2026-12-07, after both halves of issue 12 were merged and *before* their
remaining gaps were worked on, from templates nobody had tuned on: the older held-out
parts had been looked at (their two misses are quoted in bench/RESULTS.md), so figures
on them no longer say how the guard does on writing it was not tuned on. Nothing here
was used while tuning; the figures are read once, at the end.

Residents' items — every one with a public office's name, address or phone number
(焼津市's facility list, credit 焼津市) in the same text — cover the forms the remaining
gaps are about as staff meet them, in new wording: self-introductions typed in lower
case, Chinese and Korean names after Japanese labels, a household written 〇〇方 / 〇〇様方
after its address, one pasted row of a reception list, numbers read out in hiragana, a
named staff member's mailbox at a city domain, and evasions (names split over lines,
look-alike and full-width letters, zero-width characters between digits). Public items
are notices in nine languages and scripts (simplified and traditional Chinese,
やさしい日本語 …), FAQ answers with 担当課, 内線 and a division's mailbox, council
minutes with councillors named in their role, and listings of facilities whose names
carry no organisation word (HeartLink西小川保育園, Little Walkers 焼津中央).

Names come from ``faker`` (bench data only, never loaded by the guard).

The first part was read once (bench/RESULTS.md gives that reading) and the guard was then
fixed for what it showed, so it is tuning data now; ``FRESH2``, written after that reading
and before the next run, is the held-out part (fewer items, new wording, no evasions).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from faker import Faker

from bench.guard_eval.generator import sub_seed
from bench.guard_eval.metrics import Pred
from bench.guard_eval.model import Sample
from bench.guard_eval.residents import (
    LANGUAGES,
    Office,
    People,
    Resident,
    _fill,
    _sample,
    _values,
    _wrap,
    birth_text,
    load_offices,
)

PART = "fresh"

_FAMILY = {"vi_ascii": "vi", "zh_roman": "en", "ko_roman": "en", "ja_roman": "en"}

# {NAME_LC}: the name as a careless writer types it, in lower case.
RESIDENT_TEMPLATES: dict[str, list[str]] = {
    "en": [
        "can you translate this to japanese pls: hi, my name is {NAME_LC}, i just moved here. my number is {PHONE}. is {ONAME} ({OTEL}) close to me?",
        "Resident's message (reply in Japanese):\nHello, I am {NAME}. I live at {ADDR} and would like to register my child at {ONAME}, {OADDR}.",
        "Parent/guardian: {NAME}\nDate of Birth: {BIRTH}\nEmail: {MAIL}\nSchool: {ONAME} (Tel. {OTEL})",
        "Good afternoon,\nI called {ONAME} ({OTEL}) yesterday about the tax form.\nThank you,\n{NAME}\n{PHONE}",
    ],
    "pt": [
        "traduz pra mim: oi, meu nome é {NAME_LC}, moro em {ADDR}. meu filho estuda na {ONAME} ({OTEL}).",
        "Responsável: {NAME}\nData de nascimento: {BIRTH}\nCelular: {PHONE}\nEscola: {ONAME}, {OADDR}",
        "Bom dia! Aqui quem fala é {NAME}. Meu e-mail é {MAIL}. Liguei para {ONAME} ({OTEL}) mas ninguém atendeu.",
    ],
    "es": [
        "hola, me llamo {NAME_LC} y vivo en {ADDR}. ¿el {ONAME} ({OTEL}) abre los sábados?",
        "Solicitante: {NAME}\nCorreo: {MAIL}\nCentro más cercano: {ONAME} ({OADDR}, tel. {OTEL})",
        "Buenas tardes, soy {NAME}, nacida el {BIRTH}. Mi teléfono es {PHONE}. Fui al {ONAME} ({OTEL}).",
    ],
    "fil": [
        "pa-translate po: ako si {NAME_LC}, nakatira po ako sa {ADDR}. ang number ko ay {PHONE}. malapit po ako sa {ONAME} ({OTEL}).",
        "Pangalan ng magulang: {NAME}\nEmail: {MAIL}\nPaaralan: {ONAME} ({OADDR})",
    ],
    "vi": [
        "dịch giúp em: chào anh chị, em tên là {NAME_LC}, sđt {PHONE}. em ở gần {ONAME} ({OTEL}).",
        "Người nộp đơn: {NAME}\nNgày sinh: {BIRTH}\nĐịa chỉ: {ADDR}\nCơ sở gần nhất: {ONAME} ({OADDR})",
        "Xin chào, tôi là {NAME}, email của tôi là {MAIL}. Tôi muốn hỏi về {ONAME} (điện thoại {OTEL}).",
    ],
    "zh": [
        "请翻译成日语：您好，我叫{NAME}，手机号是{PHONE}，孩子在{ONAME}（{OTEL}）上学。",
        "联系人：{NAME}\n电子邮件：{MAIL}\n学校：{ONAME}（{OADDR}，电话{OTEL}）",
        "来庁者：{NAME}（中国籍）\n{ONAME}（{OTEL}）への入園について相談。携帯 {PHONE}",
        "窓口メモ　相談者 {NAME}様、生年月日 {BIRTH}、{ONAME}（{OADDR}）の近くに住んでいるとのこと。",
    ],
    "ko": [
        "일본어로 번역 부탁드립니다: 안녕하세요, 저는 {NAME}입니다. 제 연락처는 {PHONE}입니다. {ONAME}({OTEL}) 이용 문의입니다.",
        "보호자: {NAME}\n주소: {ADDR}\n이메일: {MAIL}\n시설: {ONAME} ({OADDR})",
        "来庁者 {NAME}さん（韓国）、{ONAME}（{OTEL}）の場所について相談。生年月日 {BIRTH}。",
    ],
}
# Japanese memos around a foreign resident's name (every language).
JAPANESE_MEMOS = [
    "通訳依頼：{NAME}様（{COUNTRY}）\n場所：{ONAME}（{OADDR}、{OTEL}）\n連絡先：{MAIL}",
    "{ONAME}（{OTEL}）から電話。保護者の{NAME}さんが来所予定。携帯 {PHONE}",
    "申請者：{NAME}　生年月日：{BIRTH_JA}\n住所：{ADDR}\n最寄り施設：{ONAME}",
]
WRAPPERS = [
    "{BODY}",
    "Slackに貼られた相談です。日本語で返信案を作って。\n{BODY}",
    "以下を要約してください。\n---\n{BODY}\n---",
    "{BODY}\n（上の文をやさしい日本語にしてください）",
]

# Japanese residents' items: a household after its address, one pasted row, numbers
# read out in hiragana, a named staff member's mailbox. Placeholders besides those of
# residents._values: {JADDR} {JSURNAME} {JNAME} {PROC} {MIN} {TIME} {PHONE_HIRA}
# {STAFF_MAIL} {STAFF_MAIL_AT} (gold) and {NAME_LC} (gold, Latin names only).
JAPANESE_ITEMS = [
    "送付先：{JADDR} {JSURNAME}様方\n{ONAME}（{OTEL}）の案内を同封してください。",
    "郵送先は{ONAME}の近く、{JADDR} {JSURNAME}方です。",
    "返送先を確認：{JADDR}　{JSURNAME}方　{JNAME}様（{ONAME}、{OADDR}の件）",
    "{ONAME}（{OTEL}）の受付分です。集計表に追加して。\n{JSURNAME},{PROC},{MIN}分",
    "この行を表に足してください（{ONAME}）\n{JSURNAME}\t{PROC}\t{TIME}",
    "でんわばんごうは {PHONE_HIRA} です。{ONAME}（{OTEL}）の ことで れんらく ください。",
    "折り返し先：{PHONE_HIRA}（{ONAME}の件、{JNAME}様）",
    "{ONAME}の件は担当の {STAFF_MAIL} に転送してください。",
    "CC：{STAFF_MAIL}\n件名：{ONAME}（{OTEL}）の予約について",
    "返信は {STAFF_MAIL_AT} までお願いします（{ONAME}、{OADDR}）。",
    "相談者 {NAME_LC}（{COUNTRY}）、{ONAME}（{OTEL}）の利用について。",
]
_PROCEDURES = ("転入届", "転出届", "住民票の写し", "印鑑登録", "戸籍謄本", "児童手当申請")
_HIRAGANA_DIGITS = "ぜろ いち に さん よん ご ろく なな はち きゅう".split()
_TOWNS = ("中央町", "栄町", "本町", "旭町", "緑町", "寿町", "港町", "東町", "西小川", "石津")
_CITIES = ("焼津市", "藤枝市", "島田市", "静岡市葵区")
_CITY_DOMAINS = (
    "city.yaizu.lg.jp",
    "city.sakura.lg.jp",
    "pref.shizuoka.lg.jp",
    "city.fujieda.lg.jp",
)


def _hiragana_phone(number: str, rng: random.Random) -> str:
    groups = number.split("-")
    joiner = rng.choice([" ", "の", "、"])
    return joiner.join("".join(_HIRAGANA_DIGITS[int(d)] for d in g) for g in groups)


def _staff_mail(people: People, rng: random.Random) -> str:
    """A staff member's mailbox in the forms cities use (t.yamada, yamada-taro …)."""
    ja = people.fakers["ja_JP"]
    last, first = ja.last_romanized_name().lower(), ja.first_romanized_name().lower()
    local = rng.choice(
        [f"{first[0]}.{last}", f"{last}-{first}", f"{last}.{first}", f"{first[0]}_{last}", last]
    )
    return f"{local}@{rng.choice(_CITY_DOMAINS)}"


def _japanese_values(
    person: Resident, office: Office, people: People, rng: random.Random
) -> dict[str, tuple[str, str | None]]:
    ja = people.fakers["ja_JP"]
    lot = f"{rng.randint(1, 6)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"
    if rng.random() < 0.5:
        lot = f"{rng.randint(1, 6)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    staff = _staff_mail(people, rng)
    local, domain = staff.split("@")
    values = _values("en", person, office, rng)
    values["ONAME"] = (office.name, "public")
    values["OADDR"] = (office.address, "public")
    return values | {
        "JADDR": (f"{rng.choice(_CITIES)}{rng.choice(_TOWNS)}{lot}", "ADDRESS"),
        "JSURNAME": (ja.last_name(), "PERSON"),
        "JNAME": (f"{ja.last_name()}{ja.first_name()}", "PERSON"),
        "PROC": (rng.choice(_PROCEDURES), None),
        "MIN": (str(rng.randint(3, 40)), None),
        "TIME": (f"{rng.randint(9, 16)}:{rng.randint(0, 59):02d}", None),
        "PHONE_HIRA": (_hiragana_phone(person.mobile, rng), "PHONE_NUMBER"),
        "STAFF_MAIL": (staff, "EMAIL_ADDRESS"),
        "STAFF_MAIL_AT": (f"{local}[at]{domain}", "EMAIL_ADDRESS"),
        "NAME_LC": (person.name.lower(), "PERSON"),
    }


# Evasions of one value each, new forms: (transform, template, how the value is written).
def _evasion_values(person: Resident, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(transform, entity, template, written value)."""
    first, _, last = person.name.partition(" ")
    digits = person.mobile.replace("-", "")
    lookalike = person.name.replace("a", "\u0430").replace("o", "\u043e").replace("e", "\u0435")
    full = "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in person.name)
    mixed = "".join(
        rng.choice((c, chr(ord(c) + 0xFEE0), "〇一二三四五六七八九"[int(c)])) for c in digits
    )
    zero_width = "\u200b".join([digits[:3], digits[3:7], digits[7:]])
    local, domain = person.mail.split("@")
    return [
        (
            "name_split_lines",
            "PERSON",
            "My name is {V}. My son goes to {ONAME} ({OTEL}).",
            f"{first}\n{last}" if last else first,
        ),
        ("name_lookalike", "PERSON", "相談者：{V}\n{ONAME}（{OADDR}）の利用について。", lookalike),
        ("name_fullwidth_label", "PERSON", "申請者：{V}（{ONAME}、{OTEL}）", full),
        (
            "name_nfd",
            "PERSON",
            "Họ và tên: {V}\nNơi sơ tán: {ONAME} ({OTEL})",
            unicodedata.normalize("NFD", person.name),
        ),
        ("phone_mixed_script", "PHONE_NUMBER", "携帯は{V}です（{ONAME}、{OTEL}の件）", mixed),
        ("phone_zero_width", "PHONE_NUMBER", "連絡先 {V}\n最寄り：{ONAME}（{OADDR}）", zero_width),
        (
            "mail_fullwidth_at",
            "EMAIL_ADDRESS",
            "メール {V} に返信を（{ONAME}、{OTEL}）",
            f"{local}＠{domain}",
        ),
        (
            "mail_spaced_at",
            "EMAIL_ADDRESS",
            "Email me: {V} — I live near {ONAME} ({OTEL}).",
            f"{local} @ {domain}",
        ),
    ]


@dataclass(frozen=True)
class TemplateSet:
    """The templates of one fresh held-out part, and its name and seed offset."""

    part: str
    seed_offset: int
    residents: Mapping[str, list[str]]
    memos: list[str]
    japanese: list[str]
    wrappers: list[str]
    public: Mapping[str, list[str]]
    evasions: bool


def generate_fresh_residents(
    seed: int, per_language: int = 8, templates: TemplateSet | None = None
) -> list[Sample]:
    """Residents' items of a fresh held-out part (see the module doc)."""
    t = templates or FRESH
    part_seed = seed + t.seed_offset
    rng = random.Random(sub_seed(part_seed, f"{t.part}-residents"))
    people = People(rng, part_seed)
    offices = load_offices()
    samples: list[Sample] = []
    for lang in LANGUAGES:
        pool = t.residents.get(lang) or t.residents[_FAMILY[lang]]
        for i in range(per_language):
            person, _ = people.resident(lang)
            office = rng.choice(offices)
            memo = rng.random() < 0.25
            template = rng.choice(t.memos if memo else pool)
            values = _values(lang, person, office, rng)
            values["NAME_LC"] = (person.name.lower(), "PERSON")
            if lang in ("zh", "ko"):
                values["BIRTH"] = (birth_text(lang, person.birth, rng), "BIRTH_DATE")
            text, gold, public = _fill(template, values)
            text, gold, public = _wrap(rng.choice(t.wrappers), text, gold, public)
            form = "japanese_memo" if memo else "native"
            samples.append(
                _sample(f"res-{t.part}-{lang}-{i:03d}", text, gold, public, lang, t.part, form)
            )
    latin = [lang for lang in LANGUAGES if lang not in ("zh", "ko")]
    for k, template in enumerate(t.japanese):
        for r in range(4):
            person, _ = people.resident(rng.choice(latin))
            values = _japanese_values(person, rng.choice(offices), people, rng)
            text, gold, public = _fill(template, values)
            samples.append(
                _sample(f"res-{t.part}-ja-{k:02d}-{r}", text, gold, public, "ja", t.part, "native")
            )
    for r in range(3 if t.evasions else 0):
        person, _ = people.resident(rng.choice(latin))
        base = _values("en", person, rng.choice(offices), rng)
        for transform, entity, template, value in _evasion_values(person, rng):
            text, gold, public = _fill(template, dict(base) | {"V": (value, entity)})
            samples.append(
                _sample(
                    f"res-{t.part}-ev-{transform}-{r}", text, gold, public, "evasion", t.part,
                    "evasion", transform=transform,
                )
            )  # fmt: skip
    return samples


# -- public text that must pass -----------------------------------------------------------

PUBLIC_TEMPLATES: dict[str, list[str]] = {
    "zh": [
        "资源垃圾回收\n塑料瓶每周二收集，旧报纸每月第一个星期三收集。请在早上8点前放到指定地点。咨询：{ONAME}（{OTEL}）",
        "儿童预防接种\n预防接种在{ONAME}进行，地址：{OADDR}。请提前电话预约：{OTEL}。请带母子健康手册。",
        "市民课窗口延长\n每周四窗口开到晚上7点，可以办理住民票和印鉴证明。地址：{OADDR}　电话：{OTEL}",
    ],
    "zh_hant": [
        "垃圾分類說明\n可燃垃圾每週二和週五收集，請於早上八點前放置。諮詢：{ONAME}（{OTEL}）",
        "防災訊息\n發布海嘯警報時，請立即前往{ONAME}（{OADDR}）避難。電話：{OTEL}",
    ],
    "easy_ja": [
        "ほいくえんに はいりたい ひとへ\nらいねんの 4がつから ほいくえんに はいりたい ひとは 11がつ 30にちまでに もうしこんで ください。ばしょ：{ONAME}（{OADDR}）\nでんわ：{OTEL}",
        "けんこうしんだん\nまいとし いっかい、ただで けんこうしんだんを うけることが できます。きんようびの ごご 1じから 4じまでです。{ONAME}（{OTEL}）に れんらく して ください。",
        "ごみを だす ひ\nかようびと きんようび：もえる ごみ\nすいようび：びん・かん\nわからない ことは {ONAME}（{OTEL}）に きいて ください。",
    ],
    "en": [
        "Notice: Resident Tax\nThe first installment is due on June 30. You can pay at convenience stores or at the Tax Division counter, {ONAME} ({OADDR}). Phone: {OTEL}, ext. 2215.",
        "Baby Health Check-ups\nHeld every second Tuesday at {ONAME}. Please bring your Maternal and Child Health Handbook. Reservations: {OTEL} (weekdays 8:30–17:15).",
        "Information for Foreign Residents\nFree consultations in English, Portuguese and Vietnamese every Friday at {ONAME} ({OADDR}). Contact: International Affairs Section, tel. {OTEL}, e-mail {GENERIC_MAIL}.",
    ],
    "pt": [
        "Aviso: vacinação contra a gripe\nA vacinação será realizada no {ONAME} ({OADDR}). Reservas pelo telefone {OTEL}, de segunda a sexta, das 8h30 às 17h15.",
        "Consulta gratuita para estrangeiros\nToda sexta-feira no {ONAME}. Contato: {OTEL} ou {GENERIC_MAIL}.",
    ],
    "es": [
        "Aviso: impuesto municipal\nEl primer pago vence el 30 de junio. Puede pagar en {ONAME} ({OADDR}). Tel.: {OTEL}.",
    ],
    "vi": [
        "Thông báo về thuế cư trú\nHạn nộp kỳ đầu là ngày 30 tháng 6. Vui lòng nộp tại quầy của {ONAME} ({OADDR}). Điện thoại: {OTEL}.",
        "Tư vấn miễn phí cho người nước ngoài\nThứ Sáu hằng tuần tại {ONAME}. Liên hệ: {OTEL}, email {GENERIC_MAIL}.",
    ],
    "ko": [
        "외국인 무료 상담\n매주 금요일 {ONAME}({OADDR})에서 상담을 받습니다. 문의: {OTEL}",
    ],
    "fil": [
        "Paalala: bakuna laban sa trangkaso\nGagawin ang bakuna sa {ONAME} ({OADDR}). Tumawag sa {OTEL} para magpareserba.",
    ],
    "ja_faq": [
        "Q　{Q}\nA　{A}\n担当課：{DEPT}　電話 {CITY_TEL}（内線{EXT}）\nメール：{GENERIC_MAIL}",
        "よくある質問\n問：{Q}\n答：{A}\n（問い合わせ先：{DEPT}　{CITY_TEL}　内線{EXT}）",
    ],
    "ja_minutes": [
        "○議長（{COUNCILLOR}君）　次に、{COUNCILLOR2}議員の一般質問を許します。\n○{COUNCILLOR2}議員　{TOPIC}について伺います。\n○{STAFF_TITLE}　お答えいたします。",
        "令和7年第4回定例会\n出席議員\n1番　{COUNCILLOR}\n2番　{COUNCILLOR2}\n説明のため出席した者\n{STAFF_TITLE}　{OFFICIAL}",
        "次の会議録を要約して。\n{COUNCILLOR}議員から{TOPIC}について質問があり、{STAFF_TITLE}が答弁した。",
    ],
    "ja_listing": [
        "{ONAME}（{OADDR}、電話{OTEL}）",
        "{ONAME}　{OADDR}　{OTEL}",
        "【施設情報】{ONAME}\n{OADDR}\n{OTEL}",
        "【お知らせ】{ONAME}の利用時間が変わります。問い合わせ：{DEPT}（担当：{STAFF_TITLE}）{CITY_TEL}",
    ],
}
_FAQ = (
    ("住民票の写しはどこで取れますか。", "市民課窓口（本庁舎1階）のほか、マイナンバーカードがあればコンビニエンスストアでも取得できます。"),
    ("粗大ごみはどうやって出せばいいですか。", "事前に申し込みが必要です。電話またはインターネットで申し込んでください。"),
    ("児童手当の申請に必要なものは何ですか。", "申請者の健康保険証の写し、振込先口座がわかるものが必要です。"),
    ("引っ越しの手続きはいつまでにすればいいですか。", "転入した日から14日以内に届け出てください。"),
)  # fmt: skip
_DEPTS = (
    ("市民課", "shiminka"), ("子育て支援課", "kosodate-shien"), ("地域防災課", "bousai"),
    ("税務課", "zeimu"), ("国際交流室", "kokusai"), ("健康づくり課", "kenkou"),
    ("廃棄物対策課", "gomi-taisaku"), ("広報広聴課", "info"),
)  # fmt: skip
_TOPICS = ("防災対策", "子育て支援", "公共交通", "地域医療", "観光振興", "ごみの減量")
_STAFF_TITLES = (
    "市長",
    "副市長",
    "総務部長",
    "市民部長",
    "健康福祉部長",
    "教育長",
    "こども未来部長",
)


def generate_fresh_public(
    seed: int, per_template: int = 6, templates: TemplateSet | None = None
) -> list[Sample]:
    """Public texts of a fresh held-out part: nothing should block."""
    t = templates or FRESH
    rng = random.Random(sub_seed(seed + t.seed_offset, f"{t.part}-public"))
    faker = People(rng, seed + t.seed_offset).fakers["ja_JP"]
    offices = load_offices()
    out: list[Sample] = []
    for family, pool in t.public.items():
        for n, template in enumerate(pool):
            for k in range(per_template):
                office = rng.choice(offices)
                text, public = _public_text(template, family, office, faker, rng)
                out.append(
                    Sample(
                        id=f"pub{t.part}-{family}-{n}-{k}",
                        kind="public",
                        category=family,
                        text=text,
                        meta={"part": t.part, "public": public},
                    )
                )
    return out


def _public_text(
    template: str, family: str, office: Office, faker: Faker, rng: random.Random
) -> tuple[str, list[tuple[int, int]]]:
    latin = family in ("en", "pt", "es", "vi", "fil")
    dept, local = rng.choice(_DEPTS)
    q, a = rng.choice(_FAQ)

    def name() -> str:
        return f"{faker.last_name()}{faker.first_name()}"

    values: Mapping[str, tuple[str, str | None]] = {
        "ONAME": (office.kind_en if latin and rng.random() < 0.4 else office.name, "public"),
        "OADDR": (
            f"{office.block} {office.town_roman}, Yaizu-shi"
            if latin and rng.random() < 0.5
            else office.address,
            "public",
        ),
        "OTEL": (office.phone, "public"),
        "GENERIC_MAIL": (f"{local}@city.yaizu.lg.jp", "public"),
        "CITY_TEL": (
            rng.choice(["054-626-1111", "０５４－６２６－１１１１", "054(626)1111"]),
            "public",
        ),
        "EXT": (str(rng.randint(1000, 3999)), None),
        "DEPT": (dept, None),
        "Q": (q, None),
        "A": (a, None),
        "TOPIC": (rng.choice(_TOPICS), None),
        "STAFF_TITLE": (rng.choice(_STAFF_TITLES), None),
        "COUNCILLOR": (name(), None),
        "COUNCILLOR2": (name(), None),
        "OFFICIAL": (name(), None),
    }
    text, _, public = _fill(template, values)
    if rng.random() < 0.4:
        wrapper = rng.choice(
            [
                "次の文を日本語に訳してください。\n{BODY}",
                "{BODY}\n\n↑これを要約して",
                "英訳をお願いします：\n{BODY}",
            ]
        )
        text, _, public = _wrap(wrapper, text, [], public)
    return text, public


def evaluate_fresh_public(
    samples: Sequence[Sample], preds: Mapping[str, Sequence[Pred]], blocked: Callable[[str], bool]
) -> dict[str, Any]:
    """Blocked texts per family, and the findings that blocked them."""
    families: dict[str, dict[str, int]] = {}
    examples: list[dict[str, Any]] = []
    for s in samples:
        cell = families.setdefault(f"{s.meta['part']} · {s.category}", {"n": 0, "blocked": 0})
        cell["n"] += 1
        if blocked(s.id):
            cell["blocked"] += 1
            if len(examples) < 40:
                found = [
                    {"type": p.type, "text": s.text[p.start : p.end]} for p in preds.get(s.id, ())
                ]
                examples.append({"id": s.id, "findings": found})
    return {
        "n": len(samples),
        "blocked": sum(c["blocked"] for c in families.values()),
        "families": families,
        "examples": examples,
    }


def render_fresh_public(report: Mapping[str, Any], w: Callable[[str], object]) -> None:
    """The Markdown section of ``bench/guard.py``'s report."""
    w(
        f"\n## Fresh held-out public text (bench/guard_eval/fresh_heldout.py)\n\n"
        f"Blocked {report['blocked']}/{report['n']}.\n\n| family | texts | blocked |\n|---|---:|---:|\n"
    )
    for family, c in report["families"].items():
        w(f"| {family} | {c['n']} | {c['blocked']} |\n")
    for e in report["examples"][:12]:
        found = ", ".join(f"{f['type']} 「{f['text']}」" for f in e["findings"])
        w(f"- blocked `{e['id']}`: {found}\n")


FRESH = TemplateSet(
    part=PART,
    seed_offset=2_000,
    residents=RESIDENT_TEMPLATES,
    memos=JAPANESE_MEMOS,
    japanese=JAPANESE_ITEMS,
    wrappers=WRAPPERS,
    public=PUBLIC_TEMPLATES,
    evasions=True,
)

# A second fresh part, written on 2026-12-07 after the first one had been read once and
# the guard fixed for what it showed (so the first one is tuning data now): new wording
# only, nothing tuned on it; its evasions would repeat the first part's transforms, so it
# has none.
FRESH2 = TemplateSet(
    part="fresh2",
    seed_offset=3_000,
    residents={
        "en": [
            "Hey, it's {NAME} here. Could you tell me if {ONAME} ({OTEL}) takes walk-ins? My number: {PHONE}",
            "this is for my husband, his name is {NAME_LC} and he was born {BIRTH}. we live near {ONAME}.",
            "Contact person: {NAME} ({MAIL})\nVenue: {ONAME}, {OADDR}",
        ],
        "pt": [
            "Olá, sou a {NAME}, mãe do aluno. Celular {PHONE}. A escola é {ONAME} ({OADDR}).",
            "Nome completo: {NAME}\nEndereço: {ADDR}\nLocal de atendimento: {ONAME} ({OTEL})",
        ],
        "es": [
            "Me llamo {NAME} y mi correo es {MAIL}. Necesito ayuda en {ONAME}, tel. {OTEL}.",
            "Nombre del padre: {NAME}\nDomicilio: {ADDR}\nEscuela: {ONAME}",
        ],
        "fil": [
            "Magandang hapon! Ako po si {NAME_LC}, nakatira sa {ADDR}. Salamat po, {ONAME} ({OTEL}).",
        ],
        "vi": [
            "Em là {NAME}, em đang ở {ADDR}. Cho em hỏi {ONAME} ({OTEL}) ở đâu ạ?",
            "Họ tên người liên hệ: {NAME}\nĐiện thoại: {PHONE}\nĐịa điểm: {ONAME} ({OADDR})",
        ],
        "zh": [
            "您好！我是{NAME}，住在{ADDR}。{ONAME}（{OTEL}）明天开门吗？",
            "家长姓名：{NAME}\n联系电话：{PHONE}\n学校：{ONAME}",
        ],
        "ko": [
            "안녕하세요, {NAME}입니다. 주소는 {ADDR}이고 전화번호는 {PHONE}입니다. {ONAME}({OTEL})에 가려고 합니다.",
            "성명: {NAME}\n이메일: {MAIL}\n장소: {ONAME} ({OADDR})",
        ],
    },
    memos=[
        "【引継ぎ】{ONAME}（{OTEL}）の件、{NAME}さん（{COUNTRY}）に折り返し。番号は{PHONE}。",
        "窓口受付票\n氏名：{NAME}\n生年月日：{BIRTH_JA}\n住所：{ADDR}\n案内先：{ONAME}",
    ],
    japanese=[
        "宛先：{JADDR} {JSURNAME}様方 {JNAME}様（{ONAME}より）",
        "担当：{STAFF_MAIL}（{ONAME}、{OTEL}）",
        "れんらくさき：{PHONE_HIRA}（{ONAME}）",
        "{ONAME}（{OADDR}）に来た {JNAME}さん（{PHONE}）の相談内容を要約して。",
        "集計：{JSURNAME}、{PROC}、{TIME}（{ONAME}）",
    ],
    wrappers=[
        "{BODY}",
        "以下のメールに日本語で返信したい。要点をまとめて。\n{BODY}",
        "やさしい日本語に直して：{BODY}",
    ],
    public={
        "zh": [
            "图书馆通知\n{ONAME}本周六下午闭馆。地址：{OADDR}，电话：{OTEL}。",
        ],
        "zh_hant": [
            "預防接種通知\n請到{ONAME}（{OADDR}）接種，電話預約：{OTEL}。",
        ],
        "easy_ja": [
            "がっこうの せつめいかい\nらいしゅうの どようびに {ONAME}で します。ばしょ：{OADDR}\nといあわせ：{OTEL}",
        ],
        "en": [
            "Tax counter hours have changed. Visit {ONAME} ({OADDR}) or call {OTEL}.",
        ],
        "pt": [
            "Mudança de horário: o {ONAME} ({OADDR}) abrirá às 9h. Tel.: {OTEL}",
        ],
        "vi": [
            "Thay đổi giờ làm việc: {ONAME} ({OADDR}) mở cửa lúc 9 giờ. Điện thoại: {OTEL}",
        ],
        "ko": [
            "운영 시간 변경\n{ONAME}({OADDR})은 9시에 엽니다. 전화: {OTEL}",
        ],
        "ja_faq": [
            "Q　{Q}\nA　{A}\n（{DEPT}　{CITY_TEL}　内線{EXT}　{GENERIC_MAIL}）",
        ],
        "ja_minutes": [
            "○{COUNCILLOR}議員　{TOPIC}について市長に伺います。\n○市長（{OFFICIAL}君）　お答えします。",
        ],
        "ja_listing": [
            "■{ONAME}\n　{OADDR}\n　TEL {OTEL}",
        ],
    },
    evasions=False,
)


__all__ = [
    "FRESH",
    "FRESH2",
    "PART",
    "TemplateSet",
    "generate_fresh_public",
    "generate_fresh_residents",
    "evaluate_fresh_public",
    "render_fresh_public",
]
