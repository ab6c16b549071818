"""The benchmark's prompts: templates filled with synthetic residents, with gold spans.

    prompts = generate_prompts(seed=18, n=600)

Families and their shares: drafting letters (25 %), summarizing case notes (20 %),
proofreading (5 %), translating Japanese letters for foreign residents (17 %),
translating residents' own texts into Japanese (30 %, by language), and prompts holding
an identifier that must block in every task (3 %).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from bench.guard_eval.public_sources import YAIZU, Facility, division, yaizu_facilities
from bench.placeholder_eval.people import Resident, ResidentFactory
from bench.placeholder_eval.templates import (
    DRAFT_JA,
    LANGUAGE_NAMES,
    NEVER,
    PROOFREAD_JA,
    SUMMARIZE_JA,
    TRANSLATE_FROM_JA,
    TRANSLATE_TO_JA,
)

_SLOT = re.compile(r"\{([A-Z0-9_]+)\}")
_FOREIGN = ("en", "pt", "es", "vi", "vi-noacc", "ko", "zh", "fil")
_FAMILIES: tuple[tuple[str, str, float], ...] = (
    ("draft", "draft", 0.25),
    ("summarize", "summarize", 0.20),
    ("proofread", "proofread", 0.05),
    ("translate_from_ja", "translate", 0.17),
    ("translate_to_ja", "translate", 0.30),
    ("never", "draft", 0.03),
)


@dataclass(frozen=True, slots=True)
class Gold:
    """A value in a prompt: ``who`` names the person and field (r1:name, office:phone);
    ``personal`` is False for the municipality's own contacts; ``full`` is False for a
    surname written alone."""

    type: str
    start: int
    end: int
    value: str
    who: str
    personal: bool = True
    full: bool = True


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    task: str
    family: str
    lang: str  # how the residents' names are written (ja, en, ko …)
    text: str
    gold: tuple[Gold, ...]
    expect_block: bool  # holds an identifier that blocks in every task

    @property
    def personal(self) -> tuple[Gold, ...]:
        return tuple(g for g in self.gold if g.personal)


Slot = tuple[str, str | None, str, bool, bool]  # text, type, who, personal, full


class _Filler:
    def __init__(self, rng: random.Random, factory: ResidentFactory, facilities: list[Facility]):
        self.rng = rng
        self.factory = factory
        self.facilities = facilities

    def slots(self, lang: str, japanese_text: bool) -> dict[str, Callable[[], Slot]]:
        rng = self.rng
        r1 = self.factory.resident(lang)
        r2 = self.factory.resident(lang)
        div = division(YAIZU, rng.choice(("市民課", "保険年金課", "介護保険課", "子育て支援課", "地域福祉課", "税務課")))  # fmt: skip
        facility = rng.choice(self.facilities)
        day = f"2026年{rng.randint(4, 12)}月{rng.randint(1, 28)}日"

        def person(r: Resident, tag: str) -> dict[str, Callable[[], Slot]]:
            birth = r.birth_ja if japanese_text else r.birth
            address = r.address_ja if japanese_text else r.address
            return {
                "NAME": lambda: (r.full, "PERSON", f"{tag}:name", True, True),
                "SURNAME": lambda: (r.surname, "PERSON", f"{tag}:name", True, False),
                "ADDR": lambda: (address, "ADDRESS", f"{tag}:address", True, True),
                "ADDR_JA": lambda: (r.address_ja, "ADDRESS", f"{tag}:address", True, True),
                "POSTAL": lambda: (r.postal, "POSTAL_CODE", f"{tag}:postal", True, True),
                "PHONE": lambda: (r.phone, "PHONE_NUMBER", f"{tag}:phone", True, True),
                "EMAIL": lambda: (r.email, "EMAIL_ADDRESS", f"{tag}:email", True, True),
                "BIRTH": lambda: (birth, "BIRTH_DATE", f"{tag}:birth", True, True),
                "BIRTH_JA": lambda: (r.birth_ja, "BIRTH_DATE", f"{tag}:birth", True, True),
            }

        slots = person(r1, "r1")
        second = person(r2, "r2")
        slots |= {"NAME2": second["NAME"], "BIRTH2": second["BIRTH"]}
        slots |= {
            "MYNUMBER": lambda: (self.factory.my_number(), "MY_NUMBER", "r1:my_number", True, True),
            "DIV": lambda: (div.name, None, "", False, True),
            "OFFICE_PHONE": lambda: (div.phone, "PHONE_NUMBER", "office:phone", False, True),
            "OFFICE_MAIL": lambda: (div.mail, "EMAIL_ADDRESS", "office:mail", False, True),
            "FACILITY": lambda: (
                f"{facility.name}（{facility.town}{facility.lot}）",
                None,
                "",
                False,
                True,
            ),  # fmt: skip
            "DATE": lambda: (day, None, "", False, True),
            "LANG": lambda: (LANGUAGE_NAMES.get(lang, "英語"), None, "", False, True),
        }
        return slots


def render(template: str, slots: dict[str, Callable[[], Slot]]) -> tuple[str, list[Gold]]:
    """Fill ``template``; a slot used twice writes the same value twice."""
    gold: list[Gold] = []
    cache: dict[str, Slot] = {}
    shift = 0  # how much longer the text is than the template so far

    def fill(match: re.Match[str]) -> str:
        nonlocal shift
        text, kind, who, personal, full = cache.setdefault(match[1], slots[match[1]]())
        start = match.start() + shift
        shift += len(text) - len(match[0])
        if kind is not None:
            gold.append(Gold(kind, start, start + len(text), text, who, personal, full))
        if match[1] == "DIV":  # an office's name: a public word, to stay as written
            gold.append(Gold("ORGANIZATION", start, start + len(text), text, "office:name", False))  # fmt: skip
        if match[1] == "FACILITY":  # the facility's address is public information
            name_end = start + text.index("（")
            gold.append(Gold("ORGANIZATION", start, name_end, text[: name_end - start], "office:facility_name", False))  # fmt: skip
            inner = start + text.index("（") + 1
            end = start + len(text) - 1
            gold.append(Gold("ADDRESS", inner, end, text[inner - start : -1], "office:facility", False))  # fmt: skip
        return text

    return _SLOT.sub(fill, template), gold


def generate_prompts(seed: int = 18, n: int = 600) -> list[Prompt]:
    rng = random.Random(seed)
    factory = ResidentFactory(rng, seed)
    filler = _Filler(rng, factory, [f for f in yaizu_facilities() if f.lot])
    counts = [round(n * share) for *_, share in _FAMILIES]
    counts[0] += n - sum(counts)
    prompts: list[Prompt] = []
    try:
        for (family, task, _), count in zip(_FAMILIES, counts, strict=True):
            for i in range(count):
                prompts.append(_one(filler, family, task, i, len(prompts)))
    finally:
        factory.close()
    return prompts


def _one(filler: _Filler, family: str, task: str, i: int, index: int) -> Prompt:
    rng = filler.rng
    if family == "translate_to_ja":
        lang = ("ja-Latn", *_FOREIGN)[i % (len(_FOREIGN) + 1)]
        template = rng.choice(TRANSLATE_TO_JA[lang])
        japanese_text = False
    elif family == "translate_from_ja":
        lang = _FOREIGN[i % len(_FOREIGN)]
        template = rng.choice(TRANSLATE_FROM_JA)
        japanese_text = True
    else:
        lang = "ja"
        template = rng.choice(
            {
                "draft": DRAFT_JA,
                "summarize": SUMMARIZE_JA,
                "proofread": PROOFREAD_JA,
                "never": NEVER,
            }[family]  # fmt: skip
        )
        japanese_text = True
    if family == "never" and "要約" in template:
        task = "summarize"
    text, gold = render(template, filler.slots(lang, japanese_text))
    return Prompt(
        id=f"p{index:04d}",
        task=task,
        family=family,
        lang=lang,
        text=text,
        gold=tuple(gold),
        expect_block=family == "never",
    )
