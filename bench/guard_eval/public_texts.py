"""The public municipal text set: texts a city publishes or staff write about public
matters, none of which holds a private person's data — the guard should block none.

    texts = generate_public_texts(seed=7, n=1600)   # Samples, kind "public"

Families (``Sample.category``): 施設案内 and 避難所 (焼津市's facility lists and other
municipalities' offices), イベント, お知らせ, FAQ, 会議録 (councillors and the mayor in
their public role, staff by title), マニュアル, and 法令 (passages of ``samples/laws``,
plus the articles a 市民課 cites most). Staff wrappers (要約して, 英訳して …) go around
a share of them. ``meta["split"]`` is ``tune`` or ``held_out``: held-out texts come from
templates set aside when the set was written (``public_templates``), so that figures on
them say how the guard does on writing it was not tuned on.

All names are synthetic (faker), used only as councillors and mayors in their role.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from faker import Faker

from bench.guard_eval import public_templates as tpl
from bench.guard_eval.generator import LAWS_DIR, law_passages, sub_seed
from bench.guard_eval.model import Sample
from bench.guard_eval.public_sources import (
    DIVISIONS,
    Facility,
    Office,
    address_form,
    division,
    other_offices,
    phone_form,
    postal_form,
    yaizu_facilities,
)
from bench.guard_eval.values import fullwidth

TUNE = "tune"
HELD_OUT = "held_out"

# Share of each family in the set (the rest are law passages).
_FAMILIES: tuple[tuple[str, list[tuple[str, bool]], float], ...] = (
    ("施設案内", tpl.FACILITY_GUIDE, 0.20),
    ("避難所", tpl.SHELTERS, 0.05),
    ("イベント", tpl.EVENTS, 0.15),
    ("お知らせ", tpl.NOTICES, 0.13),
    ("FAQ", tpl.FAQ, 0.15),
    ("会議録", tpl.MINUTES, 0.09),
    ("マニュアル", tpl.MANUAL, 0.08),
)
_LAW_SHARE = 1.0 - sum(share for _, _, share in _FAMILIES)
# Articles a 市民課 cites most, quoted whole (the guard used to withhold two of them).
_KEY_ARTICLES = (
    ("juuki_hou.txt", "第十二条の三"),
    ("juuki_hou.txt", "第十二条"),
    ("koseki_hou.txt", "第十条の二"),
    ("koseki_hou.txt", "第十条"),
    ("chihou_jichi_hou.txt", "第九十六条"),
    ("chihou_jichi_hou.txt", "第二百四十四条"),
)
_PLACEHOLDER = re.compile(r"\{([A-Z0-9_]+)\}")
# FAC, FAC_ADDR, FAC2_TEL, SHELTER_ZIP_PLAIN …: a facility and one of its fields.
_PLACE_KEY = re.compile(r"(FAC[23]?|SHELTER2?)(?:_([A-Z_]+))?")
_CLOSED = ("月曜日", "毎週月曜日（祝日の場合は翌平日）", "年末年始", "第3日曜日", "水曜日")
_HOURS = ("9:00～21:30", "午前9時～午後5時", "８時３０分～１７時１５分", "9時から19時まで")
_TIMES = ("午前10時～正午", "午後1時30分～3時30分", "10:00～11:30", "１４時～１６時")


class _Slots:
    """Values for one text: a facility, a division of its city, dates, public figures."""

    def __init__(self, rng: random.Random, faker: Faker, facilities: Sequence[Facility]) -> None:
        self.rng = rng
        self.faker = faker
        self.facilities = facilities
        self.shelters = [f for f in facilities if f.kind == "避難所"] or list(facilities)
        self.cache: dict[str, str] = {}
        self.picked: dict[str, Facility] = {}
        self.fac = rng.choice(facilities)
        self.office: Office = self.fac.office
        names = [self.fac.dept] if self.fac.dept in DIVISIONS else []
        self.dept = division(self.office, rng.choice(names or sorted(DIVISIONS)))

    def fill(self, template: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self.value(m.group(1)), template)

    def value(self, key: str) -> str:
        if key not in self.cache:
            self.cache[key] = self._make(key)
        return self.cache[key]

    def _facility(self, key: str) -> Facility:
        """FAC → the text's facility; FAC2, SHELTER … → another of the same city, the
        same one for all of its fields."""
        if key == "FAC":
            return self.fac
        if key not in self.picked:
            pool = self.shelters if key.startswith("SHELTER") else self.facilities
            same_city = [f for f in pool if f.office == self.office] or list(pool)
            self.picked[key] = self.rng.choice(same_city)
        return self.picked[key]

    def _make(self, key: str) -> str:
        rng = self.rng
        place = _PLACE_KEY.fullmatch(key)
        if place is not None:
            return self._facility_field(place.group(1), place.group(2) or "")
        if key.startswith("HALL_"):
            return self._office_field(key.removeprefix("HALL_"))
        simple: dict[str, Callable[[], str]] = {
            "CITY": lambda: self.office.city,
            "CITY_HALL": lambda: self.office.name,
            "DEPT": lambda: self.dept.name,
            "DEPT_TEL": lambda: phone_form(rng, self.dept.phone),
            "DEPT_FAX": lambda: phone_form(rng, self.dept.fax),
            "DEPT_MAIL": lambda: self.dept.mail,
            "EXT": lambda: str(rng.randint(1000, 3999)),
            "N": lambda: str(rng.randint(2, 30)),
            "FEE": lambda: str(rng.choice((200, 300, 350, 450))),
            "DATE": lambda: (
                f"令和{rng.randint(6, 8)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日（{rng.choice('月火水木金土日')}）"
            ),
            "DEADLINE": lambda: f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            "TIME": lambda: rng.choice(_TIMES),
            "HOURS": lambda: rng.choice(_HOURS),
            "CLOSED": lambda: rng.choice(_CLOSED),
            "TOPIC": lambda: rng.choice(tpl.TOPICS),
            "NOTICE": lambda: rng.choice(tpl.NOTICES_BODY),
            "Q": lambda: self._qa()[0],
            "A": lambda: self._qa()[1],
            "FORM": lambda: rng.choice(tpl.FORMS),
            "LAW_REF": lambda: rng.choice(tpl.LAW_REFS),
            "MINUTE_TOPIC": lambda: rng.choice(tpl.MINUTE_TOPICS),
            "STAFF_TITLE": lambda: rng.choice(tpl.STAFF_TITLES),
            "STAFF_TITLE2": lambda: rng.choice(tpl.STAFF_TITLES),
            "COUNCILLOR": self._name,
            "COUNCILLOR2": self._name,
            "COUNCILLOR3": self._name,
            "SPEAKER3": self._name,
            "MAYOR": self._name,
            "SPEAKER": self._name,
            "SPEAKER2": self._name,
        }
        return simple[key]()

    def _qa(self) -> tuple[str, str]:
        if "_qa" not in self.cache:
            q, a = self.rng.choice(tpl.FAQ_QA)
            self.cache["_qa"] = q + "\n" + a
        q, a = self.cache["_qa"].split("\n", 1)
        return q, a

    def _name(self) -> str:
        name = f"{self.faker.last_name()}{self.faker.first_name()}"
        return name if self.rng.random() < 0.7 else f"{name[:2]}　{name[2:]}"

    def _facility_field(self, head: str, field: str) -> str:
        f = self._facility(head)
        rng = self.rng
        prefix = rng.choice([f.office.prefecture + f.office.city, f.office.city, f.office.city])
        if field == "":
            return f.name
        if field == "ADDR":
            return address_form(rng, f.town, f.lot, prefix=prefix)
        if field == "TEL":
            return phone_form(rng, f.phone) if f.phone else phone_form(rng, self.dept.phone)
        if field == "FAX":
            return phone_form(rng, f.fax) if f.fax else phone_form(rng, self.dept.fax)
        if field == "ZIP":
            return postal_form(rng, f.postal or f.office.postal)
        if field == "ZIP_PLAIN":
            code = f.postal or f.office.postal
            return (
                f"{code[:3]}-{code[3:]}"
                if rng.random() < 0.6
                else fullwidth(f"{code[:3]}-{code[3:]}")
            )
        if field == "HOURS":
            return f.hours or f"開館時間：{rng.choice(_HOURS)}"
        if field == "KIND":
            return re.sub(r"[（(].*$", "", f.kind) or "施設"
        raise KeyError(field)

    def _office_field(self, field: str) -> str:
        office, rng = self.office, self.rng
        if field == "ADDR":
            prefix = rng.choice([office.prefecture + office.city, office.city])
            return address_form(rng, office.town, office.lot, prefix=prefix)
        if field == "TEL":
            return phone_form(rng, office.phone)
        if field == "ZIP":
            return postal_form(rng, office.postal)
        if field == "ZIP_PLAIN":
            return f"{office.postal[:3]}-{office.postal[3:]}"
        raise KeyError(field)


def generate_public_texts(seed: int, n: int, laws_dir: Path = LAWS_DIR) -> list[Sample]:
    """``n`` public texts (at least one per family), seeded."""
    rng = random.Random(sub_seed(seed, "public"))
    faker = Faker("ja_JP")
    faker.seed_instance(sub_seed(seed, "public-names"))
    facilities = yaizu_facilities()
    facilities += other_offices(random.Random(sub_seed(seed, "offices")), 60)
    samples: list[Sample] = []
    for family, templates, share in _FAMILIES:
        for i in range(max(1, round(n * share))):
            t_index = rng.randrange(len(templates))
            template, held = templates[t_index]
            slots = _Slots(rng, faker, facilities)
            body = slots.fill(template)
            w_index = rng.randrange(len(tpl.WRAPPERS)) if rng.random() < 0.3 else 0
            wrapper, wrapper_held = tpl.WRAPPERS[w_index]
            text = wrapper.replace("{BODY}", body)
            samples.append(
                Sample(
                    id=f"public-{family}-{i:04d}",
                    kind="public",
                    category=family,
                    text=text,
                    meta={
                        "template": f"{family}#{t_index}",
                        "wrapper": w_index,
                        "split": HELD_OUT if held or wrapper_held else TUNE,
                        "source": slots.fac.source,
                    },
                )
            )
    samples += _laws(seed, max(1, n - len(samples)), laws_dir)
    return samples


def _laws(seed: int, count: int, laws_dir: Path) -> list[Sample]:
    """Law passages (one in three held out, by position) and the key articles."""
    articles = [_article(laws_dir / name, heading) for name, heading in _KEY_ARTICLES]
    passages = law_passages(
        random.Random(sub_seed(seed, "public-laws")), count - len(articles), laws_dir
    )
    rows = [
        (f"{i:04d}", p.text, {**p.meta, "split": HELD_OUT if i % 3 == 2 else TUNE})
        for i, p in enumerate(passages)
    ]
    rows += [
        (f"article-{j}", text, {"source": f"samples/laws/{name}", "split": TUNE})
        for j, (name, text) in enumerate(articles)
    ]
    out = [
        Sample(id=f"public-法令-{key}", kind="public", category="法令", text=text, meta=meta)
        for key, text, meta in rows
    ]
    return out


def _article(path: Path, heading: str) -> tuple[str, str]:
    """The article that starts with ``heading`` on a line of its own, up to the next."""
    text = path.read_text(encoding="utf-8")
    start = re.search(rf"^{re.escape(heading)}\s*$", text, re.M)
    if start is None:
        raise ValueError(f"{heading} not found in {path.name}")
    following = re.search(
        r"^第[一二三四五六七八九十百千]+条(?:の[一二三四五六七八九十]+)?\s*$",
        text[start.end() :],
        re.M,
    )
    end = start.end() + following.start() if following else len(text)
    return path.name, text[start.start() : end].strip()
