"""ConfidentialMarkerRecognizer (CONFIDENTIAL_MARKER): one table — valid, evasion, invalid."""

from __future__ import annotations

import pytest

from guardrails import Guard
from tests.guardrails._assertions import Case, assert_findings

ZW = "\u200b"
MARKING = (0.9, 0.9)
ON_DOCUMENT = (0.7, 0.7)

VALID = [
    pytest.param(Case("【秘】令和7年度予算案", ["【秘】"], MARKING), id="bracket-hi"),
    pytest.param(Case("(秘)会議資料", ["(秘)"], MARKING), id="paren-hi"),
    pytest.param(Case("〔極秘〕人事異動案", ["〔極秘〕"], MARKING), id="kikkou-gokuhi"),
    pytest.param(Case("<取扱注意>", ["<取扱注意>"], MARKING), id="angle"),
    pytest.param(Case("「極秘」\n次の件について", ["「極秘」"], MARKING), id="quoted-alone"),
    pytest.param(Case("極秘\n人事案について", ["極秘"], MARKING), id="line-start"),
    pytest.param(Case("資料1\n  部外秘\n本文", ["部外秘"], MARKING), id="indented-line"),
    pytest.param(Case("■社外秘 営業資料", ["社外秘"], MARKING), id="bullet"),
    pytest.param(Case("取扱区分：庁内限り", ["庁内限り"], MARKING), id="field"),
    pytest.param(Case("格付: 機密性3", ["機密性3"], MARKING), id="field-kakuzuke"),
    pytest.param(Case("令和7年4月1日　取扱注意", ["取扱注意"], MARKING), id="line-end"),
    pytest.param(Case("関係者限り\n議事概要", ["関係者限り"], MARKING), id="kankeisha"),
    pytest.param(Case("[CONFIDENTIAL] plan", ["[CONFIDENTIAL]"], MARKING), id="english"),
    pytest.param(Case("【外部非公開】", ["【外部非公開】"], MARKING), id="gaibu-hikoukai"),
    pytest.param(Case("機密性２\n○○事業の件", ["機密性２"], MARKING), id="kimitsusei-fw"),
    pytest.param(Case("極秘資料を要約して", ["極秘"], ON_DOCUMENT), id="on-document"),
    pytest.param(
        Case("※共有は庁内限りでお願いします。", ["庁内限り"], ON_DOCUMENT), id="distinctive"
    ),
    pytest.param(Case("配布先では取扱注意扱い。", ["取扱注意"], ON_DOCUMENT), id="atsukai"),
    pytest.param(Case("メモ（※外部提供禁止）", ["（※外部提供禁止）"], MARKING), id="kome-bracket"),
    pytest.param(Case("【秘密文書】　会議", ["【秘密文書】"], MARKING), id="himitsu-bunsho"),
    pytest.param(
        Case("以下は機密性3情報の会議メモです。", ["機密性3情報"], ON_DOCUMENT), id="declared"
    ),
]

EVASION = [
    pytest.param(Case("㊙ 会議資料", ["㊙"], MARKING), id="maru-hi"),
    pytest.param(Case("㊙資料を要約して", ["㊙"], ON_DOCUMENT), id="maru-hi-document"),
    pytest.param(Case("（秘）会議資料", ["（秘）"], MARKING), id="fullwidth-paren"),
    pytest.param(Case("［極秘］", ["［極秘］"], MARKING), id="fullwidth-bracket"),
    pytest.param(Case("部 外 秘", ["部 外 秘"], MARKING), id="letter-spaced"),
    pytest.param(Case("極　秘\n本文", ["極　秘"], MARKING), id="ideographic-spaced"),
    pytest.param(Case(f"【極{ZW}秘】", [(0, 5)], MARKING), id="zero-width"),
    pytest.param(Case("【　秘　】", ["【　秘　】"], MARKING), id="spaces-in-brackets"),
    pytest.param(Case("機密性３\n", ["機密性３"], MARKING), id="fullwidth-digit"),
    # English, kana and spaced markings (issue 12).
    pytest.param(
        Case("CONFIDENTIAL\nShelter staff list", ["CONFIDENTIAL"], MARKING), id="english-own-line"
    ),
    pytest.param(
        Case("Strictly Confidential\n", ["Strictly Confidential"], MARKING),
        id="english-own-line-case",
    ),
    pytest.param(
        Case("INTERNAL USE ONLY Draft budget", ["INTERNAL USE ONLY"], MARKING),
        id="english-capitals-opening",
    ),
    pytest.param(
        Case("Confidential: list of applicants", ["Confidential"], MARKING), id="english-label"
    ),
    pytest.param(Case("Security: Internal", [": Internal"], MARKING), id="english-field"),
    pytest.param(Case("【ごくひ】議事メモ", ["【ごくひ】"], MARKING), id="kana-gokuhi"),
    pytest.param(
        Case("トリアツカイチュウイ\n本文", ["トリアツカイチュウイ"], MARKING),
        id="katakana-own-line",
    ),
    pytest.param(Case("【部・外・秘】", ["【部・外・秘】"], MARKING), id="nakaguro-spaced"),
    pytest.param(Case("【取_扱_注_意】", ["【取_扱_注_意】"], MARKING), id="underscore-spaced"),
    pytest.param(Case("まる秘 資料", ["まる秘"], MARKING), id="maru-hi-kana"),
]

INVALID = [
    pytest.param(Case("会議は非公開とする。"), id="hikoukai-rule"),
    pytest.param(Case("「非公開」とする場合"), id="quoted-in-rule"),
    pytest.param(Case("非公開とする。"), id="hikoukai-line-start-rule"),
    pytest.param(Case("秘密を漏らしてはならない。"), id="himitsu"),
    pytest.param(Case("守秘義務について教えて"), id="shuhi-gimu"),
    pytest.param(Case("秘書課に連絡"), id="hisho"),
    pytest.param(Case("便秘の相談"), id="benpi"),
    pytest.param(Case("機密性２情報とは何ですか"), id="guideline-question"),
    pytest.param(Case("機密情報の取扱いについて"), id="kimitsu-prose"),
    pytest.param(Case("極秘裏に進める"), id="gokuhiri"),
    pytest.param(Case("非公開：3件"), id="count-table"),
    pytest.param(Case("行政文書の不開示情報について"), id="fukaiji"),
    pytest.param(Case("個人情報の取扱いに注意してください"), id="toriatsukai-prose"),
    pytest.param(Case("部外秘とは何ですか"), id="definition-question"),
    pytest.param(Case("個人情報の取扱注意事項"), id="compound-word"),
    pytest.param(Case("機密性2情報を生成AIに入力してよいか"), id="guideline-question-2"),
    pytest.param(Case("Your personal information is kept confidential."), id="english-adjective"),
    pytest.param(
        Case("Confidential consultation is available on Mondays."), id="english-sentence-start"
    ),
    pytest.param(
        Case("Restricted areas are closed during the festival."), id="restricted-sentence"
    ),
    pytest.param(Case("Please do not distribute leaflets here."), id="do-not-distribute-sentence"),
    pytest.param(Case("ひみつの花園"), id="himitsu"),
]


# A marking declared of the document at hand; not a sentence about markings.
DECLARED = [
    pytest.param(Case("※本資料は機密性2\n", ["機密性2"], MARKING), id="declared-line-end"),
    pytest.param(Case("※本資料は㊙", ["㊙"], MARKING), id="declared-maru-hi"),
    pytest.param(Case("以下は極秘の会議メモです。", ["極秘"], MARKING), id="declared-before-noun"),
    pytest.param(Case("この資料は機密性2です。", ["機密性2"], MARKING), id="declared-desu"),
    pytest.param(Case("関係資料は機密性2扱い。", ["機密性2"], MARKING), id="declared-atsukai"),
    pytest.param(Case("本資料は秘密保持契約に基づく"), id="declared-himitsu-word"),
    pytest.param(Case("以下は機密性2の例です"), id="declared-example"),
    pytest.param(Case("この文書は非公開とすることができる"), id="declared-rule"),
]


@pytest.mark.parametrize("case", [*VALID, *EVASION, *INVALID, *DECLARED])
def test_confidential_marker(guard: Guard, case: Case) -> None:
    assert_findings(guard, case, "CONFIDENTIAL_MARKER")
