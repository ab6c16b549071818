"""ChineseNameRecognizer (PERSON): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

STRONG = (0.85, 0.85)
WEAK = (0.6, 0.6)

VALID = [
    pytest.param(Case("你好，我叫刘洋，来自上海。", ["刘洋"], STRONG), id="wo-jiao"),
    pytest.param(Case("我叫黄晓明住在焼津市", ["黄晓明"], STRONG), id="stops-before-grammar"),
    pytest.param(Case("我的名字是司马光。", ["司马光"], STRONG), id="compound-surname"),
    pytest.param(Case("我叫詹莹", ["詹莹"], STRONG), id="surname-not-listed"),
    pytest.param(Case("我是陈静。", ["陈静"], STRONG), id="wo-shi-clause-end"),
    pytest.param(Case("姓名：郑家豪\n电话：", ["郑家豪"], STRONG), id="label-xingming"),
    pytest.param(Case("申请人 何丽", ["何丽"], STRONG), id="label-applicant"),
    pytest.param(Case("相談者 孫浩然（中国）", ["孫浩然"], STRONG), id="japanese-label"),
    pytest.param(Case("赵敏女士，您好。", ["赵敏"], STRONG), id="honorific-nvshi"),
    # Surnames outside the list after a Japanese label, written in characters Japanese
    # does not use.
    pytest.param(Case("来庁者 邝明（中国籍）", ["邝明"], STRONG), id="japanese-label-unlisted"),
    pytest.param(Case("相談者：单秀兰様", ["单秀兰"], STRONG), id="japanese-label-unlisted-sama"),
    pytest.param(Case("申請者：阚文静", ["阚文静"], STRONG), id="japanese-label-rare-surname"),
    pytest.param(
        Case("本日、邝丽华様（中国籍）から電話。", ["邝丽华"], STRONG),
        id="japanese-honorific-unlisted",
    ),
    pytest.param(Case("请转告林先生。", ["林"], WEAK), id="surname-alone-honorific"),
]

EVASION = [
    pytest.param(Case("我叫&#21608;&#26480;", ["&#21608;&#26480;"], STRONG), id="html-entities"),
    pytest.param(Case("我叫%E5%90%B4%E7%A3%8A", ["%E5%90%B4%E7%A3%8A"], STRONG), id="percent"),
    pytest.param(Case("我叫 5ZC056OK", ["5ZC056OK"], STRONG), id="base64-short"),
]

INVALID = [
    pytest.param(Case("我叫什么名字？"), id="what-is-my-name"),
    pytest.param(Case("我是中国人。"), id="nationality"),
    pytest.param(Case("我是学生。"), id="occupation"),
    pytest.param(Case("对象者：高齢者や障害者"), id="japanese-label-common-noun"),
    pytest.param(Case("担当：福祉課"), id="japanese-label-unit"),
    pytest.param(Case("请在周一前提交申请表。"), id="public-notice"),
    pytest.param(Case("担当：健康増進课"), id="japanese-label-unit-simplified"),
    pytest.param(Case("本日、市民课様から連絡"), id="unit-before-honorific"),
]


# A kin phrase before the name, "I am X's husband", 来访者: (issue 12's recall set).
KIN = [
    pytest.param(Case("我的丈夫刘建国下周来办手续。", ["刘建国"], STRONG), id="kin-husband"),
    pytest.param(Case("我女儿黄思雨今年六岁。", ["黄思雨"], STRONG), id="kin-daughter"),
    pytest.param(Case("我是周婷的妈妈，想问入园的事。", ["周婷"], STRONG), id="i-am-xs-mother"),
    pytest.param(Case("来访者：邓丽，咨询年金。", ["邓丽"], STRONG), id="label-visitor"),
    pytest.param(Case("我的妻子下周来日本。"), id="kin-no-name"),
    pytest.param(Case("我老婆叫何敏，在工厂上班。", ["何敏"], STRONG), id="kin-then-naming-verb"),
    pytest.param(Case("来访：罗 志明，咨询保险。", ["罗 志明"], STRONG), id="label-spaced-name"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID, *KIN])
def test_chinese_name(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "PERSON")
