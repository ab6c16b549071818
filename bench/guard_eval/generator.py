"""The seeded generators: labelled PII prompts and PII-free municipal text.

Everything is a pure function of ``seed`` (and ``n``): the same call returns the same
samples, byte for byte. Gold spans always satisfy ``text[start:end] == value``.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.guard_eval import templates as tpl
from bench.guard_eval.model import CATEGORIES, ENTITY_TYPES, Sample, Span
from bench.guard_eval.sources import AddressSource, NameSource, PersonName
from bench.guard_eval.values import (
    DENYLIST_CANDIDATES,
    Distractors,
    Forms,
    Persona,
    PersonaFactory,
    Segment,
    weighted,
)

ROOT = Path(__file__).resolve().parents[2]
LAWS_DIR = ROOT / "samples" / "laws"

_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def sub_seed(seed: int, label: str) -> int:
    """A stable per-purpose seed (``hash()`` is salted per process; crc32 is not)."""
    return (seed * 1_000_003) ^ zlib.crc32(label.encode("utf-8"))


def make_denylist(seed: int, size: int = 12) -> list[str]:
    """The deny-list of internal terms for a run (a subset of the candidates)."""
    rng = random.Random(sub_seed(seed, "denylist"))
    return sorted(rng.sample(list(DENYLIST_CANDIDATES), size))


# -- rendering -----------------------------------------------------------------------


@dataclass
class _Context:
    """Everything one prompt's placeholders are filled from (one persona per role)."""

    rng: random.Random
    forms: Forms
    distractors: Distractors
    main: Persona
    other: Persona
    staff: PersonName
    denylist: Sequence[str]
    category: str
    city: str
    company: str
    cache: dict[str, str] = field(default_factory=dict)


SlotFn = Callable[[_Context], list[Segment]]


def _plain(fn: Callable[[_Context], str]) -> SlotFn:
    return lambda ctx: [(fn(ctx), None)]


def _once(key: str, fn: Callable[[_Context], str]) -> SlotFn:
    """A non-gold filler that keeps one value per prompt (e.g. the company's name)."""

    def slot(ctx: _Context) -> list[Segment]:
        if key not in ctx.cache:
            ctx.cache[key] = fn(ctx)
        return [(ctx.cache[key], None)]

    return slot


def _topic(ctx: _Context) -> str:
    pool = tpl.TOPICS["苦情"] if ctx.category == "苦情" else tpl.TOPICS["窓口相談"]
    return ctx.rng.choice(pool)


def _age(ctx: _Context) -> str:
    years = 2026 - ctx.main.birth.year
    return f"{years // 10 * 10}代" if ctx.rng.random() < 0.6 else f"{years}歳"


def _deny(ctx: _Context) -> list[Segment]:
    return [(ctx.rng.choice(list(ctx.denylist)), "DENYLIST_TERM")]


SLOTS: dict[str, SlotFn] = {
    # gold
    "NAME": lambda c: c.forms.full_name(c.main.name),
    "SEI": lambda c: c.forms.surname(c.main.name),
    "KANA": lambda c: c.forms.kana_name(c.main.name),
    "ROMAN": lambda c: c.forms.roman_name(c.main.name),
    "NAME2": lambda c: c.forms.full_name(c.other.name),
    "SEI2": lambda c: c.forms.surname(c.other.name),
    "KANA2": lambda c: c.forms.kana_name(c.other.name),
    "STAFF": lambda c: c.forms.surname(c.staff),
    "STAFF_NAME": lambda c: c.forms.full_name(c.staff),
    "ADDR": lambda c: c.forms.address(c.main.address),
    "ADDR2": lambda c: c.forms.address(c.other.address),
    "ZIP": lambda c: c.forms.postal_code(c.main.address.area.postal_code),
    "TEL": lambda c: c.forms.landline(c.main.landline),
    "MOBILE": lambda c: c.forms.mobile(c.main.mobile),
    "MAIL": lambda c: c.forms.email(c.main.email),
    "BIRTH": lambda c: c.forms.birth_date(c.main.birth),
    "BIRTH2": lambda c: c.forms.birth_date(c.other.birth),
    "MYNUM": lambda c: c.forms.my_number(c.main.my_number),
    "MYNUM2": lambda c: c.forms.my_number(c.other.my_number),
    "JUMIN": lambda c: c.forms.resident_code(c.main.resident_code),
    "HOJIN": lambda c: c.forms.corporate_number(c.main.corporate_number),
    "BANK": lambda c: c.forms.bank(c.main),
    "ACCOUNT": lambda c: c.forms.account(c.main),
    "CARD": lambda c: c.forms.card(c.main.card),
    "PASSPORT": lambda c: c.forms.passport(c.main.passport),
    "LICENSE": lambda c: c.forms.driver_license(c.main.license),
    "HOKEN": lambda c: c.forms.health_insurance(c.main),
    "INSURER": lambda c: c.forms.insurer_only(c.main),
    "NENKIN": lambda c: c.forms.pension(c.main.pension),
    "ZAIRYU": lambda c: c.forms.residence_card(c.main.residence_card),
    "MARK": lambda c: c.forms.marker(),
    "DENY": _deny,
    # not personal data
    "DATE": _plain(lambda c: c.distractors.date()),
    "DATE2": _plain(lambda c: c.distractors.date()),
    "TIME": _plain(lambda c: c.distractors.time()),
    "AMOUNT": _plain(lambda c: c.distractors.amount()),
    "BIG_AMOUNT": _plain(lambda c: f"{c.rng.randint(300, 9000) * 100_000:,}千円"),
    "COUNT": _plain(lambda c: c.distractors.count()),
    "RECEIPT": _plain(lambda c: c.distractors.receipt_no()),
    "DOCNO": _plain(lambda c: c.distractors.doc_no(c.city)),
    "DEPT": _plain(lambda c: c.distractors.department()),
    "DEPT2": _plain(lambda c: c.distractors.department()),
    "LAW": _plain(lambda c: c.distractors.law()),
    "FACILITY": _plain(lambda c: c.distractors.facility()),
    "FACILITY2": _plain(lambda c: c.distractors.facility()),
    "CITY": _once("CITY", lambda c: c.city),
    "CITY2": _plain(lambda c: _city_name(c.distractors.place().city)),
    "TOWN": _once("TOWN", lambda c: c.distractors.place().town),
    "COMPANY": _once("COMPANY", lambda c: c.company),
    "AGE": _plain(_age),
    "GENDER": _plain(lambda c: "女" if c.main.name.female else "男"),
    "TOPIC": _plain(_topic),
    "COMPLAINT": _plain(lambda c: c.rng.choice(tpl.TOPICS["苦情"])),
    "FORM": _once("FORM", lambda c: c.rng.choice(tpl.FORMS)),
    "MEETING": _once("MEETING", lambda c: c.rng.choice(tpl.MEETINGS)),
    "OPINION": _plain(lambda c: c.rng.choice(tpl.OPINIONS)),
    "N": _plain(lambda c: str(c.rng.randint(2, 15))),
    "NATIONALITY": _plain(lambda c: c.rng.choice(tpl.NATIONALITIES)),
    "DOCS": _plain(lambda c: "、".join(c.rng.sample(tpl.DOCUMENTS, 2))),
    "EXPIRY": _plain(lambda c: f"{c.rng.randint(1, 12):02d}/{c.rng.randint(26, 31)}"),
    "POPULATION": _plain(lambda c: f"{c.rng.randint(8_000, 900_000):,}"),
    "RYEAR": _plain(lambda c: str(c.rng.randint(6, 8))),
    "HYEAR": _plain(lambda c: str(c.rng.randint(16, 19))),
}


def _city_name(city: str) -> str:
    """'中新川郡立山町' → '立山町' (a municipality's everyday name)."""
    return city.split("郡", 1)[1] if "郡" in city and not city.endswith("郡") else city


def render(template: str, ctx: _Context) -> tuple[str, list[Span]]:
    """Fill ``template``; returns the text and the gold spans inside it."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    last = 0
    for match in _PLACEHOLDER.finditer(template):
        literal = template[last : match.start()]
        parts.append(literal)
        pos += len(literal)
        key = match.group(1)
        slot = SLOTS.get(key)
        if slot is None:
            raise KeyError(f"unknown placeholder {{{key}}} in template {template!r}")
        for text, entity_type in slot(ctx):
            if entity_type is not None and text:
                spans.append(Span(entity_type, pos, pos + len(text), text))
            parts.append(text)
            pos += len(text)
        last = match.end()
    parts.append(template[last:])
    return "".join(parts), spans


def _shift(spans: Sequence[Span], offset: int) -> list[Span]:
    return [Span(s.type, s.start + offset, s.end + offset, s.value) for s in spans]


def _wrap(wrapper: str, body: str, spans: Sequence[Span]) -> tuple[str, list[Span]]:
    prefix, suffix = wrapper.split("{BODY}", 1)
    return prefix + body + suffix, _shift(spans, len(prefix))


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


def templates_gold_types(template: str) -> set[str]:
    return {tpl.GOLD_PLACEHOLDERS[p] for p in placeholders(template) if p in tpl.GOLD_PLACEHOLDERS}


# -- the generators -------------------------------------------------------------------


class _World:
    """Shared sources for one generator run."""

    def __init__(self, seed: int, label: str) -> None:
        self.rng = random.Random(sub_seed(seed, label))
        self.names = NameSource(self.rng, sub_seed(seed, label + "/faker"))
        self.addresses = AddressSource(self.rng)
        self.personas = PersonaFactory(self.rng, self.names, self.addresses)
        self.forms = Forms(self.rng)
        self.distractors = Distractors(self.rng, self.addresses)

    def close(self) -> None:
        self.addresses.close()

    def context(self, category: str, denylist: Sequence[str]) -> _Context:
        main = self.personas.persona()
        other = self.personas.persona(min_age=0, max_age=90)
        staff = self.names.person()
        city = _city_name(self.distractors.place().city)
        company = weighted(
            self.rng,
            (
                (2, f"株式会社{self.rng.choice(tpl.COMPANY_STEMS)}"),
                (1, f"{self.rng.choice(tpl.COMPANY_STEMS)}株式会社"),
                (1, f"有限会社{self.rng.choice(tpl.COMPANY_STEMS)}"),
                (1, f"社会福祉法人{self.rng.choice(tpl.COMPANY_STEMS)}"),
            ),
        )
        return _Context(
            rng=self.rng,
            forms=self.forms,
            distractors=self.distractors,
            main=main,
            other=other,
            staff=staff,
            denylist=denylist,
            category=category,
            city=city,
            company=company,
        )


def generate_pii_prompts(seed: int, n: int, denylist: Sequence[str] | None = None) -> list[Sample]:
    """``n`` labelled prompts over the seven categories, every entity type represented.

    Each prompt is a category template (a document with personal data) in a request
    wrapper, plus 0–2 extra sentences chosen to keep the entity types balanced.
    """
    terms = list(denylist) if denylist is not None else make_denylist(seed)
    world = _World(seed, "pii")
    rng = world.rng
    counts: dict[str, int] = dict.fromkeys(ENTITY_TYPES, 0)
    samples: list[Sample] = []
    try:
        for i in range(n):
            category = CATEGORIES[i % len(CATEGORIES)]
            ctx = world.context(category, terms)
            t_index = rng.randrange(len(tpl.CATEGORY_TEMPLATES[category]))
            body, spans = render(tpl.CATEGORY_TEMPLATES[category][t_index], ctx)
            for s in spans:
                counts[s.type] += 1
            extras: list[str] = []
            n_extra = int(weighted(rng, ((0.3, "0"), (0.45, "1"), (0.25, "2"))))
            for _ in range(n_extra):
                if rng.random() < 0.75:
                    low = min(counts.values())
                    etype = rng.choice([t for t in ENTITY_TYPES if counts[t] == low])
                else:
                    etype = rng.choice(ENTITY_TYPES)
                clause, clause_spans = render(rng.choice(tpl.EXTRA_CLAUSES[etype]), ctx)
                glue = "\n" if "\n" in body else ("" if body.endswith(("。", "」", "）")) else "。")
                clause_spans = _shift(clause_spans, len(body) + len(glue))
                body = body + glue + clause
                spans.extend(clause_spans)
                for s in clause_spans:
                    counts[s.type] += 1
                extras.append(etype)
            w_index = rng.randrange(len(tpl.WRAPPERS))
            text, spans = _wrap(tpl.WRAPPERS[w_index], body, spans)
            samples.append(
                Sample(
                    id=f"pii-{i:05d}",
                    kind="pii",
                    category=category,
                    text=text,
                    spans=tuple(spans),
                    meta={
                        "template": f"{category}#{t_index}",
                        "wrapper": w_index,
                        "extra": extras,
                        "name_sources": [ctx.main.name.source, ctx.other.name.source],
                    },
                )
            )
    finally:
        world.close()
    return samples


def law_passages(rng: random.Random, count: int, laws_dir: Path = LAWS_DIR) -> list[Sample]:
    """Passages of at most 400 characters cut at sentence or line ends."""
    files = sorted(laws_dir.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no law texts in {laws_dir}")
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    out: list[Sample] = []
    while len(out) < count:
        name = files[len(out) % len(files)].name
        text = texts[name]
        start = rng.randrange(0, max(1, len(text) - 600))
        nl = text.find("\n", start)
        start = nl + 1 if nl != -1 else start
        target = rng.randint(200, 400)
        chunk = text[start : start + target]
        cut = max(chunk.rfind("。"), chunk.rfind("\n"))
        if cut > 80:
            chunk = chunk[: cut + 1]
        chunk = chunk.strip()
        if len(chunk) < 60:
            continue
        out.append(
            Sample(
                id=f"clean-law-{len(out):04d}",
                kind="clean",
                category="法令",
                text=chunk,
                meta={"source": f"samples/laws/{name}", "offset": start},
            )
        )
    return out


def _render_clean(template: str, ctx: _Context) -> str:
    text, spans = render(template, ctx)
    if spans:  # a PII-free template must not contain gold placeholders
        raise ValueError(f"clean template produced gold spans: {template!r}")
    return text


def generate_clean_texts(seed: int, n: int, laws_dir: Path = LAWS_DIR) -> list[Sample]:
    """``n`` PII-free texts: 40 % law passages, 35 % FAQ-like text, 25 % PII-free prompts."""
    world = _World(seed, "clean")
    rng = world.rng
    n_laws = round(n * 0.4)
    n_faq = round(n * 0.35)
    n_prompts = n - n_laws - n_faq
    samples = law_passages(random.Random(sub_seed(seed, "laws")), n_laws, laws_dir)
    try:
        for i in range(n_faq):
            ctx = world.context("FAQ", ())
            k = int(weighted(rng, ((0.5, "1"), (0.35, "2"), (0.15, "3"))))
            indices = rng.sample(range(len(tpl.CLEAN_FAQ)), k)
            body = "\n".join(_render_clean(tpl.CLEAN_FAQ[j], ctx) for j in indices)
            if rng.random() < 0.5:
                body = tpl.WRAPPERS[rng.randrange(2, len(tpl.WRAPPERS))].replace("{BODY}", body)
            samples.append(
                Sample(
                    id=f"clean-faq-{i:04d}",
                    kind="clean",
                    category="FAQ",
                    text=body,
                    meta={"templates": indices},
                )
            )
        for i in range(n_prompts):
            category = CATEGORIES[i % len(CATEGORIES)]
            ctx = world.context(category, ())
            t_index = rng.randrange(len(tpl.CLEAN_PROMPTS[category]))
            samples.append(
                Sample(
                    id=f"clean-prompt-{i:04d}",
                    kind="clean",
                    category=category,
                    text=_render_clean(tpl.CLEAN_PROMPTS[category][t_index], ctx),
                    meta={"template": f"{category}#{t_index}"},
                )
            )
    finally:
        world.close()
    return samples


def check_templates(slots: Mapping[str, SlotFn] = SLOTS) -> None:
    """Raise if a template names an unknown placeholder (used by the tests)."""
    every = [t for ts in tpl.CATEGORY_TEMPLATES.values() for t in ts]
    every += [t for ts in tpl.EXTRA_CLAUSES.values() for t in ts]
    every += tpl.CLEAN_FAQ + [t for ts in tpl.CLEAN_PROMPTS.values() for t in ts]
    for template in every:
        for key in placeholders(template):
            if key not in slots:
                raise KeyError(f"unknown placeholder {{{key}}} in {template!r}")
    for etype, clauses in tpl.EXTRA_CLAUSES.items():
        for clause in clauses:
            if etype not in templates_gold_types(clause):
                raise ValueError(f"extra clause for {etype} does not produce it: {clause!r}")
