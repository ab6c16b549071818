"""HangulNameRecognizer (PERSON): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

STRONG = (0.85, 0.85)

VALID = [
    pytest.param(Case("안녕하세요. 제 이름은 최유진입니다.", ["최유진"], STRONG), id="je-ireumeun"),
    pytest.param(Case("제 이름은 정하늘이에요.", ["정하늘"], STRONG), id="ieyo"),
    pytest.param(Case("저는 한지민이라고 합니다.", ["한지민"], STRONG), id="jeoneun-irago"),
    pytest.param(
        Case("저는 윤서준입니다. 잘 부탁드립니다.", ["윤서준"], STRONG), id="jeoneun-copula"
    ),
    pytest.param(
        Case("안녕하세요, 제 이름은 남궁민수입니다.", ["남궁민수"], STRONG),
        id="two-syllable-surname",
    ),
    pytest.param(
        Case("성명: 강다은\n생년월일: 1992년 3월 4일", ["강다은"], STRONG), id="label-seongmyeong"
    ),
    pytest.param(Case("신청인 오지호", ["오지호"], STRONG), id="label-sincheongin"),
    pytest.param(Case("相談者 신예은（韓国）から相談", ["신예은"], STRONG), id="japanese-label"),
    pytest.param(Case("장민호 씨에게 서류를 보내 주세요.", ["장민호"], STRONG), id="honorific-ssi"),
    pytest.param(Case("임수아님, 예약이 확인되었습니다.", ["임수아"], STRONG), id="honorific-nim"),
    pytest.param(Case("권도윤さんが来庁", ["권도윤"], STRONG), id="japanese-honorific"),
]

EVASION = [
    pytest.param(Case("제 이름은 김\u200b하준입니다.", ["김\u200b하준"], STRONG), id="zero-width"),
    pytest.param(
        Case("제 이름은 &#48149;&#49436;&#50672;입니다.", ["&#48149;&#49436;&#50672;"], STRONG),
        id="html-entities",
    ),
    pytest.param(
        Case("이름: \\uc774\\uc218\\ube48", ["\\uc774\\uc218\\ube48"], STRONG), id="u-escapes"
    ),
]

INVALID = [
    pytest.param(Case("사장님께 전달해 주세요."), id="title-sajangnim"),
    pytest.param(Case("이사장님이 오셨습니다."), id="title-three-syllables"),
    pytest.param(Case("저는 유학생입니다."), id="occupation"),
    pytest.param(Case("저는 한국인입니다."), id="nationality"),
    pytest.param(Case("이번에 정보를 알려 드립니다."), id="ordinary-words"),
    pytest.param(
        Case("쓰레기는 월요일과 목요일에 수거합니다. 문의: 야이즈 시청"), id="public-notice"
    ),
]


# A kin phrase before the name; a label read as a name is skipped (보호자 성명: …).
KIN = [
    pytest.param(Case("제 아들 박도윤은 초등학생입니다.", ["박도윤"], STRONG), id="kin-son"),
    pytest.param(Case("저희 어머니 최영숙 씨가 오세요.", ["최영숙"], STRONG), id="kin-mother"),
    pytest.param(Case("신청인 성명: 오지훈 / 연락처", ["오지훈"], STRONG), id="label-then-label"),
    pytest.param(Case("제 남편 회사에 전화했어요."), id="kin-no-name"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID, *KIN])
def test_hangul_name(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")
