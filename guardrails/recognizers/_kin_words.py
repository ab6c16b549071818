"""Kinship words: a name follows them in every language staff translate from.

"My wife Anna is sick", "Minha esposa Fernanda vai", "Ang asawa ko ay si Jun dela Cruz",
"Suami saya, Budi Santoso", "Vợ tôi là Phạm Thu Trang", "Mero shrimati Anita",
"제 남편 이준호가", "我的妻子陈静" — a capitalised word right after "my wife" is a name
nearly always, so these frame a name as strongly as a form label does. Closed classes:
the possessive, the kin noun, and the connectors between them and the name (is, ay si,
là …), per language; built into cue phrases once, at import.
"""

from __future__ import annotations

from itertools import product

# Possessive before the noun (my wife, minha esposa, mi esposo, mero shrimati).
_BEFORE = {
    "en": (("my", "our", "his", "her", "their"),
           "wife husband mother father mom mum dad son daughter brother sister child kid"
           " baby grandmother grandfather grandma grandpa partner spouse fiancé fiancée"
           " fiance fiancee uncle aunt cousin nephew niece mother-in-law father-in-law"
           " stepson stepdaughter older younger little"),
    "pt": (("minha", "meu", "nossa", "nosso"),
           "esposa esposo marido mulher mãe mae pai filho filha irmão irmao irmã irma avó"
           " avo avô sogra sogro namorada namorado neto neta tio tia enteado enteada"),
    "es": (("mi", "nuestra", "nuestro"),
           "esposa esposo marido mujer madre padre mamá mama papá papa hijo hija hermano"
           " hermana abuela abuelo suegra suegro novia novio nieto nieta tío tía"),
    "ne": (("mero", "meri", "mera", "hamro", "hamri"),
           "shrimati shriman shreemati shreeman srimati sriman budhi budho buwa baba aama ama amma chhora"
           " chhori didi dai daju bahini bhai hajurama hajurbuwa sasura sasu"),
}  # fmt: skip
# Possessive after the noun (asawa ko, suami saya, vợ tôi).
_AFTER = {
    "tl": (("ko", "namin", "natin", "niya", "ni"),
           "asawa nanay tatay ina ama anak lola lolo kapatid kuya ate bunso pamangkin"
           " biyenan manugang"),
    "id": (("saya", "aku", "kami"),
           "suami istri isteri anak ibu ayah bapak kakak adik nenek kakek mertua"),
    "vi": (("tôi", "em", "mình", "toi", "minh", "chị", "anh"),
           "vợ chồng mẹ bố cha ba má con con trai con gái anh trai chị gái em trai em gái"
           " ông bà vo chong me bo con con trai con gai anh trai chi gai em trai em gai"),
}  # fmt: skip
# Between the kin phrase and the name: Ang asawa ko ay si …, Vợ tôi là …, my son, Noah.
CONNECTORS = ("po", "ay", "na", "si", "is", "là", "la", "é", "e", "es", "named", "called")

# Hangul: possessive before the noun (제 남편 이준호가, 우리 딸 한소희는).
KOREAN_POSSESSIVES = ("제", "저의", "우리", "저희", "내", "나의")
KOREAN_KIN = (
    "남편", "아내", "부인", "와이프", "딸", "아들", "어머니", "아버지", "엄마", "아빠", "형",
    "누나", "언니", "오빠", "동생", "할머니", "할아버지", "시어머니", "장모", "장인", "손자", "손녀",
)  # fmt: skip
# Chinese: 我的妻子陈静, 我儿子王浩然, 我母亲李秀英, 我是…的丈夫.
CHINESE_POSSESSIVES = ("我的", "我", "我们的", "我們的", "他的", "她的")
CHINESE_KIN = (
    "妻子", "丈夫", "老公", "老婆", "爱人", "愛人", "儿子", "兒子", "女儿", "女兒", "母亲",
    "母親", "父亲", "父親", "妈妈", "媽媽", "爸爸", "婆婆", "公公", "哥哥", "姐姐", "弟弟",
    "妹妹", "孩子", "岳母", "岳父", "奶奶", "爷爷", "爺爺", "外婆", "外公", "先生", "太太",
)  # fmt: skip


def latin_kin_cues() -> tuple[str, ...]:
    """Every Latin-script kin phrase: possessive + noun, or noun + possessive."""
    cues: list[str] = []
    for possessives, nouns in _BEFORE.values():
        cues += [f"{p} {n}" for p, n in product(possessives, nouns.split())]
    for possessives, nouns in _AFTER.values():
        words = _vietnamese_nouns(nouns) if "vợ" in nouns else nouns.split()
        cues += [f"{n} {p}" for n, p in product(words, possessives)]
        cues += [f"ang {n} {p}" for n, p in product(words, possessives) if p in ("ko", "namin")]
    return tuple(cues)


def _vietnamese_nouns(nouns: str) -> list[str]:
    """Vietnamese kin nouns, the two-word ones (con trai, em gái) kept whole."""
    words = nouns.split()
    joined: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and words[i + 1] in ("trai", "gái", "gai"):
            joined.append(f"{words[i]} {words[i + 1]}")
            i += 2
        else:
            joined.append(words[i])
            i += 1
    return joined
