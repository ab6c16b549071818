"""Residents' data in the languages staff translate from, and public multilingual text.

    items = generate_residents(seed=7)            # ≥ 600 labelled items, dev + held-out
    public = generate_public_multilingual(seed=7)  # city notices in 8 languages, no gold
    report = evaluate_residents(items, public, preds, actions)

Every resident item is a realistic request (translation, summary, consultation memo, form,
e-mail) holding one resident's name — in Latin script (English, Portuguese, Spanish,
Filipino, Vietnamese with and without diacritics, romanised Chinese/Korean/Japanese),
Hangul or Han characters — framed by a self-introduction, salutation, label, honorific,
signature or Japanese role label, often with their birth date, address, phone or e-mail,
and always with a public office's name, address and phone number (焼津市's facility
list, ``data/yaizu_offices.csv``, credit 焼津市) in the same text. The evasion group
obfuscates one value each (groupings, numerals, encodings, zero-width, markers …); the
table group pastes lists of residents by surname. Names come from ``faker``'s locales and
``japanese-personal-name-dataset`` — bench data only, never loaded by the guard.

The held-out part uses other templates (the odd-numbered ones of every list) and another
seed; the recognisers were tuned on the dev part only.
"""

from __future__ import annotations

import base64
import csv
import random
import unicodedata
import urllib.parse
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faker import Faker
from faker.providers.person.vi_VN import Provider as VietnameseNames

from bench.guard_eval.generator import sub_seed
from bench.guard_eval.metrics import Pred, overlaps
from bench.guard_eval.model import Sample, Span

DATA = Path(__file__).resolve().parent / "data" / "yaizu_offices.csv"

LANGUAGES = (
    "en", "pt", "es", "fil", "vi", "vi_ascii", "zh", "ko", "zh_roman", "ko_roman", "ja_roman",
)  # fmt: skip
NEW_TYPES = ("PERSON", "ADDRESS", "BIRTH_DATE", "PHONE_NUMBER", "EMAIL_ADDRESS")
# Parts of the residents' set: tuned on, held out, and the fresh held-out part written for
# the combined guard (fresh_heldout.py).
PARTS = ("dev", "heldout", "fresh", "fresh2")

# Romanised names of the towns in the office list (for notices in other languages).
_TOWNS_ROMAN = {
    "すみれ台": "Sumiredai", "一色": "Isshiki", "三ケ名": "Sangamyo", "上泉": "Kamiizumi",
    "下江留": "Shimoedome", "中新田": "Nakashinden", "中根新田": "Nakaneshinden",
    "中港": "Nakaminato", "中里": "Nakazato", "五ケ堀之内": "Gokahorinouchi",
    "保福島": "Hofukujima", "北新田": "Kitashinden", "吉永": "Yoshinaga", "坂本": "Sakamoto",
    "塩津": "Shiotsu", "大村": "Omura", "宗高": "Munetaka", "小土": "Kohiji", "小川": "Ogawa",
    "小川新町": "Ogawa-shinmachi", "本町": "Hon-machi", "東小川": "Higashi-Ogawa",
    "柳新屋": "Yanagiaraya", "焼津": "Yaizu", "田尻": "Tajiri", "田尻北": "Tajirikita",
    "石津": "Ishizu", "石津港町": "Ishizu-minatomachi", "石脇上": "Ishiwakikami",
    "西小川": "Nishi-Ogawa",
}  # fmt: skip
# Residents' towns (synthetic addresses: real-sounding town names, random block numbers).
_RESIDENT_TOWNS = (
    "Chuo-cho", "Sakae-cho", "Honmachi", "Asahi-machi", "Midori-cho", "Kotobuki-cho",
    "Minato-machi", "Higashi-machi", "Nishi-cho", "Kita-machi", "Shin-machi", "Sakura-cho",
)  # fmt: skip
_RESIDENT_TOWNS_HANGUL = ("주오초", "사카에초", "혼마치", "아사히마치", "미도리초", "고토부키초")
_RESIDENT_TOWNS_KANJI = ("中央町", "栄町", "本町", "旭町", "緑町", "寿町", "港町", "東町")
_CITIES = ("Yaizu-shi", "Sakura City", "Fujieda-shi", "Shimada-shi", "Shizuoka-shi Aoi-ku")
_CITIES_HANGUL = ("야이즈시", "사쿠라시", "후지에다시", "시마다시")
_CITIES_KANJI = ("焼津市", "藤枝市", "島田市", "静岡市葵区")


@dataclass(frozen=True, slots=True)
class Office:
    name: str
    address: str
    phone: str
    kind_en: str
    town_roman: str
    block: str


def load_offices(path: Path = DATA) -> list[Office]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    offices: list[Office] = []
    for row in rows:
        rest = row["address"].removeprefix("静岡県焼津市")
        town = next(
            (t for t in sorted(_TOWNS_ROMAN, key=len, reverse=True) if rest.startswith(t)), ""
        )
        block = rest[len(town) :]
        kind = next((en for jp, en in _KINDS if jp in row["name"]), "Day Service Center")
        offices.append(
            Office(
                row["name"],
                row["address"],
                row["phone"],
                kind,
                _TOWNS_ROMAN.get(town, "Yaizu"),
                block,
            )
        )
    return offices


_KINDS = (
    ("防災センター", "Community Disaster Prevention Center"), ("幼稚園", "Kindergarten"),
    ("保育園", "Nursery School"), ("こども園", "Certified Childcare Center"),
    ("小学校", "Elementary School"), ("中学校", "Junior High School"),
    ("支援センター", "Child-rearing Support Center"),
)  # fmt: skip


# -- people -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resident:
    name: str
    surname: str
    mail: str
    mobile: str
    birth: tuple[int, int, int]
    address: str  # in the script of the language
    country_ja: str


_COUNTRIES = {
    "en": "米国", "pt": "ブラジル", "es": "ペルー", "fil": "フィリピン", "vi": "ベトナム",
    "vi_ascii": "ベトナム", "zh": "中国", "ko": "韓国", "zh_roman": "中国", "ko_roman": "韓国",
    "ja_roman": "日本",
}  # fmt: skip

# Revised Romanization of Korean (for romanised Korean names): initial, medial, final jamo.
_RR_INITIAL = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_RR_MEDIAL = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_RR_FINAL = ["", *"k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()]
_RR_SURNAMES = {"김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang",
                "조": "Cho", "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh",
                "신": "Shin", "서": "Seo", "권": "Kwon", "황": "Hwang", "송": "Song", "홍": "Hong"}  # fmt: skip


def romanize_hangul(text: str) -> str:
    out: list[str] = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            out.append(ch)
            continue
        initial, medial, final = code // 588, (code % 588) // 28, code % 28
        out.append(_RR_INITIAL[initial].replace("-", "") + _RR_MEDIAL[medial] + _RR_FINAL[final])
    return "".join(out)


def _strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class People:
    """Synthetic residents per language, from faker's locales."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self.fakers: dict[str, Faker] = {}
        for locale in ("en_US", "pt_BR", "es_MX", "vi_VN", "zh_CN", "zh_TW", "ko_KR", "ja_JP"):
            faker = Faker(locale)
            faker.seed_instance(sub_seed(seed, locale) % (2**31))
            self.fakers[locale] = faker

    def name(self, lang: str) -> tuple[str, str]:
        """(full name, the part a later sentence repeats)."""
        f, rng = self.fakers, self.rng
        if lang == "en":
            first, last = f["en_US"].first_name(), f["en_US"].last_name()
            return f"{first} {last}", first
        if lang == "pt":
            first, last = f["pt_BR"].first_name(), f["pt_BR"].last_name()
            middle = rng.choice(["", f" {f['pt_BR'].last_name()}", " da Silva", " dos Santos"])
            return f"{first}{middle} {last}", first
        if lang == "es":
            first = f["es_MX"].first_name()
            return f"{first} {f['es_MX'].last_name()} {f['es_MX'].last_name()}", first
        if lang == "fil":
            first = rng.choice([f["es_MX"].first_name(), f["en_US"].first_name()])
            last = rng.choice([f["es_MX"].last_name(), "dela Cruz", "Bautista", "Villanueva"])
            return f"{first} {last}", first
        if lang in ("vi", "vi_ascii"):
            v = f["vi_VN"]
            # faker vi_VN's first_name() also draws English names: the Vietnamese lists.
            first = rng.choice(
                VietnameseNames.first_names_male + VietnameseNames.first_names_female
            )
            name = f"{v.last_name()} {rng.choice(['Văn', 'Thị', v.middle_name()])} {first}"
            return (
                (_strip_diacritics(name), _strip_diacritics(first))
                if lang == "vi_ascii"
                else (name, first)
            )
        if lang == "zh":
            z = f[rng.choice(["zh_CN", "zh_TW"])]
            last, first = z.last_name(), z.first_name()
            return f"{last}{first}", f"{last}{first}"
        if lang == "ko":
            k = f["ko_KR"]
            return f"{k.last_name()}{k.first_name()}", ""
        if lang == "zh_roman":
            z = f["zh_CN"]
            return (
                f"{z.first_romanized_name().capitalize()} {z.last_romanized_name().capitalize()}",
                "",
            )
        if lang == "ko_roman":
            k = f["ko_KR"]
            last, first = k.last_name(), k.first_name()
            given = romanize_hangul(first[0]).capitalize() + "-" + romanize_hangul(first[1:])
            surname = _RR_SURNAMES.get(last, romanize_hangul(last).capitalize())
            return f"{surname} {given}", ""
        j = f["ja_JP"]
        return f"{j.first_romanized_name()} {j.last_romanized_name()}", ""

    def resident(self, lang: str) -> tuple[Resident, str]:
        rng = self.rng
        name, short = self.name(lang)
        ascii_name = _strip_diacritics(romanize_hangul(name)).lower()
        local = "".join(c for c in ascii_name if c.isascii() and (c.isalnum() or c == " ")).split()
        local = local or [
            rng.choice(["zhang", "wang", "li", "chen", "liu"]) + str(rng.randint(1, 9))
        ]
        mail = f"{'.'.join(local[:2])}{rng.randint(1, 99)}@{rng.choice(['gmail.com', 'yahoo.co.jp', 'outlook.com', 'icloud.com'])}"
        mobile = f"{rng.choice(['070', '080', '090'])}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        birth = (rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28))
        block = f"{rng.randint(1, 6)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
        if lang == "ko":
            address = f"{rng.choice(_CITIES_HANGUL)} {rng.choice(_RESIDENT_TOWNS_HANGUL)} {block}"
        elif lang == "zh":
            address = f"静岡県{rng.choice(_CITIES_KANJI)}{rng.choice(_RESIDENT_TOWNS_KANJI)}{block}"
        elif rng.random() < 0.5:
            address = f"{block} {rng.choice(_RESIDENT_TOWNS)}, {rng.choice(_CITIES)}"
        else:
            address = f"{rng.choice(_RESIDENT_TOWNS)} {block}"
        return Resident(name, short, mail, mobile, birth, address, _COUNTRIES[lang]), short


_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "fil": "Enero Pebrero Marso Abril Mayo Hunyo Hulyo Agosto Setyembre Oktubre Nobyembre Disyembre",
}


def birth_text(lang: str, birth: tuple[int, int, int], rng: random.Random) -> str:
    y, m, d = birth
    family = "en" if lang.endswith("roman") else lang.replace("_ascii", "")
    if family == "zh":
        return f"{y}年{m}月{d}日"
    if family == "ko":
        return f"{y}년 {m}월 {d}일"
    if family == "vi":
        return (
            rng.choice([f"{d:02d}/{m:02d}/{y}", f"{d} tháng {m} năm {y}"])
            if lang == "vi"
            else f"{d:02d}/{m:02d}/{y}"
        )
    month = _MONTHS[family].split()[m - 1]
    forms = {
        "en": [f"{month} {d}, {y}", f"{d} {month} {y}", f"{m:02d}/{d:02d}/{y}"],
        "pt": [f"{d} de {month} de {y}", f"{d:02d}/{m:02d}/{y}"],
        "es": [f"{d} de {month} de {y}", f"{d:02d}/{m:02d}/{y}"],
        "fil": [f"{month} {d}, {y}", f"{d:02d}/{m:02d}/{y}"],
    }
    return rng.choice(forms[family])


# -- templates ------------------------------------------------------------------------------
# Placeholders: {NAME} {SHORT} {BIRTH} {ADDR} {PHONE} {MAIL} (gold) and {ONAME} {OADDR}
# {OTEL} (the public office: never gold). Even-numbered templates are dev, odd held-out.

_LATIN_FAMILY = {"en": "en", "pt": "pt", "es": "es", "fil": "fil", "vi": "vi", "vi_ascii": "vi",
                 "zh_roman": "en", "ko_roman": "en", "ja_roman": "en"}  # fmt: skip

TEMPLATES: dict[str, list[str]] = {
    "en": [
        "Hello, my name is {NAME}. I moved to Yaizu last month and live at {ADDR}. I went to {ONAME} ({OADDR}, Tel {OTEL}) but it was closed.",
        "Dear Mr. {NAME},\nThank you for visiting {ONAME}. Please call {OTEL} if you have questions.\nYaizu City Hall",
        "Name: {NAME}\nDate of birth: {BIRTH}\nPhone: {PHONE}\nNearest shelter: {ONAME}, {OADDR}",
        "I am {NAME}, born on {BIRTH}. My child goes to {ONAME} ({OTEL}). You can reach me at {MAIL}.",
        "Dear Ms. {NAME}, your appointment at {ONAME} is on Monday. Address: {OADDR}. Tel: {OTEL}.",
        "Hi, this is {NAME}. My phone number is {PHONE}. Is {ONAME} ({OADDR}) open on Saturday?",
        "Applicant: {NAME}\nAddress: {ADDR}\nE-mail: {MAIL}\nFacility: {ONAME} / {OTEL}",
        "Thank you for your help at {ONAME} ({OTEL}).\nBest regards,\n{NAME}",
    ],
    "pt": [
        "Olá, meu nome é {NAME}. Moro em {ADDR}. Fui ao {ONAME} ({OADDR}, tel. {OTEL}).",
        "Prezado Sr. {NAME}, o {ONAME} fica em {OADDR}. Telefone: {OTEL}.",
        "Nome: {NAME}\nData de nascimento: {BIRTH}\nTelefone: {PHONE}\nLocal: {ONAME} ({OTEL})",
        "Me chamo {NAME}, nascido em {BIRTH}. Meu e-mail é {MAIL}. A creche {ONAME} fica em {OADDR}.",
        "Eu sou {NAME} e meu celular é {PHONE}. Gostaria de saber o horário do {ONAME} ({OTEL}).",
        "Obrigado pela ajuda no {ONAME} ({OADDR}).\nAtenciosamente,\n{NAME}",
    ],
    "es": [
        "Hola, me llamo {NAME}. Vivo en {ADDR}. El {ONAME} ({OADDR}, tel. {OTEL}) estaba cerrado.",
        "Estimado Sr. {NAME}: su cita en {ONAME} es el lunes. Teléfono: {OTEL}.",
        "Nombre: {NAME}\nFecha de nacimiento: {BIRTH}\nTeléfono: {PHONE}\nRefugio: {ONAME}, {OADDR}",
        "Mi nombre es {NAME}, nacido el {BIRTH}. Mi correo es {MAIL}. Mi hijo va al {ONAME} ({OTEL}).",
        "Soy {NAME}, mi celular es {PHONE}. ¿Está abierto el {ONAME} ({OADDR}) el sábado?",
        "Gracias por su ayuda en {ONAME} ({OTEL}).\nSaludos cordiales,\n{NAME}",
    ],
    "fil": [
        "Magandang araw po. Ako si {NAME}. Nakatira ako sa {ADDR}. Pumunta ako sa {ONAME} ({OADDR}, tel. {OTEL}).",
        "Pangalan: {NAME}\nPetsa ng kapanganakan: {BIRTH}\nTelepono: {PHONE}\nLugar: {ONAME} ({OTEL})",
        "Ang pangalan ko ay {NAME}, ipinanganak noong {BIRTH}. Ang email ko ay {MAIL}. Malapit ako sa {ONAME}.",
        "Mahal na G. {NAME}, ang {ONAME} ay nasa {OADDR}. Tumawag sa {OTEL}.",
        "Ako po si {NAME}. Ang cellphone ko ay {PHONE}. Bukas ba ang {ONAME} ({OTEL}) sa Sabado?",
        "Salamat po sa tulong sa {ONAME} ({OADDR}).\nLubos na gumagalang,\n{NAME}",
    ],
    "vi": [
        "Xin chào, tôi tên là {NAME}, sinh ngày {BIRTH}, sống tại {ADDR}. Tôi đã đến {ONAME} ({OADDR}, điện thoại {OTEL}).",
        "Họ và tên: {NAME}\nNgày sinh: {BIRTH}\nĐiện thoại: {PHONE}\nNơi sơ tán: {ONAME} ({OTEL})",
        "Kính gửi anh {NAME}, {ONAME} ở {OADDR}. Vui lòng gọi {OTEL}.",
        "Tên tôi là {NAME}. Email của tôi là {MAIL}. Con tôi học ở {ONAME} ({OTEL}).",
        "Tôi là {NAME}, số điện thoại của tôi là {PHONE}. {ONAME} ({OADDR}) có mở cửa thứ Bảy không?",
        "Cảm ơn sự giúp đỡ của {ONAME} ({OTEL}).\nTrân trọng,\n{NAME}",
    ],
    "zh": [
        "你好，我叫{NAME}，住在{ADDR}。我去了{ONAME}（{OADDR}，电话{OTEL}）。",
        "姓名：{NAME}\n出生日期：{BIRTH}\n电话：{PHONE}\n避难所：{ONAME}（{OTEL}）",
        "{NAME}先生您好，{ONAME}位于{OADDR}，电话{OTEL}。",
        "我的名字是{NAME}，我的邮箱是{MAIL}。我的孩子在{ONAME}（{OTEL}）。",
        "相談者 {NAME}（中国）より、{ONAME}（{OADDR}）の開館時間について問い合わせ。携帯{PHONE}。",
        "申请人：{NAME}\n住址：{ADDR}\n附近设施：{ONAME} {OTEL}",
    ],
    "ko": [
        "안녕하세요. 제 이름은 {NAME}입니다. {ADDR}에 살고 있습니다. {ONAME}({OADDR}, 전화 {OTEL})에 다녀왔습니다.",
        "이름: {NAME}\n생년월일: {BIRTH}\n전화: {PHONE}\n대피소: {ONAME} ({OTEL})",
        "{NAME} 씨, {ONAME}은 {OADDR}에 있습니다. 전화 {OTEL}.",
        "저는 {NAME}입니다. 이메일은 {MAIL}입니다. 아이가 {ONAME}({OTEL})에 다닙니다.",
        "相談者 {NAME}（韓国）から、{ONAME}（{OADDR}）について相談あり。携帯{PHONE}。",
        "신청인: {NAME}\n주소: {ADDR}\n가까운 시설: {ONAME} {OTEL}",
    ],
}
# Japanese memos around a romanised or foreign name (every language).
JAPANESE_TEMPLATES = [
    "相談者 {NAME}（{COUNTRY}）\n{ONAME}（{OADDR}、電話{OTEL}）の利用について。携帯：{PHONE}",
    "{NAME}さんが来庁。{ONAME}（{OTEL}）への入園手続を案内した。メール：{MAIL}",
    "申請者：{NAME}\n生年月日：{BIRTH_JA}\n最寄りの避難所：{ONAME}（{OADDR}）",
    "本日、{NAME}様（{COUNTRY}籍）から電話。{ONAME}（{OTEL}）の場所を説明。住所は{ADDR}とのこと。",
]
WRAPPERS = [
    "次の文を日本語に翻訳してください。\n{BODY}",
    "以下の相談メモを要約して：\n{BODY}",
    "Translate into easy Japanese:\n{BODY}",
    "この返信文を丁寧に直してください。\n{BODY}",
    "{BODY}",
]


def _fill(
    template: str, values: Mapping[str, tuple[str, str | None]]
) -> tuple[str, list[Span], list[tuple[int, int]]]:
    """Fill ``template``; gold spans and public (office) spans."""
    parts: list[str] = []
    gold: list[Span] = []
    public: list[tuple[int, int]] = []
    pos = 0
    rest = template
    while "{" in rest:
        before, _, after = rest.partition("{")
        key, _, rest = after.partition("}")
        parts.append(before)
        pos += len(before)
        value, kind = values[key]
        if kind == "public":
            public.append((pos, pos + len(value)))
        elif kind is not None:
            gold.append(Span(kind, pos, pos + len(value), value))
        parts.append(value)
        pos += len(value)
    parts.append(rest)
    return "".join(parts), gold, public


def _wrap(
    wrapper: str, text: str, gold: list[Span], public: list[tuple[int, int]]
) -> tuple[str, list[Span], list[tuple[int, int]]]:
    prefix, suffix = wrapper.split("{BODY}")
    n = len(prefix)
    return (
        prefix + text + suffix,
        [Span(g.type, g.start + n, g.end + n, g.value) for g in gold],
        [(a + n, b + n) for a, b in public],
    )


def _values(
    lang: str, person: Resident, office: Office, rng: random.Random
) -> dict[str, tuple[str, str | None]]:
    latin = lang not in ("zh", "ko")
    oaddr = (
        f"{office.block} {office.town_roman}, Yaizu-shi"
        if latin and rng.random() < 0.6
        else office.address
    )
    y, m, d = person.birth
    return {
        "NAME": (person.name, "PERSON"),
        "BIRTH": (birth_text(lang, person.birth, rng), "BIRTH_DATE"),
        "BIRTH_JA": (rng.choice([f"{y}年{m}月{d}日", f"{y}/{m:02d}/{d:02d}"]), "BIRTH_DATE"),
        "ADDR": (person.address, "ADDRESS"),
        "PHONE": (person.mobile, "PHONE_NUMBER"),
        "MAIL": (person.mail, "EMAIL_ADDRESS"),
        "ONAME": (office.kind_en if latin and rng.random() < 0.5 else office.name, "public"),
        "OADDR": (oaddr, "public"),
        "OTEL": (office.phone, "public"),
        "COUNTRY": (person.country_ja, None),
    }


def _templates_for(lang: str) -> list[str]:
    if lang in TEMPLATES:
        return TEMPLATES[lang]
    return TEMPLATES[_LATIN_FAMILY[lang]]


def _pick(pool: Sequence[str], heldout: bool, rng: random.Random) -> str:
    part = [t for i, t in enumerate(pool) if i % 2 == int(heldout)] or list(pool)
    return rng.choice(part)


# -- evasions ---------------------------------------------------------------------------------

_KANJI = "〇一二三四五六七八九"
_KANA = "ゼロ イチ ニー サン ヨン ゴー ロク ナナ ハチ キュウ".split()


def _phone_evasions(number: str, rng: random.Random) -> dict[str, str]:
    d = number.replace("-", "")
    return {
        "phone_4_4_3": f"{d[:4]}-{d[4:8]}-{d[8:]}",
        "phone_6_5_newline": f"{d[:6]}\n{d[6:]}",
        "phone_nakaguro": f"{d[:3]}・{d[3:7]}・{d[7:]}",
        "phone_kanji": "・".join(
            "".join(_KANJI[int(c)] for c in g) for g in (d[:3], d[3:7], d[7:])
        ),
        "phone_kana": "の".join("".join(_KANA[int(c)] for c in g) for g in (d[:3], d[3:7], d[7:])),
        "phone_slash_underscore": f"{d[:3]}／{d[3:7]}_{d[7:]}",
        "phone_pipe_comma": f"{d[:3]}|{d[3:7]},{d[7:]}",
        "phone_mixed": "".join(rng.choice((c, chr(ord(c) + 0xFEE0), _KANJI[int(c)])) for c in d),
        "phone_html": "".join(f"&#{ord(c)};" for c in number),
        "phone_spaced_comma": "、".join(d),
    }


def _mail_evasions(mail: str) -> dict[str, str]:
    local, domain = mail.split("@")
    return {
        "mail_brackets": f"{local}[at]{domain}",
        "mail_words": f"{local} at {domain.replace('.', ' dot ')}",
        "mail_paren_dot": f"{local}(at){domain.replace('.', '(dot)')}",
        "mail_katakana": f"{local}アットマーク{domain}",
        "mail_percent": f"{local}%40{domain}",
        "mail_fullwidth": "".join(
            chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in mail
        ),
    }


def _name_evasions(name: str) -> dict[str, str]:
    return {
        "name_zero_width": "\u200b".join(name[i : i + 2] for i in range(0, len(name), 2)),
        "name_html": "".join(f"&#{ord(c)};" for c in name),
        "name_u_escape": "".join(f"\\u{ord(c):04x}" for c in name),
        "name_base64": base64.b64encode(name.encode()).decode(),
        "name_percent": urllib.parse.quote(name),
        "name_fullwidth": "".join(
            chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in name
        ),
    }


_NAME_EVASION_FRAMES = {
    "en": "Please translate. My name is {V}. I live near {ONAME} ({OTEL}).",
    "ja": "相談者：{V}\n{ONAME}（{OADDR}、{OTEL}）の利用について相談。",
}
_PHONE_FRAMES = (
    "電話番号は{V}です。{ONAME}（{OTEL}）の件で折り返し希望。",
    "My phone: {V}. Shelter: {ONAME}, Tel {OTEL}.",
    "携帯 {V}\n最寄り：{ONAME}（{OADDR}）",
)
_MAIL_FRAMES = (
    "連絡先メール：{V}（{ONAME}の件）",
    "Please e-mail me at {V}. I go to {ONAME} ({OTEL}).",
)
# (marking, the rest of the text): the gold span is the marking.
_MARKERS = (
    ("CONFIDENTIAL", "\n{ONAME}（{OTEL}）利用者名簿の件"),
    ("INTERNAL USE ONLY", ": shelter staff list for {ONAME}"),
    ("【ぶがいひ】", "{ONAME}の職員配置"),
    ("【部　外　秘】", "{ONAME}（{OADDR}）の備蓄計画"),
    ("取 扱 注 意", "\n{ONAME}の点検結果"),
    ("ごくひ", "\n{ONAME}（{OTEL}）の件"),
    ("Classification: Confidential", "\nRe: {ONAME}"),
    ("【部・外・秘】", "会議メモ（{ONAME}）"),
    ("Confidential", " – do not forward. Notes on {ONAME}."),
    ("マル秘", " {ONAME}の入札予定価格"),
)


# -- generators ------------------------------------------------------------------------------


def generate_residents(
    seed: int, per_language: int = 48, *, heldout_share: float = 0.3
) -> list[Sample]:
    """Resident items in every language (dev and held-out), evasions and surname tables."""
    offices = load_offices()
    samples: list[Sample] = []
    for part, part_seed in (("dev", seed), ("heldout", seed + 1_000)):
        rng = random.Random(sub_seed(part_seed, "residents"))
        people = People(rng, part_seed)
        heldout = part == "heldout"
        count = round(per_language * (heldout_share if heldout else 1 - heldout_share))
        for lang in LANGUAGES:
            pool = _templates_for(lang)
            for i in range(count):
                person, _ = people.resident(lang)
                office = rng.choice(offices)
                use_japanese = rng.random() < 0.3
                template = _pick(JAPANESE_TEMPLATES if use_japanese else pool, heldout, rng)
                text, gold, public = _fill(template, _values(lang, person, office, rng))
                text, gold, public = _wrap(_pick(WRAPPERS, heldout, rng), text, gold, public)
                samples.append(
                    _sample(
                        f"res-{part}-{lang}-{i:03d}",
                        text,
                        gold,
                        public,
                        lang,
                        part,
                        "japanese_memo" if use_japanese else "native",
                    )
                )
        samples += _evasions(rng, people, offices, part, heldout)
        samples += _tables(rng, people, offices, part, 8 if heldout else 16)
    return samples


def _sample(
    sid: str,
    text: str,
    gold: list[Span],
    public: list[tuple[int, int]],
    lang: str,
    part: str,
    form: str,
    **meta: Any,
) -> Sample:
    return Sample(id=sid, kind="residents", category=lang, text=text, spans=tuple(gold),
                  meta={"part": part, "form": form, "public": public, **meta})  # fmt: skip


def _evasion(
    key: str, transform: str, text: str, gold: list[Span], public: list[tuple[int, int]], part: str
) -> Sample:
    return _sample(
        f"res-{part}-ev-{key}", text, gold, public, "evasion", part, "evasion", transform=transform
    )


def _evasions(
    rng: random.Random, people: People, offices: Sequence[Office], part: str, heldout: bool
) -> list[Sample]:
    out: list[Sample] = []
    rounds = 2 if heldout else 4
    for r in range(rounds):
        person, _ = people.resident(rng.choice(LANGUAGES))
        office = rng.choice(offices)
        base = _values("en", person, office, rng)
        groups: list[tuple[str, dict[str, str], Sequence[str], str]] = [
            ("PHONE_NUMBER", _phone_evasions(person.mobile, rng), _PHONE_FRAMES, "phone"),
            ("EMAIL_ADDRESS", _mail_evasions(person.mail), _MAIL_FRAMES, "mail"),
            (
                "PERSON",
                _name_evasions(person.name),
                [_NAME_EVASION_FRAMES["en" if person.name.isascii() else "ja"]],
                "name",
            ),
        ]
        for entity, variants, frames, _ in groups:
            for transform, value in variants.items():
                values = dict(base) | {"V": (value, entity)}
                text, gold, public = _fill(rng.choice(list(frames)), values)
                out.append(_evasion(f"{transform}-{r}", transform, text, gold, public, part))
        for k, (marker, rest) in enumerate(_MARKERS):
            text, _, public = _fill(marker + rest, base)
            gold = [Span("CONFIDENTIAL_MARKER", 0, len(marker), marker)]
            out.append(_evasion(f"marker{k}-{r}", f"marker{k}", text, gold, public, part))
    return out


_JA_SURNAMES = "田中 高橋 佐藤 鈴木 渡辺 伊藤 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 清水 森 池田 橋本 阿部 石川 前田 藤田 小川 岡田 後藤".split()
_PROCEDURES = "転入届 転出届 住民票の写し 印鑑登録 戸籍謄本 マイナンバーカード交付 国民健康保険加入 児童手当申請 転居届 在留カード住所変更".split()


def _tables(
    rng: random.Random, people: People, offices: Sequence[Office], part: str, count: int
) -> list[Sample]:
    out: list[Sample] = []
    layouts = [(",", ""), ("\t", ""), (" | ", "| "), ("、", ""), ("　", "")]
    for k in range(count):
        sep, edge = layouts[k % len(layouts)]
        office = rng.choice(offices)
        head = f"本日の{office.name}（{office.phone}）の受付記録を集計してください。\n"
        lines: list[str] = []
        gold: list[Span] = []
        pos = len(head)
        header = rng.random() < 0.4
        if header:
            row = edge + sep.join(["氏名", "手続", "所要時間"]) + (edge[::-1] if edge else "")
            lines.append(row)
            pos += len(row) + 1
            if edge:
                lines.append("|---|---|---|")
                pos += len(lines[-1]) + 1
        for _ in range(rng.randint(3, 6)):
            surname = rng.choice(_JA_SURNAMES) if rng.random() < 0.8 else people.name("en")[0]
            cells = [
                surname,
                rng.choice(_PROCEDURES),
                rng.choice(
                    [f"{rng.randint(3, 40)}分", f"{rng.randint(9, 16)}:{rng.randint(0, 59):02d}"]
                ),
            ]
            row = edge + sep.join(cells) + (edge[::-1] if edge else "")
            start = pos + len(edge)
            gold.append(Span("PERSON", start, start + len(surname), surname))
            lines.append(row)
            pos += len(row) + 1
        text = head + "\n".join(lines)
        public = [
            (head.index(office.name), head.index(office.name) + len(office.name)),
            (head.index(office.phone), head.index(office.phone) + len(office.phone)),
        ]
        out.append(_sample(f"res-{part}-table-{k:02d}", text, gold, public, "table", part, "table"))
    return out


# -- public multilingual text -------------------------------------------------------------------

PUBLIC_TEMPLATES: dict[str, list[str]] = {
    "en": [
        "Garbage Sorting Guide\nBurnable garbage is collected on Monday and Thursday. Put it out by 8:30 a.m. For questions, contact the Waste Reduction Division, Yaizu City Hall ({OTEL}).",
        "Disaster Prevention Information\nIn case of a tsunami warning, evacuate to {ONAME} ({OADDR}). Tel: {OTEL}. Check the Yaizu City website for details.",
        "Notice from Yaizu City\nThe Citizens Division will be open on Saturday, March 8, from 9:00 to 12:00 for moving-in procedures. Inquiries: {OTEL}.",
        "Welcome to Yaizu! {ONAME} is located at {OADDR}. Japan Post and the Shizuoka Bank are nearby. Mt. Fuji can be seen on clear days.",
        "Free Japanese Class for Foreign Residents\nEvery Sunday at {ONAME} ({OADDR}). Contact: International Exchange Section, {OTEL}.",
    ],
    "pt": [
        "Guia de separação de lixo\nO lixo queimável é recolhido às segundas e quintas-feiras. Dúvidas: Prefeitura de Yaizu, tel. {OTEL}.",
        "Informações de prevenção de desastres\nEm caso de alerta de tsunami, dirija-se ao {ONAME} ({OADDR}). Telefone: {OTEL}.",
        "Aviso da Prefeitura\nO balcão de registro abrirá no sábado, 8 de março, das 9h às 12h. Informações: {OTEL}.",
    ],
    "es": [
        "Guía para separar la basura\nLa basura combustible se recoge los lunes y jueves. Consultas: Ayuntamiento de Yaizu, tel. {OTEL}.",
        "Información sobre prevención de desastres\nEn caso de alerta de tsunami, evacúe al {ONAME} ({OADDR}). Teléfono: {OTEL}.",
        "Aviso municipal\nLa Sección de Ciudadanos abrirá el sábado 8 de marzo de 9:00 a 12:00. Consultas: {OTEL}.",
    ],
    "fil": [
        "Gabay sa paghihiwalay ng basura\nAng nasusunog na basura ay kinokolekta tuwing Lunes at Huwebes. Para sa tanong: Yaizu City Hall, {OTEL}.",
        "Impormasyon sa pag-iwas sa sakuna\nKung may babala ng tsunami, lumikas sa {ONAME} ({OADDR}). Telepono: {OTEL}.",
    ],
    "vi": [
        "Hướng Dẫn Phân Loại Rác\nRác cháy được thu gom vào thứ Hai và thứ Năm. Liên hệ: Tòa thị chính Yaizu, điện thoại {OTEL}.",
        "Thông Tin Phòng Chống Thiên Tai\nKhi có cảnh báo sóng thần, hãy sơ tán đến {ONAME} ({OADDR}). Điện thoại: {OTEL}.",
        "Thông báo của thành phố Yaizu\nQuầy đăng ký cư trú mở cửa vào thứ Bảy ngày 8 tháng 3 từ 9 giờ đến 12 giờ. Hỏi đáp: {OTEL}.",
    ],
    "zh": [
        "垃圾分类指南\n可燃垃圾每周一和周四收集。咨询：焼津市役所 {OTEL}。",
        "防灾信息\n发布海啸警报时，请到{ONAME}（{OADDR}）避难。电话：{OTEL}。",
        "焼津市通知\n市民课将于3月8日（星期六）9:00至12:00办理迁入手续。咨询电话：{OTEL}。",
    ],
    "ko": [
        "쓰레기 분리 안내\n타는 쓰레기는 월요일과 목요일에 수거합니다. 문의: 야이즈 시청 {OTEL}.",
        "방재 정보\n쓰나미 경보가 발령되면 {ONAME}({OADDR})으로 대피하십시오. 전화: {OTEL}.",
        "야이즈시 안내\n시민과는 3월 8일(토) 9시부터 12시까지 전입 수속을 받습니다. 문의: {OTEL}.",
    ],
    "easy_ja": [
        "ごみの だしかた\nもえる ごみは げつようびと もくようびに だします。あさ 8じ30ぷんまでに だしてください。わからない ときは {ONAME}（{OTEL}）に でんわ してください。",
        "じしんや つなみの とき\nつなみの けいほうが でたら {ONAME}（{OADDR}）に にげてください。でんわ：{OTEL}",
        "がいこくじんの ための にほんごきょうしつ\nまいしゅう にちようびに {ONAME}で します。とうろくは いりません。といあわせ：{OTEL}",
    ],
}


def generate_public_multilingual(seed: int, per_template: int = 6) -> list[Sample]:
    """Public notices in every language with public office data: nothing should block."""
    rng = random.Random(sub_seed(seed, "public-multilingual"))
    offices = load_offices()
    out: list[Sample] = []
    for lang, pool in PUBLIC_TEMPLATES.items():
        for t, template in enumerate(pool):
            for k in range(per_template):
                office = rng.choice(offices)
                values = _values(
                    "en" if lang not in ("zh", "ko", "easy_ja") else "zh", _NOBODY, office, rng
                )
                text, _, public = _fill(template, values)
                if rng.random() < 0.5:
                    text, _, public = _wrap(
                        "次のお知らせを日本語に翻訳してください。\n{BODY}", text, [], public
                    )
                out.append(
                    _sample(f"pubml-{lang}-{t}-{k}", text, [], public, lang, "public", "public")
                )
    return out


_NOBODY = Resident("", "", "", "", (2000, 1, 1), "", "")


# -- scoring ------------------------------------------------------------------------------------


def evaluate_residents(
    residents: Sequence[Sample],
    public: Sequence[Sample],
    preds: Mapping[str, Sequence[Pred]],
    blocked: Callable[[str], bool],
) -> dict[str, Any]:
    """Recall per language and type, evasions, precision (office data counted apart)."""
    report: dict[str, Any] = {
        "parts": [p for p in PARTS if any(s.meta["part"] == p for s in residents)]
    }
    for part in report["parts"]:
        items = [s for s in residents if s.meta["part"] == part]
        recall: dict[str, dict[str, list[int]]] = {}
        misses: list[dict[str, Any]] = []
        fp_new: list[dict[str, Any]] = []
        n_pred = correct = on_public = 0
        for s in items:
            found = preds.get(s.id, ())
            for g in s.spans:
                hit = any(
                    p.type == g.type and overlaps(p.start, p.end, g.start, g.end) for p in found
                )
                group = s.category if s.meta["form"] != "evasion" else "evasion"
                cell = recall.setdefault(group, {}).setdefault(g.type, [0, 0])
                cell[0] += 1
                cell[1] += hit
                if not hit and len(misses) < 40:
                    misses.append(
                        {"id": s.id, "type": g.type, "value": g.value, "text": s.text[:200]}
                    )
            for p in found:
                n_pred += 1
                if any(
                    p.type == g.type and overlaps(p.start, p.end, g.start, g.end) for g in s.spans
                ):
                    correct += 1
                elif any(overlaps(p.start, p.end, a, b) for a, b in s.meta["public"]):
                    on_public += 1
                elif len(fp_new) < 40:
                    fp_new.append({"id": s.id, "type": p.type, "text": s.text[p.start : p.end]})
        report[part] = {
            "items": len(items),
            "gold": sum(len(s.spans) for s in items),
            "recall": {
                k: {t: {"n": n, "found": f, "recall": f / n} for t, (n, f) in v.items()}
                for k, v in recall.items()
            },
            "blocked": sum(blocked(s.id) for s in items),
            "predictions": n_pred,
            "correct": correct,
            "on_public_office_data": on_public,
            "other_false_positives": n_pred - correct - on_public,
            "precision": correct / n_pred if n_pred else None,
            "precision_without_office_data": correct / (n_pred - on_public)
            if n_pred - on_public
            else None,
            "misses": misses,
            "false_positives": fp_new,
        }
    by_lang: dict[str, dict[str, int]] = {}
    types: Counter[str] = Counter()
    new_type_fp: list[dict[str, Any]] = []
    for s in public:
        found = preds.get(s.id, ())
        cell = by_lang.setdefault(
            s.category, {"n": 0, "blocked": 0, "blocked_beyond_office_data": 0}
        )
        cell["n"] += 1
        cell["blocked"] += blocked(s.id)
        beyond = [
            p for p in found if not any(overlaps(p.start, p.end, a, b) for a, b in s.meta["public"])
        ]
        cell["blocked_beyond_office_data"] += bool(beyond)
        types.update(p.type for p in found)
        new_type_fp += [
            {"id": s.id, "type": p.type, "text": s.text[p.start : p.end]} for p in beyond
        ][:3]
    report["public"] = {
        "by_language": by_lang,
        "finding_types": dict(types),
        "beyond_office_data": new_type_fp[:40],
    }
    return report


def render_residents(report: Mapping[str, Any], w: Callable[[str], object]) -> None:
    """The Markdown section of ``bench/guard.py``'s report."""
    w("\n## Residents' data in every language (bench/guard_eval/residents.py)\n")
    for part in report["parts"]:
        r = report[part]
        w(
            f"\n### {part}: {r['items']} items, {r['gold']} gold spans, blocked {r['blocked']}/{r['items']}\n\n"
            f"Precision of the findings on residents' data "
            f"{_f(r['precision_without_office_data'])} (false positives: "
            f"{r['other_false_positives']}); besides, {r['on_public_office_data']} findings on the "
            f"public office data in the same texts (reported; they block only when the ownership "
            f"step judges them personal); precision counting those {_f(r['precision'])}.\n\n"
        )
        types = sorted({t for v in r["recall"].values() for t in v})
        w("| group | " + " | ".join(types) + " |\n|---|" + "---:|" * len(types) + "\n")
        for group, cells in sorted(r["recall"].items()):
            row = [
                f"{cells[t]['recall']:.3f} ({cells[t]['found']}/{cells[t]['n']})"
                if t in cells
                else "—"
                for t in types
            ]
            w(f"| {group} | " + " | ".join(row) + " |\n")
        for miss in r["misses"][:8]:
            w(f"- miss `{miss['id']}` {miss['type']} 「{miss['value']}」\n")
        for fp in r["false_positives"][:8]:
            w(f"- false positive `{fp['id']}` {fp['type']} 「{fp['text']}」\n")
    pub = report["public"]
    w(
        "\n### Public multilingual notices (office data inside)\n\n| language | texts | blocked | blocked by findings beyond the office data |\n|---|---:|---:|---:|\n"
    )
    for lang, c in pub["by_language"].items():
        w(f"| {lang} | {c['n']} | {c['blocked']} | {c['blocked_beyond_office_data']} |\n")
    w(f"\nFinding types on public notices: {pub['finding_types']}\n")
    for fp in pub["beyond_office_data"][:8]:
        w(f"- beyond office data `{fp['id']}` {fp['type']} 「{fp['text']}」\n")


def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"
