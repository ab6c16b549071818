"""The evasion suite: the same kinds of personal values, deliberately obfuscated.

Every variant is one short sentence with a context word (マイナンバーは…) and one
obfuscated value — full-width digits/letters, separators between the characters
(spaces, dots, the hyphen look-alikes － ― ‐ ー, newlines, zero-width characters),
kanji digits (一二三…〇), half-width katakana, or a mix. The gold span covers the whole
obfuscated value. Types and transformations are cycled so every applicable pair occurs.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.guard_eval.generator import sub_seed
from bench.guard_eval.model import Sample, Span
from bench.guard_eval.sources import AddressSource, NameSource
from bench.guard_eval.textforms import KANJI_DIGITS, fullwidth, kanji_number, wareki
from bench.guard_eval.values import AREA_CODES, Persona, PersonaFactory

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
HYPHEN_LOOKALIKES = ("－", "―", "‐", "ー")

_HALF_KANA_BASE = dict(
    zip(
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
        "ァィゥェォッャュョー",
        "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｯｬｭｮｰ",
        strict=True,
    )
)


def halfwidth_katakana(text: str) -> str:
    """Full-width katakana → half-width (ガ → ｶﾞ, パ → ﾊﾟ); other characters unchanged."""
    out: list[str] = []
    for ch in text:
        if ch == "ヴ":
            out.append("ｳﾞ")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base = _HALF_KANA_BASE.get(decomposed[0])
        if base is None:
            out.append(ch)
            continue
        mark = {"\u3099": "ﾞ", "\u309a": "ﾟ"}.get(decomposed[1:], "")
        out.append(base + mark)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class _Value:
    """A value as groups of characters (the way it is normally grouped)."""

    groups: tuple[str, ...]
    plain_sep: str = "-"  # how the groups are normally joined ("" = contiguous)


Transform = Callable[[random.Random, _Value], str]


def _chars(v: _Value) -> list[str]:
    return list("".join(v.groups))


def _kanji_digits(text: str) -> str:
    return "".join(KANJI_DIGITS[int(c)] if c.isascii() and c.isdigit() else c for c in text)


def _t_fullwidth(rng: random.Random, v: _Value) -> str:
    return fullwidth(v.plain_sep.join(v.groups))


def _t_space_each(rng: random.Random, v: _Value) -> str:
    return rng.choice((" ", "　")).join(_chars(v))


def _t_dots(rng: random.Random, v: _Value) -> str:
    if len(v.groups) > 1 and rng.random() < 0.5:
        return ".".join(v.groups)
    return rng.choice((".", "・", "．")).join(_chars(v))


def _t_hyphen_lookalike(rng: random.Random, v: _Value) -> str:
    if len(v.groups) == 1:
        return rng.choice(HYPHEN_LOOKALIKES).join(_chars(v))
    return rng.choice(HYPHEN_LOOKALIKES).join(v.groups)


def _t_newline(rng: random.Random, v: _Value) -> str:
    if len(v.groups) == 1:
        g = v.groups[0]
        cut = len(g) // 2
        return g[:cut] + "\n" + g[cut:]
    return rng.choice(("\n", "\r\n")).join(v.groups)


def _t_zero_width(rng: random.Random, v: _Value) -> str:
    text = v.plain_sep.join(v.groups)
    return "".join(ch + rng.choice(ZERO_WIDTH) for ch in text[:-1]) + text[-1]


def _t_kanji(rng: random.Random, v: _Value) -> str:
    sep = rng.choice(("", "-", "ー", "－")) if len(v.groups) > 1 else ""
    return _kanji_digits(sep.join(v.groups))


def _t_mixed_width(rng: random.Random, v: _Value) -> str:
    out = []
    for ch in v.plain_sep.join(v.groups):
        if ch.isascii() and ch.isdigit():
            out.append(rng.choice((ch, fullwidth(ch), KANJI_DIGITS[int(ch)])))
        else:
            out.append(fullwidth(ch) if rng.random() < 0.5 else ch)
    return "".join(out)


def _t_mixed_combo(rng: random.Random, v: _Value) -> str:
    """Several tricks at once: full width or kanji, look-alike hyphens, zero-width."""
    groups = [fullwidth(g) if rng.random() < 0.5 else _kanji_digits(g) for g in v.groups]
    sep = rng.choice(HYPHEN_LOOKALIKES + (" ", "\n"))
    text = sep.join(groups)
    zw = rng.choice(ZERO_WIDTH)
    cut = max(1, len(text) // 2)
    return text[:cut] + zw + text[cut:]


def _t_fullwidth_spaced(rng: random.Random, v: _Value) -> str:
    return "　".join(fullwidth(c) for c in _chars(v))


DIGIT_TRANSFORMS: dict[str, Transform] = {
    "fullwidth": _t_fullwidth,
    "space_each": _t_space_each,
    "dots": _t_dots,
    "hyphen_lookalike": _t_hyphen_lookalike,
    "newline": _t_newline,
    "zero_width": _t_zero_width,
    "kanji_digits": _t_kanji,
    "mixed_width": _t_mixed_width,
    "mixed_combo": _t_mixed_combo,
    "fullwidth_spaced": _t_fullwidth_spaced,
}

ALNUM_TRANSFORMS: dict[str, Transform] = {
    "fullwidth": _t_fullwidth,
    "space_each": _t_space_each,
    "hyphen_lookalike": _t_hyphen_lookalike,
    "newline": _t_newline,
    "zero_width": _t_zero_width,
    "kanji_digits": _t_kanji,
    "mixed_combo": _t_mixed_combo,
}

EMAIL_TRANSFORMS: dict[str, Transform] = {
    "fullwidth": _t_fullwidth,
    "zero_width": _t_zero_width,
    "mixed_width": _t_mixed_width,
}

# Context sentences per kind of value: {V} is the obfuscated value.
CONTEXTS: dict[str, tuple[str, ...]] = {
    "MY_NUMBER": ("マイナンバーは{V}です。", "個人番号：{V}", "番号カードの番号 {V} を入力"),
    "MOBILE": ("携帯電話は{V}です。", "連絡先 {V}", "携帯：{V}まで折り返し"),
    "LANDLINE": ("電話番号は{V}です。", "連絡先 {V}", "自宅TEL：{V}"),
    "CREDIT_CARD": ("カード番号{V}で支払いました。", "クレジットカード：{V}"),
    "CORPORATE_NUMBER": ("法人番号は{V}です。", "法人番号：{V}"),
    "RESIDENT_CODE": ("住民票コード{V}", "住民票コードは{V}です。"),
    "PENSION_NUMBER": ("基礎年金番号：{V}", "年金番号は{V}です。"),
    "DRIVER_LICENSE": ("運転免許証番号 {V}", "免許証の番号は{V}です。"),
    "POSTAL_CODE": ("〒{V}", "郵便番号は{V}です。"),
    "ACCOUNT": ("振込先 普通預金 口座番号{V}", "口座番号は{V}です。"),
    "YUCHO": ("ゆうちょ銀行の記号番号は{V}です。", "ゆうちょ銀行 記号・番号：{V}"),
    "INSURER": ("保険者番号{V}", "保険証の保険者番号は{V}です。"),
    "INSURED": ("被保険者番号：{V}", "保険証の被保険者番号は{V}です。"),
    "PASSPORT_NUMBER": ("旅券番号：{V}", "パスポート番号は{V}です。"),
    "RESIDENCE_CARD": ("在留カード番号 {V}", "在留カードの番号は{V}です。"),
    "EMAIL_ADDRESS": ("メールは{V}までお願いします。", "メールアドレス：{V}"),
    "BIRTH_DATE": ("生年月日：{V}", "{V}生まれです。"),
    "PERSON": ("相談者は{V}さんです。", "氏名：{V}", "{V}様より電話あり。"),
    "ADDRESS": ("住所は{V}です。", "現住所：{V}"),
}

EVASION_TYPES: tuple[str, ...] = (
    "MY_NUMBER",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "CORPORATE_NUMBER",
    "RESIDENT_CODE",
    "PENSION_NUMBER",
    "DRIVER_LICENSE",
    "POSTAL_CODE",
    "BANK_ACCOUNT",
    "HEALTH_INSURANCE",
    "PASSPORT_NUMBER",
    "RESIDENCE_CARD",
    "EMAIL_ADDRESS",
    "BIRTH_DATE",
    "PERSON",
    "ADDRESS",
)


class _ValueMaker:
    def __init__(self, rng: random.Random, personas: PersonaFactory) -> None:
        self.rng = rng
        self.personas = personas

    def make(self, etype: str, p: Persona) -> tuple[_Value, dict[str, Transform], str]:
        """The canonical value of ``etype`` for ``p``, the transforms that apply and
        the key of the context sentences that fit it."""
        rng = self.rng
        if etype == "MY_NUMBER":
            n = p.my_number
            return _Value((n[:4], n[4:8], n[8:]), " "), DIGIT_TRANSFORMS, "MY_NUMBER"
        if etype == "PHONE_NUMBER":
            if rng.random() < 0.5:
                n = p.mobile
                return _Value((n[:3], n[3:7], n[7:])), DIGIT_TRANSFORMS, "MOBILE"
            n = p.landline
            area = next(a for a in sorted(AREA_CODES, key=len, reverse=True) if n.startswith(a))
            return _Value((area, n[len(area) : 6], n[6:])), DIGIT_TRANSFORMS, "LANDLINE"
        if etype == "CREDIT_CARD":
            n = p.card
            if len(n) == 16:
                return (
                    _Value((n[:4], n[4:8], n[8:12], n[12:]), " "),
                    DIGIT_TRANSFORMS,
                    "CREDIT_CARD",
                )
            return _Value((n[:4], n[4:10], n[10:]), " "), DIGIT_TRANSFORMS, "CREDIT_CARD"
        if etype == "CORPORATE_NUMBER":
            n = p.corporate_number
            return _Value((n[:1], n[1:5], n[5:9], n[9:]), ""), DIGIT_TRANSFORMS, "CORPORATE_NUMBER"
        if etype == "RESIDENT_CODE":
            n = p.resident_code
            return _Value((n[:4], n[4:8], n[8:]), ""), DIGIT_TRANSFORMS, "RESIDENT_CODE"
        if etype == "PENSION_NUMBER":
            n = p.pension
            return _Value((n[:4], n[4:])), DIGIT_TRANSFORMS, "PENSION_NUMBER"
        if etype == "DRIVER_LICENSE":
            n = p.license
            return _Value((n[:4], n[4:8], n[8:]), ""), DIGIT_TRANSFORMS, "DRIVER_LICENSE"
        if etype == "POSTAL_CODE":
            n = p.address.area.postal_code
            return _Value((n[:3], n[3:])), DIGIT_TRANSFORMS, "POSTAL_CODE"
        if etype == "BANK_ACCOUNT":
            if rng.random() < 0.5:
                return _Value((p.account,), ""), DIGIT_TRANSFORMS, "ACCOUNT"
            return _Value((p.yucho_symbol, p.yucho_number)), DIGIT_TRANSFORMS, "YUCHO"
        if etype == "HEALTH_INSURANCE":
            if len(p.insurer) == 8 and rng.random() < 0.5:
                return _Value((p.insurer[:4], p.insurer[4:]), ""), DIGIT_TRANSFORMS, "INSURER"
            n = p.insurance_symbol.zfill(8)[-8:]
            return _Value((n[:4], n[4:]), ""), DIGIT_TRANSFORMS, "INSURED"
        if etype == "PASSPORT_NUMBER":
            n = p.passport
            return _Value((n[:2], n[2:]), ""), ALNUM_TRANSFORMS, "PASSPORT_NUMBER"
        if etype == "RESIDENCE_CARD":
            n = p.residence_card
            return _Value((n[:2], n[2:10], n[10:]), ""), ALNUM_TRANSFORMS, "RESIDENCE_CARD"
        if etype == "EMAIL_ADDRESS":
            return _Value((p.email,), ""), EMAIL_TRANSFORMS, "EMAIL_ADDRESS"
        raise ValueError(etype)


def _birth_variant(rng: random.Random, p: Persona, how: str) -> str:
    d = p.birth
    era, _, year = wareki(d)
    if how == "fullwidth":
        return fullwidth(f"{era}{year}年{d.month}月{d.day}日")
    if how == "kanji_positional":
        return f"{_kanji_digits(str(d.year))}年{kanji_number(d.month)}月{kanji_number(d.day)}日"
    if how == "kanji_natural":
        return f"{era}{kanji_number(year)}年{kanji_number(d.month)}月{kanji_number(d.day)}日"
    if how == "zero_width":
        text = f"{d.year}年{d.month}月{d.day}日"
        return "".join(c + rng.choice(ZERO_WIDTH) for c in text[:-1]) + text[-1]
    if how == "space_each":
        return " ".join(f"{d.year}/{d.month:02d}/{d.day:02d}")
    if how == "mixed_width":
        text = f"{d.year}年{d.month}月{d.day}日"
        return "".join(
            rng.choice((c, fullwidth(c), KANJI_DIGITS[int(c)])) if c.isdigit() else c for c in text
        )
    raise ValueError(how)


BIRTH_TRANSFORMS: tuple[str, ...] = (
    "fullwidth",
    "kanji_positional",
    "kanji_natural",
    "zero_width",
    "space_each",
    "mixed_width",
)
PERSON_TRANSFORMS: tuple[str, ...] = (
    "zero_width",
    "space_each",
    "halfwidth_kana",
    "fullwidth_space_each",
)
ADDRESS_TRANSFORMS: tuple[str, ...] = ("fullwidth", "zero_width", "kanji_digits")


def _person_variant(rng: random.Random, p: Persona, how: str) -> str:
    name = p.name.sei + p.name.mei
    if how == "zero_width":
        return "".join(c + rng.choice(ZERO_WIDTH) for c in name[:-1]) + name[-1]
    if how == "space_each":
        return " ".join(name)
    if how == "fullwidth_space_each":
        return "　".join(name)
    if how == "halfwidth_kana":
        return halfwidth_katakana(f"{p.name.sei_kana} {p.name.mei_kana}")
    raise ValueError(how)


def _address_variant(rng: random.Random, p: Persona, how: str) -> str:
    a = p.address
    block = f"{a.chome}-{a.ban}-{a.go or 1}" if a.chome else f"{a.ban}-{a.go or 1}"
    base = a.area.prefecture + a.area.city + a.area.town
    if how == "fullwidth":
        return base + fullwidth(block)
    if how == "zero_width":
        text = base + block
        return "".join(c + rng.choice(ZERO_WIDTH) for c in text[:-1]) + text[-1]
    if how == "kanji_digits":
        if a.chome:
            return (
                base
                + f"{kanji_number(a.chome)}丁目{kanji_number(a.ban)}番{kanji_number(a.go or 1)}号"
            )
        return base + f"{kanji_number(a.ban)}番地{kanji_number(a.go or 1)}"
    raise ValueError(how)


def generate_evasion_suite(seed: int, n: int = 300) -> list[Sample]:
    """``n`` (≥ 1) obfuscated values, each in a short sentence with a context word."""
    rng = random.Random(sub_seed(seed, "evasion"))
    names = NameSource(rng, sub_seed(seed, "evasion/faker"))
    addresses = AddressSource(rng)
    personas = PersonaFactory(rng, names, addresses)
    maker = _ValueMaker(rng, personas)
    samples: list[Sample] = []
    try:
        for i in range(n):
            etype = EVASION_TYPES[i % len(EVASION_TYPES)]
            round_no = i // len(EVASION_TYPES)
            p = personas.persona()
            how: str
            value: str
            context_key = etype
            if etype == "BIRTH_DATE":
                how = BIRTH_TRANSFORMS[round_no % len(BIRTH_TRANSFORMS)]
                value = _birth_variant(rng, p, how)
            elif etype == "PERSON":
                how = PERSON_TRANSFORMS[round_no % len(PERSON_TRANSFORMS)]
                value = _person_variant(rng, p, how)
            elif etype == "ADDRESS":
                how = ADDRESS_TRANSFORMS[round_no % len(ADDRESS_TRANSFORMS)]
                value = _address_variant(rng, p, how)
            else:
                canonical, transforms, context_key = maker.make(etype, p)
                names_ = sorted(transforms)
                how = names_[round_no % len(names_)]
                value = transforms[how](rng, canonical)
            context = rng.choice(CONTEXTS[context_key])
            prefix, suffix = context.split("{V}")
            text = prefix + value + suffix
            span = Span(etype, len(prefix), len(prefix) + len(value), value)
            samples.append(
                Sample(
                    id=f"evasion-{i:04d}",
                    kind="evasion",
                    category=etype,
                    text=text,
                    spans=(span,),
                    meta={"transform": how},
                )
            )
    finally:
        addresses.close()
    return samples


def transforms_of(samples: Sequence[Sample]) -> list[str]:
    return sorted({str(s.meta.get("transform")) for s in samples})
