"""LatinNameRecognizer (PERSON): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

STRONG = (0.85, 0.85)
WEAK = (0.6, 0.85)

VALID = [
    # Self-introductions in the languages staff translate from.
    pytest.param(
        Case("Hi! My name is Olivia Bennett, and I just moved here.", ["Olivia Bennett"], STRONG),
        id="en-my-name-is",
    ),
    pytest.param(
        Case("I am Rafael Costa and I work at a factory.", ["Rafael Costa"], STRONG),
        id="en-i-am-two-words",
    ),
    pytest.param(Case("I'm Grace.", ["Grace"], WEAK), id="en-i-am-one-word"),
    pytest.param(
        Case("Meu nome é Luana Ferreira dos Santos.", ["Luana Ferreira dos Santos"], STRONG),
        id="pt-meu-nome",
    ),
    pytest.param(
        Case("Me chamo Thiago Almeida, sou brasileiro.", ["Thiago Almeida"], STRONG),
        id="pt-me-chamo",
    ),
    pytest.param(
        Case("Me llamo Diego Ramírez Flores y tengo dos hijos.", ["Diego Ramírez Flores"], STRONG),
        id="es-me-llamo",
    ),
    pytest.param(
        Case("Ako si Mark Anthony Villanueva, taga-Cebu.", ["Mark Anthony Villanueva"], STRONG),
        id="fil-ako-si",
    ),
    pytest.param(
        Case("Ang pangalan ko ay Jocelyn dela Cruz.", ["Jocelyn dela Cruz"], STRONG),
        id="fil-pangalan",
    ),
    pytest.param(
        Case("Tôi tên là Trần Thị Mai, đến từ Hà Nội.", ["Trần Thị Mai"], STRONG),
        id="vi-toi-ten-la",
    ),
    pytest.param(Case("Toi ten la Le Van Hung.", ["Le Van Hung"], STRONG), id="vi-no-diacritics"),
    pytest.param(Case("私はJuan Pérezです。", ["Juan Pérez"], STRONG), id="ja-watashi-wa"),
    # Salutations and titles.
    pytest.param(
        Case("Dear Mrs. Hannah Wright,\nThank you for your letter.", ["Hannah Wright"], STRONG),
        id="en-dear-mrs",
    ),
    pytest.param(
        Case("Prezada Sra. Camila Rocha, segue o formulário.", ["Camila Rocha"], STRONG),
        id="pt-prezada-sra",
    ),
    pytest.param(
        Case("Estimado Sr. Andrés Molina:", ["Andrés Molina"], STRONG), id="es-estimado-sr"
    ),
    pytest.param(Case("Kính gửi chị Hoa,", ["Hoa"], STRONG), id="vi-kinh-gui-chi"),
    pytest.param(
        Case("Please call Dr. Kwame Mensah tomorrow.", ["Kwame Mensah"], STRONG),
        id="title-mid-sentence",
    ),
    # Labels and roles, Latin and Japanese.
    pytest.param(
        Case("Full name: Priya Raman\nNationality: India", ["Priya Raman"], STRONG), id="en-label"
    ),
    pytest.param(Case("Nombre completo: Lucía Gómez", ["Lucía Gómez"], STRONG), id="es-label"),
    pytest.param(Case("Họ và tên: Ngô Bảo Châu", ["Ngô Bảo Châu"], STRONG), id="vi-label"),
    pytest.param(
        Case("相談者 Pedro Alves（ブラジル）から電話", ["Pedro Alves"], STRONG), id="ja-role-label"
    ),
    pytest.param(
        Case("申請者：TRAN, Thi Huong", ["TRAN, Thi Huong"], STRONG), id="ja-label-capitals-comma"
    ),
    # Honorifics, signatures, structure, later mentions.
    pytest.param(
        Case("Rosa Mendozaさんが来庁しました。", ["Rosa Mendoza"], STRONG), id="ja-honorific"
    ),
    pytest.param(Case("Cheers from Ramos-sama.", ["Ramos"], STRONG), id="roman-honorific"),
    pytest.param(Case("Best regards,\nSamuel Okafor", ["Samuel Okafor"], STRONG), id="signature"),
    pytest.param(
        Case("Atenciosamente,\nBeatriz Lima", ["Beatriz Lima"], STRONG), id="pt-signature"
    ),
    pytest.param(
        Case("来庁者はNguyen Van Toanで、在留カードを持参。", ["Nguyen Van Toan"], STRONG),
        id="vi-structure",
    ),
    pytest.param(
        Case("My name is Chloe Martin. Chloe lives alone.", ["Chloe Martin", (25, 30)], STRONG),
        id="later-mention",
    ),
    pytest.param(Case("Applicant: Park Seo-yeon", ["Park Seo-yeon"], STRONG), id="korean-park"),
]

EVASION = [
    pytest.param(
        Case("My name is Ni\u200bcole Brooks.", ["Ni\u200bcole Brooks"], STRONG), id="zero-width"
    ),
    pytest.param(Case("My name is Мarta Silva.", ["Мarta Silva"], STRONG), id="cyrillic-lookalike"),
    pytest.param(
        Case("My name is J u l i a  W e b e r.", ["J u l i a  W e b e r"], STRONG),
        id="spaced-letters",
    ),
    pytest.param(
        Case("Name:\nAisha Khan\nAge: 34", ["Aisha Khan"], STRONG), id="name-on-next-line"
    ),
    pytest.param(
        Case("My name is Laura\nFischer\nI need help.", ["Laura\nFischer"], STRONG),
        id="split-by-line-break",
    ),
    pytest.param(
        Case(
            "My name is &#77;&#97;&#114;&#105;&#97; Lopes.",
            ["&#77;&#97;&#114;&#105;&#97; Lopes"],
            STRONG,
        ),
        id="html-entities",
    ),
    pytest.param(Case("名前は SmF2aWVyIFNvdXph です", ["SmF2aWVyIFNvdXph"], STRONG), id="base64"),
    pytest.param(
        Case("氏名：Ｋｅｖｉｎ　Ｂｒｏｗｎ", ["Ｋｅｖｉｎ　Ｂｒｏｗｎ"], STRONG), id="fullwidth"
    ),
]

# Labels that say whose name it is, and self-introductions on the phone.
QUALIFIED_LABELS = [
    pytest.param(
        Case("Pangalan ng magulang: Michael dela Cruz", ["Michael dela Cruz"], STRONG),
        id="fil-label-of-parent",
    ),
    pytest.param(
        Case("Name of applicant: Kevin Walker", ["Kevin Walker"], STRONG), id="en-name-of"
    ),
    pytest.param(Case("Nome do responsável: Ana Souza", ["Ana Souza"], STRONG), id="pt-nome-do"),
    pytest.param(
        Case(
            "Bom dia! Aqui quem fala é Eloah dos Santos Nunes.", ["Eloah dos Santos Nunes"], STRONG
        ),
        id="pt-quem-fala",
    ),
]

# Names broken over lines, and e-mail signatures after a "--" line.
SIGNATURES = [
    pytest.param(
        Case("My name is Maria\nSantos. I go to the library.", ["Maria\nSantos"], STRONG),
        id="name-over-two-lines-then-sentence",
    ),
    pytest.param(
        Case("Thanks,\n--\nMaria Santos\n090-1234-5678", ["Maria Santos"], STRONG),
        id="closing-then-signature-separator",
    ),
    pytest.param(Case("Regards\n-- \nKevin Walker", ["Kevin Walker"], STRONG), id="sig-dash-space"),
]

# Romanised Korean names whose surname is also an English word.
KOREAN_WORD_SURNAMES = [
    pytest.param(Case("Dear No Chae-won, thank you.", ["No Chae-won"], STRONG), id="ko-no"),
    pytest.param(Case("Name: Ha Ji-won\nPhone:", ["Ha Ji-won"], STRONG), id="ko-ha-label"),
    pytest.param(
        Case("相談者 Do Min-seo（韓国）", ["Do Min-seo"], STRONG), id="ko-do-japanese-label"
    ),
    pytest.param(Case("I am So Ji-sub.", ["So Ji-sub"], STRONG), id="ko-so-weak-cue"),
]

# Typed in lower case: a self-introduction or label frames the name all the same.
LOWER_CASE = [
    pytest.param(
        Case(
            "please translate: my name is maria santos, i live in yaizu", ["maria santos"], STRONG
        ),
        id="en-lower-self-introduction",
    ),
    pytest.param(
        Case("hi my name is maria, i need help", ["maria"], STRONG), id="en-lower-one-word"
    ),
    pytest.param(
        Case("My name is maria, thanks", ["maria"], STRONG), id="en-lower-name-capitalised-sentence"
    ),
    pytest.param(
        Case("name: kevin o'brien\naddress: yaizu", ["kevin o'brien"], STRONG), id="en-lower-label"
    ),
    pytest.param(
        Case("meu nome é joão da silva e moro em yaizu", ["joão da silva"], STRONG),
        id="pt-lower-particles",
    ),
    pytest.param(
        Case("me llamo diego ramirez y vivo en yaizu", ["diego ramirez"], STRONG), id="es-lower"
    ),
    pytest.param(
        Case("tôi tên là nguyễn văn an, sống tại yaizu", ["nguyễn văn an"], STRONG),
        id="vi-lower-given-name-a-word",
    ),
    pytest.param(
        Case("相談者 nguyen thi lan（ベトナム）から電話", ["nguyen thi lan"], STRONG),
        id="japanese-label-lower",
    ),
    pytest.param(
        Case("ako si maria clara santos, nakatira sa yaizu", ["maria clara santos"], STRONG),
        id="fil-lower",
    ),
    pytest.param(
        Case("this is for my husband, his name is park ji-hyeon and he", ["park ji-hyeon"], STRONG),
        id="his-name-is-surname-homograph",
    ),
]

# No self-introduction: who the note is about, said after the fact, acts of a person,
# a country in katakana, this-is forms of a call, Filipino si.
UNCUED = [
    pytest.param(
        Case("the lady who called was Sarah Jenkins, please ring back", ["Sarah Jenkins"], STRONG),
        id="who-called-was",
    ),
    pytest.param(
        Case("the couple is Mike and Julia Stone from Canada", ["Mike", "Julia Stone"], STRONG),
        id="two-people-joined",
    ),
    pytest.param(
        Case("Walk-in at Yaizu Office: Peter Long, b. 1980-01-02", ["Peter Long"], STRONG),
        id="label-at-an-office",
    ),
    pytest.param(
        Case("Note: Kevin Marsh came to the counter twice.", ["Kevin Marsh"], STRONG),
        id="act-after-name",
    ),
    pytest.param(
        Case("来庁：Irina Volkova（ウクライナ）", ["Irina Volkova"], STRONG), id="country-aside"
    ),
    pytest.param(Case("Oi, é a Camila Duarte, tudo bem?", ["Camila Duarte"], STRONG), id="pt-e-a"),
    pytest.param(Case("Buenas, habla Raúl Medina.", ["Raúl Medina"], STRONG), id="es-habla"),
    pytest.param(
        Case("Absent bukas si Kristine Joy Santos.", ["Kristine Joy Santos"], STRONG), id="tl-si"
    ),
    pytest.param(Case("Ibu saya Sri Rahayu.", ["Sri Rahayu"], STRONG), id="id-sri-given-name"),
    pytest.param(Case("Namaste, ma Suman Rai hu.", ["Suman Rai"], STRONG), id="ne-ma-hu"),
]

INVALID = [
    pytest.param(Case("I am Sri Lankan."), id="nationality-of-two-words"),
    pytest.param(Case("Se habla Español."), id="language-after-habla"),
    pytest.param(Case("Yaizu City Hall moved to a new building."), id="office-acts"),
    pytest.param(Case("Little Walkers（リトルウォーカーズ）"), id="katakana-reading-no-country"),
    pytest.param(Case("my name is on the list, please check"), id="lower-name-is-on-the-list"),
    pytest.param(Case("My name is spelled wrong on the card."), id="lower-predicate"),
    pytest.param(Case("my name is written in katakana on the form"), id="lower-one-word-predicate"),
    pytest.param(Case("name: see attached"), id="lower-label-see-attached"),
    pytest.param(Case("to: all residents\nfrom: city hall"), id="lower-labels-of-a-notice"),
    pytest.param(Case("Name: pending\nAddress: Yaizu"), id="lower-one-word-label-capitalised-text"),
    pytest.param(Case("hello everyone, welcome"), id="lower-salutation"),
    pytest.param(Case("Name: No Check-in needed"), id="no-plus-hyphenated-word"),
    pytest.param(Case("Notice\n--\nYaizu City Hall\n054-626-1111"), id="office-after-separator"),
    pytest.param(Case("Name of the facility: Yaizu City Library"), id="name-of-a-facility"),
    pytest.param(
        Case("Responsável: Divisão de Cidadãos, Prefeitura de Yaizu"), id="pt-division-after-label"
    ),
    pytest.param(Case("Solicitante: Sección de Ciudadanos"), id="es-section-after-label"),
    pytest.param(Case("Người nộp đơn: Phòng Công dân, Tòa thị chính"), id="vi-office-after-label"),
    pytest.param(Case("担当 yamada"), id="lower-one-word-after-japanese-label"),
    pytest.param(Case("Yaizu City Hall is open from Monday to Friday."), id="city-hall"),
    pytest.param(
        Case("Please contact the Citizens Division, Japan Post or Mt. Fuji Tourism."),
        id="organisations",
    ),
    pytest.param(Case("Dear Residents,\nThe garbage schedule has changed."), id="dear-residents"),
    pytest.param(Case("I am Japanese and I live in Tokyo."), id="nationality"),
    pytest.param(Case("Hello Everyone, welcome to the class."), id="hello-everyone"),
    pytest.param(Case("Thank you,\nYaizu City Hall"), id="organisation-signature"),
    pytest.param(Case("Don't miss Hanabi Festival in August!"), id="miss-lowercase"),
    pytest.param(Case("担当 IT推進課"), id="acronym-after-label"),
    pytest.param(Case("Sincerely,\nInternational Exchange Section"), id="section-signature"),
    pytest.param(Case("Moro em Yaizu desde 2020."), id="pt-em-is-a-preposition"),
    pytest.param(Case("The event starts on Monday, April 7."), id="calendar"),
]

# A kin phrase frames the name after it, in every language (issue 12's recall set).
KIN = [
    pytest.param(
        Case("Please tell them my husband Oliver cannot come today.", ["Oliver"], STRONG),
        id="en-my-husband-one-word",
    ),
    pytest.param(
        Case("Our daughter Chloe Adams starts school in April.", ["Chloe Adams"], STRONG),
        id="en-our-daughter",
    ),
    pytest.param(
        Case("Meu marido, Renato Farias, vai buscar o documento.", ["Renato Farias"], STRONG),
        id="pt-meu-marido-comma",
    ),
    pytest.param(Case("Mi hermana Paola vive en Shizuoka.", ["Paola"], STRONG), id="es-mi-hermana"),
    pytest.param(
        Case("Ang tatay ko po ay si Arnel de Guzman.", ["Arnel de Guzman"], STRONG),
        id="fil-ang-tatay-ko-ay-si",
    ),
    pytest.param(
        Case("Istri saya, Nur Hasanah, sedang sakit.", ["Nur Hasanah"], STRONG),
        id="id-istri-saya",
    ),
    pytest.param(
        Case("Chồng tôi là Đặng Quốc Việt.", ["Đặng Quốc Việt"], STRONG), id="vi-chong-toi-la"
    ),
    pytest.param(
        Case("Mero chhora Aarav Shrestha school jancha.", ["Aarav Shrestha"], STRONG),
        id="ne-mero-chhora",
    ),
    pytest.param(
        Case("Oi, aqui é a Juliana Prado, tudo bem?", ["Juliana Prado"], STRONG),
        id="pt-aqui-e-a",
    ),
    pytest.param(
        Case("Contacto: Raúl Ibáñez (por correo)", ["Raúl Ibáñez"], STRONG),
        id="es-contacto-label",
    ),
    # not a name after a kin word
    pytest.param(Case("My son is sick and my wife is at work."), id="kin-no-name"),
    pytest.param(Case("My daughter Japanese class starts at 9."), id="kin-nationality"),
    # Vietnamese small letters with two diacritics are not capitals (cô ấy, anh ấy).
    pytest.param(Case("Hôm qua cô ấy đã đến, anh ấy thì chưa."), id="vi-small-letters"),
]


@pytest.mark.parametrize(
    "case",
    [
        *VALID,
        *KIN,
        *EVASION,
        *QUALIFIED_LABELS,
        *SIGNATURES,
        *KOREAN_WORD_SURNAMES,
        *LOWER_CASE,
        *UNCUED,
        *INVALID,
    ],
)
def test_latin_name(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")
