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

INVALID = [
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


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID])
def test_latin_name(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")
