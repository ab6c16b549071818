"""Synthetic personal values and their written forms.

A ``Persona`` holds one synthetic person's canonical values (all identifiers with
valid check digits where the identifier has one). ``Forms`` writes them the way people
do — with or without separators, full width, 和暦, honorific-free spans — and returns
*segments*: ``(text, entity_type | None)``; only the typed segments are gold.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from bench.guard_eval.checkdigits import (
    corporate_number_check_digit,
    luhn_check_digit,
    modulus11_weights_2_to_7,
    my_number_check_digit,
)
from bench.guard_eval.sources import AddressSource, NameSource, PersonName, PostalArea, to_hiragana
from bench.guard_eval.textforms import (
    WEEKDAYS,
    fullwidth,
    kanji_number,
    kanji_positional,
    wareki,
)

Segment = tuple[str, str | None]

# -- reference lists (public facts or made-up words, never real people) ---------------

# 市外局番 (area code incl. the leading 0) of real fixed-line areas, by length.
AREA_CODES: tuple[str, ...] = (
    "03",
    "06",
    "011",
    "022",
    "025",
    "027",
    "029",
    "042",
    "043",
    "045",
    "046",
    "048",
    "052",
    "053",
    "054",
    "058",
    "072",
    "075",
    "076",
    "078",
    "082",
    "086",
    "087",
    "088",
    "089",
    "092",
    "093",
    "095",
    "096",
    "097",
    "098",
    "099",
    "0154",
    "0166",
    "0178",
    "0191",
    "0235",
    "0242",
    "0276",
    "0285",
    "0463",
    "0467",
    "0551",
    "0555",
    "0565",
    "0749",
    "0771",
    "0859",
    "0868",
    "0957",
    "0985",
    "01267",
    "01456",
    "04992",
    "05769",
)

# Payment-card issuer prefixes (IIN) and lengths.
CARD_BRANDS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("VISA", ("4",), 16),
    ("Mastercard", ("51", "52", "53", "54", "55", "2221", "2720"), 16),
    ("JCB", ("3528", "3530", "3540", "3566", "3580", "3589"), 16),
    ("American Express", ("34", "37"), 15),
    ("Diners Club", ("36",), 14),
)

BANKS: tuple[str, ...] = (
    "みずほ銀行",
    "三菱UFJ銀行",
    "三井住友銀行",
    "りそな銀行",
    "埼玉りそな銀行",
    "横浜銀行",
    "千葉銀行",
    "静岡銀行",
    "京都銀行",
    "福岡銀行",
    "北洋銀行",
    "常陽銀行",
    "七十七銀行",
    "広島銀行",
    "八十二銀行",
    "楽天銀行",
    "PayPay銀行",
    "住信SBIネット銀行",
    "ソニー銀行",
    "東和銀行",
)

# 都道府県公安委員会 codes (first two digits of a driving licence number).
LICENSE_REGIONS: tuple[str, ...] = (
    "10",
    "11",
    "12",
    "13",
    "14",
    "20",
    "21",
    "22",
    "23",
    "24",
    "25",
    "30",
    "40",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "47",
    "48",
    "49",
    "50",
    "51",
    "52",
    "53",
    "54",
    "55",
    "60",
    "61",
    "62",
    "63",
    "64",
    "65",
    "70",
    "71",
    "72",
    "73",
    "74",
    "80",
    "81",
    "82",
    "83",
    "90",
    "91",
    "92",
    "93",
    "94",
    "95",
    "96",
    "97",
)

PASSPORT_PREFIXES: tuple[str, ...] = (
    "TK",
    "TR",
    "TZ",
    "TS",
    "TH",
    "MZ",
    "ME",
    "MU",
    "MA",
    "MW",
    "RA",
    "RZ",
    "AZ",
    "FZ",
)

FREE_MAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com",
    "yahoo.co.jp",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "icloud.com",
    "outlook.jp",
    "hotmail.co.jp",
    "nifty.com",
    "example.jp",
    "example.co.jp",
    "example.com",
    "example.ne.jp",
)

BUILDING_STEMS: tuple[str, ...] = (
    "コーポ",
    "メゾン",
    "ハイツ",
    "グランド",
    "パーク",
    "サンライズ",
    "レジデンス",
    "シャトー",
    "ヴィラ",
    "エスポワール",
    "クレスト",
    "フォレスト",
    "リバーサイド",
    "ロイヤル",
    "アーバン",
    "プラザ",
    "ガーデン",
    "コート",
    "サニー",
    "ベル",
)
BUILDING_TAILS: tuple[str, ...] = (
    "ハイツ",
    "マンション",
    "コーポ",
    "荘",
    "レジデンス",
    "ビル",
    "テラス",
    "ヒルズ",
    "パレス",
    "タワー",
    "ハイム",
    "アパート",
    "",
)

CONFIDENTIAL_MARKERS: tuple[tuple[str, str, str], ...] = (
    # (marker, written before, written after): only the marker itself is gold.
    ("極秘", "【", "】"),
    ("秘", "【", "】"),
    ("㊙", "", ""),
    ("取扱注意", "【", "】"),
    ("取扱注意", "（", "）"),
    ("取扱注意", "", ""),
    ("部外秘", "【", "】"),
    ("部外秘", "", ""),
    ("庁内限り", "【", "】"),
    ("庁内限り", "", ""),
    ("非公開", "【", "】"),
    ("機密性２", "【", "】"),
    ("機密性2", "", ""),
    ("機密性３", "〔", "〕"),
    ("機密性3情報", "", ""),
    ("秘密文書", "【", "】"),
    ("関係者外秘", "【", "】"),
    ("外部提供禁止", "※", ""),
)

# Internal plan / project names: the deny-list written for the run is drawn from these.
DENYLIST_CANDIDATES: tuple[str, ...] = (
    "プロジェクト・アオバ",
    "コードネーム青嵐",
    "新庁舎整備B案",
    "みどり再編構想",
    "ひかり連携事業（仮称）",
    "北部統合案",
    "Project KAEDE",
    "STEP2030構想",
    "スマート窓口構想第2期",
    "さくら計画",
    "オペレーション・ツバメ",
    "臨海部再開発C案",
    "学校再編第三次案",
    "ミライ共創ラボ",
    "東地区統合プラン",
    "プロジェクトHORIZON",
    "はばたき基金（仮称）",
    "第二庁舎売却案",
    "ゆずりは計画",
    "コードネームHAYATE",
)


def weighted(rng: random.Random, options: Sequence[tuple[float, str]]) -> str:
    """Pick a key from (weight, key) pairs."""
    return rng.choices([k for _, k in options], weights=[w for w, _ in options])[0]


def digits(rng: random.Random, n: int) -> str:
    """``n`` random ASCII digits (leading zeros allowed)."""
    return str(rng.randrange(10**n)).zfill(n) if n > 0 else ""


def _not_repetitive(value: str) -> bool:
    return len(set(value)) > 2


def municipality_stem(city: str) -> str:
    """'中新川郡立山町' → '立山', '笠間市' → '笠間', '横浜市港北区' → '横浜'."""
    if "郡" in city and not city.endswith("郡"):
        city = city.split("郡", 1)[1]
    if city.endswith("区") and "市" in city[1:-1]:  # a ward of a designated city
        city = city[: city.index("市", 1) + 1]
    return city[:-1] if len(city) > 2 and city.endswith(("市", "町", "村", "区")) else city


# -- the persona ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Address:
    area: PostalArea
    chome: int  # 0 when the area has no 丁目
    ban: int
    go: int  # 0: not used
    building: str  # "" when a detached house
    room: str


@dataclass(frozen=True, slots=True)
class Persona:
    """One synthetic person's canonical values (ASCII digits, no separators)."""

    name: PersonName
    birth: dt.date
    address: Address
    landline: str
    mobile: str
    email: str
    my_number: str
    resident_code: str
    corporate_number: str
    account: str
    card: str
    card_brand: str
    passport: str
    license: str
    insurer: str
    insurance_symbol: str
    insurance_number: str
    pension: str
    residence_card: str
    yucho_symbol: str
    yucho_number: str


class PersonaFactory:
    def __init__(self, rng: random.Random, names: NameSource, addresses: AddressSource) -> None:
        self._rng = rng
        self._names = names
        self._addresses = addresses

    def persona(self, *, min_age: int = 18, max_age: int = 95) -> Persona:
        rng = self._rng
        name = self._names.person()
        today = dt.date(2026, 4, 1)
        age_days = rng.randint(min_age * 365, max_age * 365)
        birth = today - dt.timedelta(days=age_days)
        card, card_brand = self._card()
        return Persona(
            name=name,
            birth=birth,
            address=self._address(),
            landline=self._landline(),
            mobile=self._mobile(),
            email=self._email(name),
            my_number=self.my_number(),
            resident_code=self.resident_code(),
            corporate_number=self.corporate_number(),
            account=digits(rng, 7),
            card=card,
            card_brand=card_brand,
            passport=rng.choice(PASSPORT_PREFIXES) + digits(rng, 7),
            license=self.driver_license(birth),
            insurer=self.insurer_number(),
            insurance_symbol=str(rng.randint(1, 99999999)).zfill(rng.choice((4, 5, 8))),
            insurance_number=str(rng.randint(1, 9999)),
            pension=str(rng.randint(1000, 9999)) + digits(rng, 6),
            residence_card=(
                "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
                + digits(rng, 8)
                + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
            ),
            yucho_symbol="1" + digits(rng, 3) + "0",
            yucho_number=digits(rng, 7) + "1",
        )

    # -- identifiers with check digits ------------------------------------------------
    def my_number(self) -> str:
        while True:
            body = digits(self._rng, 11)
            if _not_repetitive(body):
                return body + my_number_check_digit(body)

    def resident_code(self) -> str:
        while True:
            body = digits(self._rng, 10)
            if _not_repetitive(body):
                return body + modulus11_weights_2_to_7(body)

    def corporate_number(self) -> str:
        while True:
            body = digits(self._rng, 12)
            if _not_repetitive(body):
                return corporate_number_check_digit(body) + body

    def driver_license(self, birth: dt.date) -> str:
        rng = self._rng
        first_year = min(2025, birth.year + rng.randint(18, 40))
        body = rng.choice(LICENSE_REGIONS) + f"{first_year % 100:02d}" + digits(rng, 6)
        return body + modulus11_weights_2_to_7(body) + str(rng.choice((0, 0, 0, 1, 2)))

    def insurer_number(self) -> str:
        """保険者番号: 8 digits (法別番号 + 都道府県 + 保険者別番号 + 検証番号) or the 6-digit
        国民健康保険 form (都道府県 + 保険者別番号 + 検証番号)."""
        rng = self._rng
        pref = f"{rng.randint(1, 47):02d}"
        if rng.random() < 0.3:
            body = pref + digits(rng, 3)
        else:
            body = rng.choice(("01", "06", "31", "32", "34", "39", "63")) + pref + digits(rng, 3)
        return body + luhn_check_digit(body)

    def _card(self) -> tuple[str, str]:
        rng = self._rng
        brand, prefixes, length = rng.choice(CARD_BRANDS)
        prefix = rng.choice(prefixes)
        body = prefix + digits(rng, length - len(prefix) - 1)
        return body + luhn_check_digit(body), brand

    # -- contact data -----------------------------------------------------------------
    def _landline(self) -> str:
        rng = self._rng
        area = rng.choice(AREA_CODES)
        # 0 + area code + exchange is always six digits, then four subscriber digits.
        exchange = str(rng.randint(2, 9)) + digits(rng, 6 - len(area) - 1)
        return area + exchange + digits(rng, 4)

    def _mobile(self) -> str:
        rng = self._rng
        prefix = weighted(rng, ((0.3, "090"), (0.3, "080"), (0.25, "070"), (0.15, "050")))
        return prefix + str(rng.randint(1, 9)) + digits(rng, 7)

    def _email(self, name: PersonName) -> str:
        rng = self._rng
        sei = name.sei_roman.lower()
        mei = name.mei_roman.lower()
        year = f"{rng.randint(1950, 2008)}"
        local = weighted(
            rng,
            (
                (1, f"{mei}.{sei}"),
                (1, f"{sei}.{mei}"),
                (1, f"{sei}_{mei[:1]}"),
                (1, f"{mei[:1]}-{sei}{year[2:]}"),
                (1, f"{sei}{mei}{rng.randint(1, 99)}"),
                (1, f"{mei}{year}"),
                (0.5, f"{sei}.{mei}.{rng.randint(1, 9)}"),
            ),
        )
        domain = rng.choice(FREE_MAIL_DOMAINS)
        return f"{local}@{domain}"

    def _address(self) -> Address:
        rng = self._rng
        area = self._addresses.area()
        chome = 0
        if area.has_chome:
            chome = min(int(rng.expovariate(0.45)) + 1, 9)
        ban = min(int(rng.expovariate(0.08)) + 1, 60) if chome else int(rng.expovariate(0.004)) + 1
        go = rng.randint(1, 30) if rng.random() < 0.75 else 0
        building, room = "", ""
        if rng.random() < 0.4:
            building = rng.choice(BUILDING_STEMS) + weighted(
                rng, ((2, area.town[:2]), (1, ""), (1, rng.choice(("さくら", "緑", "東", "桜台"))))
            )
            building += rng.choice(BUILDING_TAILS)
            if rng.random() < 0.3:
                building += rng.choice(("A", "B", "II", "第2", "east"))
            room = f"{rng.randint(1, 12)}{rng.randint(1, 12):02d}"
        return Address(area, chome, ban, go, building, room)


# -- written forms -------------------------------------------------------------------


class Forms:
    """Renders persona values in realistic written variants (as gold segments)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # small helpers
    def _width(self, text: str, p_full: float) -> str:
        return fullwidth(text) if self.rng.random() < p_full else text

    def _hyphen(self) -> str:
        return weighted(
            self.rng, ((0.62, "-"), (0.25, "－"), (0.05, "‐"), (0.04, "ー"), (0.04, "−"))
        )

    # names
    def full_name(self, name: PersonName) -> list[Segment]:
        sep = weighted(self.rng, ((0.4, ""), (0.3, " "), (0.3, "　")))
        return [(name.sei + sep + name.mei, "PERSON")]

    def surname(self, name: PersonName) -> list[Segment]:
        return [(name.sei, "PERSON")]

    def kana_name(self, name: PersonName) -> list[Segment]:
        sep = weighted(self.rng, ((0.25, ""), (0.45, " "), (0.3, "　")))
        text = name.sei_kana + sep + name.mei_kana
        if self.rng.random() < 0.15:
            text = to_hiragana(text)
        return [(text, "PERSON")]

    def roman_name(self, name: PersonName) -> list[Segment]:
        form = weighted(
            self.rng,
            (
                (1, f"{name.mei_roman} {name.sei_roman}"),
                (1, f"{name.sei_roman.upper()} {name.mei_roman}"),
            ),
        )
        return [(form, "PERSON")]

    # address and postal code
    def address(self, a: Address, *, with_prefecture: float = 0.6) -> list[Segment]:
        rng = self.rng
        full = rng.random() < 0.3
        h = self._hyphen() if not full else "－"
        digits_of = fullwidth if full else str
        if a.chome:
            form = weighted(
                rng,
                ((3, "banchi_go"), (3, "hyphen"), (2, "chome_hyphen"), (1, "kanji_chome")),
            )
            c, b, g = digits_of(str(a.chome)), digits_of(str(a.ban)), digits_of(str(a.go))
            if form == "banchi_go":
                block = f"{c}丁目{b}番" + (f"{g}号" if a.go else "")
            elif form == "chome_hyphen":
                block = f"{c}丁目{b}" + (f"{h}{g}" if a.go else "")
            elif form == "kanji_chome":
                block = f"{kanji_number(a.chome)}丁目{b}番" + (f"{g}号" if a.go else "地")
            else:
                block = f"{c}{h}{b}" + (f"{h}{g}" if a.go else "")
        else:
            b, g = digits_of(str(a.ban)), digits_of(str(a.go))
            form = weighted(rng, ((3, "banchi"), (2, "hyphen"), (1, "ban_go")))
            if form == "banchi":
                block = f"{b}番地" + (g if a.go else "")
            elif form == "ban_go" and a.go:
                block = f"{b}番{g}号"
            else:
                block = b + (f"{h}{g}" if a.go else "")
        text = a.area.city + a.area.town + block
        if rng.random() < with_prefecture:
            text = a.area.prefecture + text
        if a.building:
            sep = weighted(rng, ((0.5, " "), (0.3, "　"), (0.2, "")))
            room = digits_of(a.room)
            room_form = weighted(rng, ((2, f"{room}号室"), (1, f"{room}号"), (1, room)))
            building = a.building if not full else fullwidth(a.building)
            text += sep + building + (" " if rng.random() < 0.3 else "") + room_form
        return [(text, "ADDRESS")]

    def postal_code(self, code: str) -> list[Segment]:
        form = weighted(
            self.rng,
            (
                (0.55, f"{code[:3]}-{code[3:]}"),
                (0.15, code),
                (0.2, fullwidth(f"{code[:3]}-{code[3:]}")),
                (0.05, f"{code[:3]}ー{code[3:]}"),
                (0.05, f"{code[:3]} {code[3:]}"),
            ),
        )
        return [(form, "POSTAL_CODE")]

    # phones and e-mail
    def landline(self, number: str) -> list[Segment]:
        area = next(
            (a for a in sorted(AREA_CODES, key=len, reverse=True) if number.startswith(a)), "03"
        )
        exchange, line = number[len(area) : 6], number[6:]
        return [(self._phone_form(area, exchange, line), "PHONE_NUMBER")]

    def mobile(self, number: str) -> list[Segment]:
        if self.rng.random() < 0.06:
            return [(f"+81-{number[1:3]}-{number[3:7]}-{number[7:]}", "PHONE_NUMBER")]
        return [(self._phone_form(number[:3], number[3:7], number[7:]), "PHONE_NUMBER")]

    def _phone_form(self, a: str, b: str, c: str) -> str:
        form = weighted(
            self.rng,
            (
                (0.5, f"{a}-{b}-{c}"),
                (0.1, f"{a}({b}){c}"),
                (0.05, f"({a}){b}-{c}"),
                (0.13, f"{a}{b}{c}"),
                (0.12, fullwidth(f"{a}-{b}-{c}")),
                (0.05, f"{a} {b} {c}"),
                (0.05, f"{a}－{b}－{c}"),
            ),
        )
        return form

    def email(self, address: str) -> list[Segment]:
        return [(address, "EMAIL_ADDRESS")]

    # birth dates
    def birth_date(self, day: dt.date) -> list[Segment]:
        rng = self.rng
        era, initial, year = wareki(day)
        era_year = "元" if year == 1 and rng.random() < 0.7 else str(year)
        m, d = day.month, day.day
        form = weighted(
            rng,
            (
                (4, f"{era}{era_year}年{m}月{d}日"),
                (1, f"{era}{year:02d}年{m:02d}月{d:02d}日"),
                (2, f"{initial}{year}.{m}.{d}"),
                (1, f"{initial}{year:02d}.{m:02d}.{d:02d}"),
                (1, f"{initial}{year}/{m}/{d}"),
                (3, f"{day.year}年{m}月{d}日"),
                (1, f"{day.year}/{m:02d}/{d:02d}"),
                (1, f"{day.year}-{m:02d}-{d:02d}"),
                (1, f"{day.year}.{m}.{d}"),
                (
                    1,
                    f"{era}{kanji_number(year) if year > 1 else '元'}年{kanji_number(m)}月{kanji_number(d)}日",
                ),
                (1, fullwidth(f"{era}{year}年{m}月{d}日")),
                (1, fullwidth(f"{day.year}年{m}月{d}日")),
            ),
        )
        return [(form, "BIRTH_DATE")]

    # national identifiers
    def my_number(self, n: str) -> list[Segment]:
        form = weighted(
            self.rng,
            (
                (0.35, n),
                (0.25, f"{n[:4]} {n[4:8]} {n[8:]}"),
                (0.2, f"{n[:4]}-{n[4:8]}-{n[8:]}"),
                (0.1, fullwidth(n)),
                (0.1, fullwidth(f"{n[:4]} {n[4:8]} {n[8:]}")),
            ),
        )
        return [(form, "MY_NUMBER")]

    def resident_code(self, n: str) -> list[Segment]:
        form = weighted(
            self.rng,
            (
                (0.65, n),
                (0.2, fullwidth(n)),
                (0.1, f"{n[:4]} {n[4:8]} {n[8:]}"),
                (0.05, f"{n[:5]}-{n[5:]}"),
            ),
        )
        return [(form, "RESIDENT_CODE")]

    def corporate_number(self, n: str) -> list[Segment]:
        if self.rng.random() < 0.2:  # 適格請求書発行事業者の登録番号: "T" + 法人番号
            prefix = "T" if self.rng.random() < 0.8 else "Ｔ"
            return [(prefix, None), (n, "CORPORATE_NUMBER")]
        form = weighted(
            self.rng,
            (
                (0.7, n),
                (0.15, fullwidth(n)),
                (0.1, f"{n[0]}-{n[1:5]}-{n[5:9]}-{n[9:]}"),
                (0.05, f"{n[:1]} {n[1:5]} {n[5:9]} {n[9:]}"),
            ),
        )
        return [(form, "CORPORATE_NUMBER")]

    def pension(self, n: str) -> list[Segment]:
        form = weighted(
            self.rng,
            (
                (0.5, f"{n[:4]}-{n[4:]}"),
                (0.3, n),
                (0.15, fullwidth(f"{n[:4]}-{n[4:]}")),
                (0.05, f"{n[:4]} {n[4:]}"),
            ),
        )
        return [(form, "PENSION_NUMBER")]

    def driver_license(self, n: str) -> list[Segment]:
        form = weighted(
            self.rng,
            (
                (0.6, n),
                (0.15, f"{n[:4]} {n[4:8]} {n[8:]}"),
                (0.2, fullwidth(n)),
                (0.05, f"{n[:2]}-{n[2:4]}-{n[4:10]}-{n[10:]}"),
            ),
        )
        return [(form, "DRIVER_LICENSE")]

    def passport(self, n: str) -> list[Segment]:
        form = weighted(self.rng, ((0.8, n), (0.1, fullwidth(n)), (0.1, f"{n[:2]} {n[2:]}")))
        return [(form, "PASSPORT_NUMBER")]

    def residence_card(self, n: str) -> list[Segment]:
        form = weighted(
            self.rng, ((0.8, n), (0.1, fullwidth(n)), (0.1, f"{n[:2]} {n[2:10]} {n[10:]}"))
        )
        return [(form, "RESIDENCE_CARD")]

    def health_insurance(self, p: Persona) -> list[Segment]:
        """記号・番号 (both gold), optionally with the 保険者番号 (gold too)."""
        rng = self.rng
        sym = self._width(p.insurance_symbol, 0.2)
        num = self._width(p.insurance_number, 0.2)
        form = weighted(rng, ((3, "labels"), (2, "dot"), (1, "insurer"), (1, "hihoken")))
        t = "HEALTH_INSURANCE"
        if form == "labels":
            sep = weighted(rng, ((1, " "), (1, "　"), (1, "、")))
            colon = weighted(rng, ((2, ""), (1, "：")))
            return [(f"記号{colon}", None), (sym, t), (f"{sep}番号{colon}", None), (num, t)]
        if form == "dot":
            return [("記号・番号 ", None), (sym, t), ("・", None), (num, t)]
        if form == "insurer":
            return [
                ("保険者番号", None),
                (self._width(p.insurer, 0.15), t),
                (" 記号", None),
                (sym, t),
                (" 番号", None),
                (num, t),
            ]
        hihoken = p.insurance_symbol.zfill(8)[-8:]
        return [("被保険者番号", None), (self._width(hihoken, 0.2), t)]

    def insurer_only(self, p: Persona) -> list[Segment]:
        return [(self._width(p.insurer, 0.15), "HEALTH_INSURANCE")]

    def card(self, n: str) -> list[Segment]:
        if len(n) == 16:
            groups = [n[0:4], n[4:8], n[8:12], n[12:16]]
        elif len(n) == 15:
            groups = [n[0:4], n[4:10], n[10:15]]
        else:
            groups = [n[0:4], n[4:10], n[10:14]]
        form = weighted(
            self.rng,
            (
                (0.35, " ".join(groups)),
                (0.3, "-".join(groups)),
                (0.2, n),
                (0.1, fullwidth(" ".join(groups))),
                (0.05, fullwidth(n)),
            ),
        )
        return [(form, "CREDIT_CARD")]

    def account(self, p: Persona) -> list[Segment]:
        return [(self._width(p.account, 0.2), "BANK_ACCOUNT")]

    def bank(self, p: Persona) -> list[Segment]:
        """A bank transfer destination; only the account identifiers are gold.

        Branches are named after the persona's town or city, as real branches are."""
        rng = self.rng
        town = p.address.area.town
        city = municipality_stem(p.address.area.city)
        t = "BANK_ACCOUNT"
        acct = self._width(p.account, 0.2)
        kind = weighted(rng, ((5, "bank"), (1, "shinkin"), (2, "yucho")))
        if kind == "yucho":
            form = weighted(rng, ((2, "labels"), (2, "hyphen"), (1, "transfer")))
            if form == "labels":
                return [
                    ("ゆうちょ銀行 記号", None),
                    (p.yucho_symbol, t),
                    (" 番号", None),
                    (p.yucho_number, t),
                ]
            if form == "hyphen":
                return [("ゆうちょ銀行 ", None), (f"{p.yucho_symbol}-{p.yucho_number}", t)]
            store = p.yucho_symbol[1:3] + "8"
            return [(f"ゆうちょ銀行 {kanji_positional(store)}店（{store}） 普通 ", None), (acct, t)]
        bank = rng.choice(BANKS) if kind == "bank" else f"{city}信用金庫"
        branch = weighted(
            rng,
            (
                (3, f"{town}支店"),
                (1, "本店営業部"),
                (1, "駅前支店"),
                (1, f"{city}支店"),
            ),
        )
        kind_word = weighted(rng, ((4, "普通"), (2, "普通預金"), (1, "当座"), (1, "（普）")))
        form = weighted(rng, ((3, "plain"), (2, "label"), (1, "store_code")))
        if form == "plain":
            return [(f"{bank} {branch} {kind_word} ", None), (acct, t)]
        if form == "label":
            return [(f"{bank}{branch} {kind_word} 口座番号", None), (acct, t)]
        code = digits(rng, 3)
        return [(f"{bank} 店番{code} {kind_word} ", None), (acct, t)]

    # confidential data
    def marker(self) -> list[Segment]:
        marker, before, after = self.rng.choice(CONFIDENTIAL_MARKERS)
        segments: list[Segment] = []
        if before:
            segments.append((before, None))
        segments.append((marker, "CONFIDENTIAL_MARKER"))
        if after:
            segments.append((after, None))
        return segments


# -- distractors: numbers and names that are NOT personal data ------------------------

DEPARTMENTS: tuple[str, ...] = (
    "市民課",
    "戸籍住民課",
    "保険年金課",
    "国民健康保険課",
    "介護保険課",
    "高齢福祉課",
    "障害福祉課",
    "子育て支援課",
    "保育課",
    "税務課",
    "市民税課",
    "資産税課",
    "納税課",
    "生活福祉課",
    "環境政策課",
    "ごみ減量推進課",
    "道路管理課",
    "都市計画課",
    "建築指導課",
    "下水道課",
    "企画政策課",
    "総務課",
    "人事課",
    "財政課",
    "情報政策課",
    "DX推進課",
    "危機管理課",
    "防災課",
    "教育総務課",
    "学校教育課",
    "生涯学習課",
    "文化振興課",
    "スポーツ振興課",
    "商工観光課",
    "農政課",
    "広報広聴課",
    "市民相談室",
    "会計課",
    "選挙管理委員会事務局",
    "議会事務局",
    "健康づくり課",
    "地域福祉課",
    "住宅課",
    "公園緑地課",
    "消費生活センター",
    "契約検査課",
    "秘書課",
    "行政改革推進室",
)

LAWS: tuple[str, ...] = (
    "住民基本台帳法",
    "行政手続法",
    "個人情報の保護に関する法律",
    "地方自治法",
    "生活保護法",
    "児童福祉法",
    "介護保険法",
    "国民健康保険法",
    "戸籍法",
    "地方税法",
    "廃棄物の処理及び清掃に関する法律",
    "行政機関の保有する情報の公開に関する法律",
    "公文書等の管理に関する法律",
    "災害対策基本法",
    "道路法",
    "建築基準法",
    "子ども・子育て支援法",
    "障害者総合支援法",
    "番号法",
    "情報公開条例",
)

FACILITIES: tuple[str, ...] = (
    "本庁舎1階",
    "本庁舎2階",
    "第2会議室",
    "大会議室",
    "中央図書館",
    "市民会館",
    "北部支所",
    "南部出張所",
    "保健センター",
    "子育て支援センター",
    "清掃工場",
    "リサイクルセンター",
    "総合体育館",
    "市民活動センター",
    "消防本部",
    "中央公民館",
)


class Distractors:
    """Non-personal fillers: dates, times, amounts, document numbers, place names."""

    def __init__(self, rng: random.Random, addresses: AddressSource) -> None:
        self.rng = rng
        self._addresses = addresses

    def date(self) -> str:
        rng = self.rng
        day = dt.date(2024, 4, 1) + dt.timedelta(days=rng.randint(0, 900))
        era, initial, year = wareki(day)
        wd = WEEKDAYS[day.weekday()]
        m, d = day.month, day.day
        return weighted(
            rng,
            (
                (3, f"{era}{year}年{m}月{d}日"),
                (2, f"{m}月{d}日（{wd}）"),
                (1, f"{m}月{d}日"),
                (2, f"{day.year}年{m}月{d}日"),
                (1, f"{day.year}/{m}/{d}"),
                (1, f"{initial}{year}.{m}.{d}"),
                (1, f"{m}/{d}（{wd}）"),
                (1, f"{era}{year}年{m}月{d}日（{wd}）"),
            ),
        )

    def time(self) -> str:
        h = self.rng.randint(8, 18)
        m = self.rng.choice((0, 0, 10, 15, 20, 30, 40, 45, 50))
        return weighted(
            self.rng,
            (
                (2, f"{h}時{m:02d}分" if m else f"{h}時"),
                (2, f"{h}:{m:02d}"),
                (1, f"午前{h}時" if h < 12 else f"午後{h - 12}時"),
                (1, f"{h}時頃"),
            ),
        )

    def amount(self) -> str:
        rng = self.rng
        return weighted(
            rng,
            (
                (2, f"{rng.choice((200, 300, 350, 450, 500, 1000, 1500, 3000))}円"),
                (2, f"{rng.randint(1, 999):,}{rng.randint(0, 999):03d}円"),
                (1, f"{rng.randint(1, 99)}万円"),
                (1, f"{rng.randint(1, 9999):,}千円"),
                (1, f"月額{rng.randint(5, 60) * 1000:,}円"),
            ),
        )

    def count(self) -> str:
        return f"{self.rng.randint(2, 40)}{self.rng.choice(('件', '名', '人', '世帯', '通', '枚'))}"

    def receipt_no(self) -> str:
        rng = self.rng
        return weighted(
            rng,
            (
                (1, f"R{rng.randint(6, 8)}-{rng.randint(1, 99999):05d}"),
                (1, f"{rng.randint(2024, 2026)}-{rng.randint(1, 999999):06d}"),
                (1, f"第{rng.randint(1, 9999)}号"),
                (1, f"No.{rng.randint(100, 99999)}"),
            ),
        )

    def doc_no(self, city: str) -> str:
        """文書番号 as municipalities write them: 総務第123号, 笠福第45号 …"""
        rng = self.rng
        dept = rng.choice(("総務", "市民", "福祉", "環境", "教育", "税務", "企画", "子育"))
        head = weighted(
            rng, ((1, dept), (1, city[:1] + dept[:1]), (1, municipality_stem(city) + dept[:1]))
        )
        return f"{head}第{rng.randint(1, 3999)}号"

    def department(self) -> str:
        return self.rng.choice(DEPARTMENTS)

    def law(self) -> str:
        law = self.rng.choice(LAWS)
        if self.rng.random() < 0.4:
            law += f"第{self.rng.randint(1, 60)}条"
            if self.rng.random() < 0.3:
                law += f"第{self.rng.randint(2, 4)}項"
        return law

    def facility(self) -> str:
        return self.rng.choice(FACILITIES)

    def place(self) -> PostalArea:
        """A real place, used as a plain place name (never with a house number)."""
        return self._addresses.area()
