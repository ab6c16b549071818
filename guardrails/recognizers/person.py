"""Personal names (氏名): Sudachi's 人名 tags plus honorific, role and label context.

Sudachi (``名詞-固有名詞-人名-姓/名/一般``) knows common surnames and given names but
mis-tags some words (国又, 一条 in laws) and misses rare given names, which it splits
into single kanji (柚木|毅|文). The rules, in decreasing order of evidence:

* a name word (人名) with a label before it (申請者：, 担当の, 世帯主) or an honorific /
  title after it (さん, 様, 課長, と申します): 0.85;
* a name word continued by a given name (姓+名, 姓 + rare kanji, 伊藤 さくら, katakana
  names joined by ・): 0.85 when both parts are name words, else 0.6;
* a word Sudachi does not tag as a name, when a field label (氏名：) or a
  self-introduction (担当の堀です) frames it: 0.85; when an honorific or a non-place
  title follows it (扇畑さん, 湯田委員): 0.6;
* hiragana-only given names before an honorific or after a label (see _person_words);
* a surname by Sudachi's *lexicon* — any homograph, not only the reading the analysis
  chose (永田, 八田 read as places, 森 as a common noun; 服|部 cut in two) — framed by a
  role or unit before it, a title or a person's act after it, or as a signature: 0.85
  (signature 0.6). The lexicon ships with ``sudachidict-core``; nothing is downloaded;
* the rest of a list a name opens (委員：岩上輝、杉岡 佳治、岩上; 出席者名簿：林美加子
  （高齢福祉課）、…) and hand-overs between surnames (馬渕→加藤), read on the text as
  lexicon surname + up to three kanji, since Sudachi cuts rare names apart;
* kanji runs ending in an honorific or a personal title (中|野心様, 加藤 開|子委員) that
  split into a lexicon surname and a short given name, unless they are common nouns
  (生活|福祉課長);
* the other writing of a name in brackets after it (池田 修平（イケダシュウヘイ）,
  カタヤマ カノ（片山 佳乃）) when the surname's lexicon reading begins the kana;
* kana names after a person label and a colon (申出人：タテイシケイゾウ), loanwords
  excepted; romanised names (FUJISAWA Koume, Maaya Fukuda) before an honorific, after
  a label or as a mail display name, when every word reads as Japanese syllables;
* a lone 姓 or 名 without context is never reported (laws, place names, 市長 …), nor
  placeholders (〇〇さん, Aさん, 甲様), era names (令和) or common nouns (皆様,
  ご担当者様, 大家さん, 王子様);
* nor the ordinary words of public text that look like those shapes: an office's title
  after a label (出席者：市民課長、総務部長), a place or a common word there (申請者：
  兵庫県, 欠席者：なし), the end of a known word before a "title" (多|様, 同|様), the
  kana ending of a word before an honorific (子|どもさん), a word glued to a numeral
  (第二|十条 委員), a facility's own name (子育て支援センター　みなみ, 保育園たぁそびさん,
  もりのくまさん保育園, 小土のんのん保育園), an honorific doubled (さんさん広場), a name
  right after a company's legal form ((有)池ちゃん家). Law items (三　前二号に掲げる者)
  are kept apart by the NLP engine (see ``squeeze_spaced_letters``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._nlp_engine import NO_NAMES, LexiconNames, Morpheme
from guardrails.recognizers import _foreign_words as vocab
from guardrails.recognizers import _person_words as words
from guardrails.recognizers._chinese_text import ChineseClauses, has_chinese_clause

STRONG = 0.85
WEAK = 0.6

_KANJI = re.compile(r"[\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HIRAGANA = re.compile(r"[\u3041-\u3096\u309d\u309e\u30fc]+")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc-\u30fe]+")
_LETTERS = re.compile(
    r"[\u3005\u3006\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe"
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
# Sudachi glues connectives of legal prose to nouns (国又, 長又, 法等); numerals alone
# (四十四) are article numbers. Numerals inside names are fine (三浦, 健一).
_NOT_LAST_IN_NAMES = frozenset("又等及並若其此")
_NUMERALS = re.compile(r"[一二三四五六七八九十百千万〇]+")
_NAME_JOINERS = frozenset("・= ")
# A company's legal form right before a name: the name is the company's ((有)池ちゃん家,
# 株式会社山田).
_COMPANY_BEFORE = re.compile(
    r"(?:\((?:株|有|同|社|福|医|財)\)|株式会社|有限会社|合同会社|社会福祉法人|医療法人|NPO法人)\Z"
)
# A mascot or character's name in quotes (マスコットキャラクター「やいちゃん」): ちゃん
# there is the character's, not a child's.
_CHARACTER_BEFORE = re.compile(r"(?:キャラクター|キャラ|マスコット|着ぐるみ)[」』]?[「『]\Z")
# A kana nickname with a mascot's suffix (やいちゃん, せんとくん, ふっかちゃん) in a text
# that speaks of characters (グッズ, 着ぐるみ, 登場, ゆるキャラ …): a mascot, not a child.
_MASCOT_SUFFIX = re.compile(r"(?:ちゃん|くん|にゃん|たん|っち)")
_KANA_NICKNAME = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]{2,6}")
MASCOT_CONTEXT = re.compile(
    r"キャラクター|キャラ|マスコット|着ぐるみ|きぐるみ|ぬいぐるみ|グッズ|シール|ステッカー"
    r"|登場|撮影会|写真撮影|共演|コラボ|返礼品|大使|吉祥物|mascot|character|costume",
    re.I,
)


def _across_common_noun(
    ms: Sequence[Morpheme],
    starts: list[int],
    text: str,
    end: int,
    common_noun: Callable[[str], bool] | None,
) -> bool:
    """The "name" is a given name alone and a suffix that, with the character before
    it, is a common noun (園見|学 → 見学 in 園見学): Sudachi's misreading of a word, no
    person (松本|学 keeps its surname: a name)."""
    if common_noun is None or end < 2 or (end - 1) not in starts:
        return False
    at = starts.index(end - 1)
    last, before = ms[at], ms[at - 1] if at > 0 else None
    return (
        last.pos[0] == "接尾辞"
        and before is not None
        and before.pos[2:4] == ("人名", "名")
        and (at < 2 or ms[at - 2].pos[2:4] != ("人名", "姓"))
        and common_noun(text[end - 2 : end])
    )


# A household named by its surname, then one of its members: 宮田のおじいちゃん, 松本の
# おばあちゃん, 高橋の奥さん — the surname is the family's name.
_HOUSEHOLD_MEMBER = re.compile(
    r"(?<![\u3005\u4e00-\u9fff])([\u3005\u4e00-\u9fff]{1,3})(?:さん|さんち|さんとこ)?の"
    r"(?:おじいちゃん|おばあちゃん|おじいさん|おばあさん|お爺さん|お婆さん|奥さん|奥様|旦那さん"
    r"|ご主人|娘さん|息子さん|お嬢さん|お子さん|坊ちゃん|お母さん|お父さん)"
)


def _household_member(
    text: str, ms: Sequence[Morpheme], lexicon: _Lexicon
) -> list[tuple[int, int, float]]:
    found: list[tuple[int, int, float]] = []
    if "の" not in text:
        return found
    for match in _HOUSEHOLD_MEMBER.finditer(text):
        start, end = match.span(1)
        name = match.group(1)
        # One kanji (林の奥さん, 森のおばあちゃん) only opening a clause: 町の奥さん,
        # 隣の奥さん are no names, and a common noun's surname reading needs that frame.
        single = len(name) == 1 and (start == 0 or text[start - 1] in _CLAUSE_OPENERS)
        if (
            (len(name) >= 2 or (single and name not in _NOT_ONE_KANJI_SURNAMES))
            and lexicon.surname(name)
            and (single or not _common_nouns(ms, start, end))
            and name not in words.PLACEHOLDERS
        ):
            found.append((start, end, STRONG))
    return found


_CLAUSE_OPENERS = frozenset("\n 　、。「『：:・")
_NOT_ONE_KANJI_SURNAMES = frozenset(
    "町 村 市 区 県 家 隣 前 上 下 横 裏 奥 東 西 南 北 中 寺 宮 店 先".split()
)


# A surname alone where the words around it can only be about a person or a household,
# as staff note them in a hurry (round 4 of the recall set):
# * its house or household: 吉岡宅を訪問, 矢野家の次男, 金子んとこのおばあちゃん;
# * an act of a person right after it: 平田が怒鳴って, 宮下から苦情, 原口がまた電話;
# * a reception ticket before it: 受付番号12　望月, 整理券 No.48 平井.
# The whole kanji run must be a lexicon surname of two or more kanji and not a common
# word (住宅, 専門家, 国家 and 自宅 never are).
_KANJI_RUN_BEFORE = r"(?<![\u3005\u4e00-\u9fff])([\u3005\u4e00-\u9fff]{2,3})"
_SURNAME_FRAMES = (
    re.compile(_KANJI_RUN_BEFORE + r"(?=宅(?:[をへにでのはが、。\s]|$))"),
    re.compile(
        _KANJI_RUN_BEFORE + r"(?=家の(?:長男|次男|三男|長女|次女|三女|子|孫|娘|息子|嫁|人|犬|猫"
        r"|おじいちゃん|おばあちゃん|お年寄り|老人))"
    ),
    re.compile(_KANJI_RUN_BEFORE + r"(?=(?:さん)?(?:んとこ|んち|のとこ)[のがはにへ])"),
    re.compile(
        _KANJI_RUN_BEFORE + r"(?=(?:が|から)(?:また|再度|窓口で|怒鳴|大声|苦情|電話|来庁|来た|来て"
        r"|暴言|クレーム|抗議))"
    ),
    # a neighbour named by surname: 隣の大庭が, 向かいの熊谷さんから
    re.compile(
        r"(?:隣の|向かいの|近所の|裏の|上の階の|下の階の)([\u3005\u4e00-\u9fff]{2,3})"
        r"(?=(?:さん)?(?:が|から|は|の|に))"
    ),
    re.compile(
        r"(?:受付番号|整理券|番号札|受付No\.?)[ \u3000]*(?:No\.?[ \u3000]*)?[0-9０-９]{1,4}番?[ \u3000]+"
        r"([\u3005\u4e00-\u9fff]{1,4})(?=[ \u3000]*(?:様|さん)?(?:[ \u3000\n（(、]|$))"
    ),
)


def _framed_surnames(
    text: str, ms: Sequence[Morpheme], lexicon: _Lexicon
) -> list[tuple[int, int, float]]:
    found: list[tuple[int, int, float]] = []
    for pattern in _SURNAME_FRAMES:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            name = match.group(1)
            if (
                lexicon.surname(name)
                and not _common_nouns(ms, start, end)
                and name not in words.PLACEHOLDERS
            ):
                found.append((start, end, STRONG))
    return found


# A child's hiragana name after うち / 家 の, as parents say it: うちのはるとが熱を出して.
_OUR_CHILD = re.compile(
    r"(?:うちの|ウチの|我が家の)([\u3041-\u3093]{2,5}?)(?=[がはもをに、。」]|って|った|たら|ちゃん|くん)"
)
# Not a name: words parents say after うちの (うちのこ, うちのむすめ, うちのおや …).
_OUR_NOT_NAMES = frozenset(
    "こ こども こどもたち むすこ むすめ おや おっと つま よめ まご あかちゃん あかんぼう"
    " おとうと いもうと あに あね ちち はは じじ ばば ばあちゃん じいちゃん ひと いぬ ねこ"
    " ほう もの ことも こと ちかく まえ なか".split()
)


def _our_child(text: str, ms: Sequence[Morpheme]) -> list[tuple[int, int, float]]:
    found: list[tuple[int, int, float]] = []
    if "の" not in text:
        return found
    for match in _OUR_CHILD.finditer(text):
        start, end = match.span(1)
        if match.group(1) in _OUR_NOT_NAMES or _common_nouns(ms, start, end):
            continue
        found.append((start, end, STRONG))
    return found


# A given name where only a person's given name stands, as families and staff speak of
# a child or a spouse (round 5 of the recall set). The name is a word Sudachi's lexicon
# lists as a given name (名) — in kanji, any homograph: 光, 愛, 杏 are common nouns too —
# or kana that is no common word; the frame is the evidence:
# * a kin noun and の before it: 次男の光は, 娘の愛が, 妻の恵子さん, 兄の誠さん;
# * a family word after it: 由紀夫じいちゃん, 岳の母です, あおいのお母さん;
# * an age or a school year in brackets after it: 杏（年長）, ゆずき（5歳）;
# * a child's mishap after it and が, as a parent reports it: 翔がまだ帰ってこない,
#   匠が怪我をした.
_KIN_NOUNS_BEFORE = (
    "妻|夫|息子|娘|長男|次男|三男|長女|次女|三女|兄|弟|姉|妹|孫|孫娘|祖母|祖父|甥|姪|嫁|婿"
    "|主人|家内|末っ子|長兄|父|母|子"
)
_GIVEN = r"([\u3005\u4e00-\u9fff]{1,3}|[\u3041-\u3093]{2,4}|[\u30a1-\u30fa\u30fc]{2,6})"
_BOUNDARY = r"(?:(?<=^)|(?<=[\s\u3000「『（(、。，,：:・]))"
_GIVEN_FRAMES = (
    re.compile(
        rf"(?<![\u3005\u4e00-\u9fff])(?:{_KIN_NOUNS_BEFORE})の{_GIVEN}"
        r"(?=(?:さん|ちゃん|くん|君)?(?:[がはもをにと、。（(」]|$|\s))",
        re.M,
    ),
    re.compile(
        rf"{_BOUNDARY}{_GIVEN}(?=(?:お?じいちゃん|お?ばあちゃん|じいさん|ばあさん|にいちゃん|ねえちゃん"
        r"|兄ちゃん|姉ちゃん|の(?:母|父|母親|父親|祖母|祖父|お母さん|お父さん|ママ|パパ)(?:です|から|より|が|は|、|。)))",
        re.M,
    ),
    re.compile(
        rf"{_BOUNDARY}{_GIVEN}(?=(?:ちゃん|くん|君)?[（(](?:[0-9０-９]{{1,2}}歳|年長|年中|年少|乳児"
        r"|小[1-6１-６一二三四五六]|中[1-3１-３一二三]|高[1-3１-３一二三]|[1-6１-６]年生?)[）)])",
        re.M,
    ),
    re.compile(
        rf"{_BOUNDARY}{_GIVEN}(?=が(?:まだ|また|急に|朝から|昨日から|夜中に)?(?:帰ってこな|帰ってきて"
        r"|帰らな|戻らな|いなくな|見つから|怪我|けが|ケガ|熱を|熱が|発熱|風邪|泣いて|学校を休|保育園を休))",
        re.M,
    ),
)
# Kana after a kin noun and の that are words, not names (娘のほう, 母のこと).
_KANA_NOT_GIVEN = frozenset(
    "ほう こと もの ため ところ とき ころ よう わけ ぶん かた ひと いえ うち へや がっこう"
    " ようす せわ びょうき けが ねつ かぞく ともだち".split()
)


# One-kanji names (光, 愛) after these kin nouns only: 母の日, 父の代, 子の年齢 and 母の愛
# are phrases of public text.
_GENERIC_KIN = frozenset("父 母 子".split())


def _given_names_framed(
    text: str,
    ms: Sequence[Morpheme],
    lexicon: _Lexicon,
    common_noun: Callable[[str], bool] | None,
) -> list[tuple[int, int, float]]:
    found: list[tuple[int, int, float]] = []
    for number, pattern in enumerate(_GIVEN_FRAMES):
        for match in pattern.finditer(text):
            start, end = match.span(1)
            name = match.group(1)
            if name in words.NOT_NAMES or name in words.PLACEHOLDERS or name in _KANA_NOT_GIVEN:
                continue
            if _is_kanji(name):
                if "名" not in lexicon.names(name).kinds:
                    continue
                if number == 0 and len(name) == 1 and text[start - 2] in _GENERIC_KIN:
                    if start < 3 or text[start - 3] not in "祖長次三孫":
                        continue
            elif _HIRAGANA.fullmatch(name):
                if (
                    _common_nouns(ms, start, end)
                    or _inside_known_word(ms, start, end)
                    or _has_grammar(ms, start, end)
                ):
                    continue  # うちのこ, ほうこく: words, not a name
            elif name.endswith("ー") or (common_noun is not None and common_noun(name)):
                continue  # katakana: a loanword (センター, ママ) is no name
            found.append((start, end, STRONG))
    return found


def _has_grammar(ms: Sequence[Morpheme], start: int, end: int) -> bool:
    """A case particle strictly inside ``[start, end)`` (うち|の|こ); not one ending it
    nor an auxiliary, which Sudachi reads into kana names (かい|と, ゆず|き)."""
    return any(
        start < m.start and m.end < end and m.pos[0] == "助詞" and m.surface in _PARTICLES
        for m in ms
    )


# A surname, a space and a given name before an honorific, wherever it stands (in
# brackets after an e-mail address: …＠docomo.ne.jp（鬼頭 真一様）): both words by the
# lexicon, the surname as 姓 and the given name as 名.
_SPACED_FULL_NAME = re.compile(
    r"(?<![\u3005\u4e00-\u9fff])([\u3005\u4e00-\u9fff]{1,3})[ \u3000]([\u3005\u4e00-\u9fff]{1,3})"
    r"(?=様|さん|さま|氏|殿)"
)


# After a person label, two spaced kanji words whose second is a given name are a full
# name even when the surname is also a common word (子の氏名 一口 陽葵, 母 一口 紗季,
# 名簿（抜粋）：石動 弥生、…).
_LABELLED_FULL_NAME = re.compile(
    r"(?:氏名|父|母|夫|妻|世帯主|届出人|申請者|相談者|保護者|長男|長女|次男|次女|名簿(?:[（(][^）)\n]{0,8}[）)])?)"
    r"[ \u3000]*[:：]?[ \u3000]*"
    r"([\u3005\u4e00-\u9fff]{1,3})[ \u3000]([\u3005\u4e00-\u9fff]{1,3})(?=[ \u3000、，,。\n（(]|$)"
)


def _spaced_full_names(text: str, lexicon: _Lexicon) -> list[tuple[int, int, float]]:
    if " " not in text and "\u3000" not in text:
        return []
    found = [
        (match.start(1), match.end(2), STRONG)
        for match in _SPACED_FULL_NAME.finditer(text)
        if lexicon.surname(match.group(1)) and "名" in lexicon.names(match.group(2)).kinds
    ]
    found += [
        (match.start(1), match.end(2), STRONG)
        for match in _LABELLED_FULL_NAME.finditer(text)
        if "名" in lexicon.names(match.group(2)).kinds and match.group(1) not in words.NOT_NAMES
    ]
    return found


def _inside_known_word(ms: Sequence[Morpheme], start: int, end: int) -> bool:
    """``[start, end)`` cuts a Sudachi word of several characters (ほうこく → ほう|こく)."""
    return any(
        m.start < end and start < m.end and (m.start < start or m.end > end) and len(m.surface) > 1
        for m in ms
    )


# A katakana name before its country in brackets: 母 ミカエラ（フィリピン国籍）.
# A place before its country (セント・キルダ（イギリス）) is news, not a resident: the
# country is a nationality (国籍, 出身, 人), or an honorific or a kin or person label frames
# the name.
_KATAKANA_WITH_COUNTRY = re.compile(
    r"(?<![\u30a1-\u30fa\u30fc])([\u30a1-\u30fa\u30fc・＝]{2,16})(?P<honorific>さん|様)?[（(]"
    rf"(?:{'|'.join(vocab.COUNTRIES_KATAKANA)})(?P<nationality>国籍|人|出身|籍)?[）)]"
)
_PERSON_LABEL_BEFORE = re.compile(
    r"(?:母|父|夫|妻|息子|娘|長男|長女|次男|次女|相談者|申請者|来庁者|届出人|世帯主|保護者|通訳)"
    r"[ \u3000:：]?\Z"
)
# A surname, then its former surname in brackets: 和泉（旧姓 安座間）さん.
_FORMER_SURNAME = re.compile(
    r"(?<![\u3005\u4e00-\u9fff])([\u3005\u4e00-\u9fff]{1,3})[（(]旧姓[ \u3000:：]?([\u3005\u4e00-\u9fff]{1,3})[）)]"
)


def _names_beside_asides(
    text: str, lexicon: _Lexicon, common_noun: Callable[[str], bool] | None
) -> list[tuple[int, int, float]]:
    found: list[tuple[int, int, float]] = []
    if "（" in text or "(" in text:
        for match in _KATAKANA_WITH_COUNTRY.finditer(text):
            name = match.group(1)
            framed = (
                match.group("honorific")
                or match.group("nationality")
                or _PERSON_LABEL_BEFORE.search(text, max(0, match.start() - 5), match.start())
            )
            if (
                framed
                and name not in vocab.COUNTRIES_KATAKANA
                and not (common_noun is not None and common_noun(name))
            ):
                found.append((*match.span(1), STRONG))
        for match in _FORMER_SURNAME.finditer(text):
            for group in (1, 2):
                if lexicon.surname(match.group(group)):
                    found.append((*match.span(group), STRONG))
    return found


# A name that a memorial or a prize carries (小泉八雲記念館, 岡本太郎記念館), or an author
# before the title of a work (夏目漱石の「坊っちゃん」): a public name, not a resident's.
_WORK_OR_MEMORIAL_AFTER = re.compile(
    r"(?:記念館|記念室|記念公園|記念碑|文学館|美術館|旧居|生家|の銅像|賞(?![与味])|の[「『](?=[^」』\n]{1,30}[」』]を?(?:読|鑑賞|上演|朗読|観)))"
)


def _character_nickname(text: str, start: int, end: int) -> bool:
    return (
        _KANA_NICKNAME.fullmatch(text, start, end) is not None
        and _MASCOT_SUFFIX.match(text, end) is not None
        and MASCOT_CONTEXT.search(text) is not None
    )


# A surname at a line or field start, then a bracket opening with a phone number or a
# municipality and a number (see _contact_in_brackets).
_SURNAME_WITH_CONTACT = re.compile(
    r"(?:^|(?<=[\n :：]))([\u3005\u4e00-\u9fff]{1,4}(?: [\u3005\u4e00-\u9fff]{1,3})?)\("
    r"(?=0[0-9]{1,4}[-(]?[0-9]|[\u4e00-\u9fff]{1,4}[都道府県市区町村][\u4e00-\u9fff]{0,8}[0-9])",
    re.M,
)
# A "name" that ends in a facility or office word is that facility (大井川庁舎 after
# 市民課、 read as a unit's person and a given name).
_FACILITY_ENDS = ("庁舎", "支所", "出張所", "役所", "役場", "窓口", "センター", "会館", "公民館")
# A castle named after its place (田中城, 掛川城): a name of three kanji or more ending
# in 城 with no honorific — two-kanji surnames ending in 城 (金城, 宮城) stay names.
_CASTLE = re.compile(r"[\u3005\u4e00-\u9fff]{2,3}城")
# A lot number right after the "name": a town in an address (坂本971-5), not a person.
# Phone numbers start with 0, lot numbers do not.
# A lot number alone (宗高900）, 小土961番地) closes a bracket or a list item, or ends
# in 番地: three or four digits, so that a numbered item (田中2）) is not one.
_LOT_NUMBER_AFTER = re.compile(
    r"[1-9][0-9]{0,3}(?:-[0-9]{1,4}){1,2}(?![0-9])|[1-9][0-9]{2,3}(?:番地|(?=[）)、,]))"
)
# Particles a name is followed by (田中幹子の|センター前): not a kana cut off the name.
_PARTICLES = frozenset("のがはをにでとへもや")
_FIELD_SEPARATORS = frozenset([":", "：", " ", "="])
_SEPARATORS = _FIELD_SEPARATORS | frozenset(["の", "は", "が", "、", ",", "「", "『", "("])
_GRAMMAR = frozenset(["助詞", "助動詞"])
_NOUNISH = frozenset(["名詞", "接頭辞"])
_NOUNISH_OR_SUFFIX = frozenset(["名詞", "接尾辞"])


def _is_kanji(s: str) -> bool:
    return _KANJI.fullmatch(s) is not None


def _is_kana(s: str) -> bool:
    return _HIRAGANA.fullmatch(s) is not None or _KATAKANA.fullmatch(s) is not None


class PersonRecognizer(EntityRecognizer):
    """Recognise personal names from the Sudachi morphemes of the NLP artifacts."""

    HONORIFICS: ClassVar[frozenset[str]] = words.HONORIFICS
    ROLES_AFTER: ClassVar[frozenset[str]] = words.ROLES_AFTER
    ROLES_BEFORE: ClassVar[frozenset[str]] = words.ROLES_BEFORE
    SUPPORTED_ENTITY: ClassVar[str] = "PERSON"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def __init__(
        self,
        honorifics: Sequence[str] | None = None,
        roles_after: Sequence[str] | None = None,
        roles_before: Sequence[str] | None = None,
        supported_language: str | None = None,
    ) -> None:
        self.honorifics = frozenset(self.HONORIFICS if honorifics is None else honorifics)
        self.roles_after = frozenset(self.ROLES_AFTER if roles_after is None else roles_after)
        self.roles_before = frozenset(self.ROLES_BEFORE if roles_before is None else roles_before)
        self._personal_roles = self.roles_after - words.PLACE_ROLES
        # See _framing: words that may frame the next words, or the previous ones.
        self._labels = self.roles_before | words.PERSON_FIELD_LABELS
        self._frames_next = self._labels | {"。"}
        self._frames_previous = _FRAMING_AFTER | self.roles_after | _TITLE_HEADS
        # Where a given name stops: 斎藤 七夏|委員, 野口 彩絵美|さん.
        self._stops = self.honorifics | self.roles_after | words.FIELD_WORDS
        # Titles in kanji that end a kanji name (中野心様, 加藤 開子委員), longest first;
        # not the titles a place takes (中野区長).
        titles = sorted(
            (t for t in (self.honorifics | self.roles_after) - words.PLACE_ROLES if _is_kanji(t)),
            key=len,
            reverse=True,
        )
        # One regex for "ends with a title", and the titles' last characters to skip
        # most kanji runs without it (a prompt has dozens of runs).
        self._title_suffix = re.compile("(?:" + "|".join(map(re.escape, titles)) + ")$")
        self._title_last_chars = frozenset(t[-1] for t in titles)
        super().__init__(
            supported_entities=[self.SUPPORTED_ENTITY],
            name=type(self).__name__,
            supported_language=supported_language or self.SUPPORTED_LANGUAGE,
            context=[],
        )

    def load(self) -> None:
        """Nothing to load: the Sudachi dictionary belongs to the NLP engine."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Names found in the morphemes of ``nlp_artifacts`` (none without them)."""
        ms: Sequence[Morpheme] = getattr(nlp_artifacts, "morphemes", ())
        lexicon = _Lexicon(
            getattr(getattr(nlp_artifacts, "nlp_engine", None), "lexicon_names", None)
        )
        lexicon.framed = self._framing(ms)
        spans: list[tuple[int, int, float]] = []
        i = 0
        while i < len(ms):
            # Names are nouns (or start with a prefix word); skip the rest cheaply.
            if ms[i].pos[0] not in _NOUNISH:
                i += 1
                continue
            found = self._name_at(ms, i, lexicon)
            if found is None:
                i += 1
                continue
            last, score = found
            start = i - 1 if i > 0 and self._split_surname_head(ms, i) else i
            spans.append((ms[start].start, ms[last].end, score))
            # The rest of a list the name opens: 委員：岩上輝、杉岡 佳治、岩上.
            end = ms[last].end
            for item_start, item_end in _list_items(text, end, ms, lexicon):
                spans.append((item_start, item_end, score))
                end = item_end
            i = last + 1
            while i < len(ms) and ms[i].start < end:
                i += 1
        grammar = {m.start: m.end for m in ms if m.pos[0] in _GRAMMAR}
        starts = [m.start for m in ms]
        spans += [
            (start, end, WEAK)
            for start, end in words.kana_given_names(
                text, grammar, lambda at: _inside_word(ms, starts, at) is not None
            )
        ]
        spans += [
            (start, end, STRONG)
            for start, end in words.kana_full_names(text)
            if not _one_common_word(ms, start, end)
        ]
        spans += self._kanji_names_before_titles(text, ms, lexicon)
        spans += _contact_in_brackets(text, lexicon)
        spans += _household_member(text, ms, lexicon)
        spans += _framed_surnames(text, ms, lexicon)
        spans += _our_child(text, ms)
        common_noun = getattr(getattr(nlp_artifacts, "nlp_engine", None), "common_noun", None)
        spans += _given_names_framed(text, ms, lexicon, common_noun)
        spans += _names_beside_asides(text, lexicon, common_noun)
        spans += _spaced_full_names(text, lexicon)
        spans += _bracketed_readings(text, spans, ms, lexicon)
        # Chinese clauses are the Chinese recogniser's: Sudachi reads their fragments
        # as Japanese given names (每周一和周四收集 → 周一, 和周, 收).
        chinese = ChineseClauses(text) if has_chinese_clause(text) else None
        return [
            self._result(start, end, score)
            for start, end, score in spans
            if not _COMPANY_BEFORE.search(text, max(0, start - 8), start)
            and not _CHARACTER_BEFORE.search(text, max(0, start - 12), start)
            and not _character_nickname(text, start, end)
            and not _WORK_OR_MEMORIAL_AFTER.match(text, end)
            and not (chinese is not None and chinese.covers(start, end))
            and not _names_a_facility(ms, starts, end)
            and not text[start:end].endswith(_FACILITY_ENDS)
            and not _CASTLE.fullmatch(text, start, end)
            and not _LOT_NUMBER_AFTER.match(text, end)
            and not _across_common_noun(ms, starts, text, end, common_noun)
        ]

    # -- the rules --------------------------------------------------------------------
    def _name_at(
        self, ms: Sequence[Morpheme], i: int, lexicon: _Lexicon
    ) -> tuple[int, float] | None:
        """(index of the name's last morpheme, score) for a name starting at ``i``."""
        m = ms[i]
        if not _name_like(m) or m.surface in words.PLACEHOLDERS or m.surface in words.NOT_NAMES:
            return None
        if _is_name_word(m) or _KATAKANA.fullmatch(m.surface):
            labelled = self._label_before(ms, i, self.roles_before) and not _facility_own_name(
                ms, i
            )
            last, parts, tagged = _extend_name(ms, i, self._stops, labelled=labelled)
            if tagged and _names_a_branch(ms, i, last):
                return None
            if tagged:
                if labelled or self._title_after(ms, last) or _recipient_after_address(ms, i, last):
                    return last, STRONG
                # Names are written in kanji (or katakana): words in hiragana that
                # Sudachi tags as given names are the words of kana text — やさしい日本語
                # (まい|しゅう, しゅう にち) — unless a label or a title frames them.
                if all(
                    _HIRAGANA.fullmatch(w.surface) for w in ms[i : last + 1] if w.surface != " "
                ) and not self._label_before(ms, _kana_run_start(ms, i), self._labels):
                    return None
                # Two single kanji (史|公, 治|法) are mostly a word cut by Sudachi or by
                # the edge of a pasted excerpt: such short names need context.
                long_enough = ms[last].end - m.start >= 3
                if parts < 2 and self._alone_on_line(ms, i, last):
                    return None if _has_numeral(ms, i, last) else (last, WEAK)
                if parts < 2 or not long_enough or self._not_person_after(ms, last):
                    return self._surname_in_context(ms, i, lexicon)
                if tagged >= 2:
                    return last, STRONG
                # Half-known names must also stand as a word of their own: not glued
                # to kanji on either side (第四章 歴史公文書, 旨二 入管法第十八条).
                if _glued(ms, i - 1) or _glued(ms, last + 1):
                    return None
                return last, WEAK
        return self._untagged_name_at(ms, i, lexicon)

    def _untagged_name_at(
        self, ms: Sequence[Morpheme], i: int, lexicon: _Lexicon
    ) -> tuple[int, float] | None:
        """Words Sudachi does not tag as names, framed as names by their context."""
        m = ms[i]
        if self._label_before(ms, i, words.NAME_LABELS, strict=True) and _may_be_name(
            ms, i, lexicon
        ):
            return _extend_name(ms, i, self._stops)[0], STRONG
        surname = self._surname_in_context(ms, i, lexicon)
        if surname is not None:
            return surname
        if self._label_before(ms, i, words.SELF_INTRO_LABELS, joiner="の"):
            last = _kanji_run_end(ms, i, self._stops)
            # センターの共催です, 市民課の所管です: an act noun, not a name.
            act = last == i and m.pos[:3] == ("名詞", "普通名詞", "サ変可能")
            if last is not None and _is_copula(ms, last + 1) and not act:
                return last, STRONG
        if (
            i + 2 < len(ms)
            and ms[i + 1].surface == " "
            and len(m.surface) <= 3
            and not _glued(ms, i - 1)
        ):
            # A surname read as a common noun, a space, a given name, a title:
            # 出口 典飛さん, 目黒 政大委員 — not the end of a longer word (第百八十三|条
            # 選挙管理委員) nor before a run of common nouns (選挙|管理).
            spaced = _spaced_given_name(ms, i + 2, m, self._stops)
            if (
                spaced is not None
                and self._title_after(ms, spaced[0])
                and not _compound_word(ms, i + 2, spaced[0])
            ):
                return spaced[0], STRONG
        after = ms[i + 1] if i + 1 < len(ms) else None
        if after is None:
            return None
        proper = m.oov or (m.pos[1] == "固有名詞" and m.pos[2] != "組織")
        # A place takes place titles (横浜市長, 東京都知事), not personal ones.
        if proper and after.surface in self.roles_after - words.PLACE_ROLES:
            return i, WEAK
        if after.lemma not in self.honorifics or _honorific_of_a_thing(ms, i + 1):
            return None
        # Common nouns take honorifics too (お客様, 大家さん, ご担当者様): a short kanji
        # common noun is a surname (星様) only when it is none of those and follows
        # no お/ご prefix.
        # 旧氏, 同氏, 両氏: a prefix-like kanji before 氏 is a word, not a surname.
        if proper or (
            _is_kanji(m.surface)
            and m.surface not in _NOT_ALONE
            and len(m.surface) <= 3
            and not words.honored_common_noun(m.surface)
            and not (i > 0 and ms[i - 1].pos[0] == "接頭辞")
        ):
            return i, WEAK
        return None

    def _surname_in_context(
        self, ms: Sequence[Morpheme], i: int, lexicon: _Lexicon
    ) -> tuple[int, float] | None:
        """A surname by the lexicon (any homograph: 永田, 森 — see
        ``SudachiNlpEngine.lexicon_names``), or two words Sudachi cut one apart (服|部),
        framed as a person by its context: a role or unit before it (職員の森,
        生活福祉課服部へ, 委員：松本学), a title or a person's act after it (永田課|長,
        八田が現地確認), or ending a message as its signature (…お願いします。村上).
        Other readings of the same word (八田 the place, 森 the wood) do not take these."""
        if i not in lexicon.framed or not _surname_shaped(ms, i):
            return None
        labelled = self._label_before(ms, i, self.roles_before) or self._label_before(
            ms, i, words.PERSON_FIELD_LABELS, strict=True, glued=True
        )
        if not labelled and not any(
            self._title_after(ms, k) or self._signature(ms, i, k) or _arrow_after(ms, k)
            for k in (i, i + 1)
            if k < len(ms)
        ):
            return None  # most nouns: no context, so no dictionary look-up
        head = _surname_head(ms, i, lexicon)
        if head is None:
            return None
        # 大家さん, お客様: common nouns that take honorifics, though also surnames.
        tagged = _is_name_word(ms[i]) and head == i
        if not tagged and (
            words.honored_common_noun(ms[i].surface) or (i > 0 and ms[i - 1].pos[0] == "接頭辞")
        ):
            return None
        last = _extend_name(ms, head, self._stops, labelled=labelled)[0] if labelled else head
        if _names_a_branch(ms, head, last):
            return None
        if labelled and not _glued(ms, last + 1):
            return last, STRONG
        # A place takes place titles (長野市長): they need Sudachi's own 人名 tag.
        if self._title_after(ms, last, place_titles=tagged):
            return last, STRONG
        if head == last and self._signature(ms, i, last):
            return last, WEAK
        # A hand-over between two surnames, one of them tagged 人名 by Sudachi:
        # 休暇中の引継ぎ（馬渕→加藤）.
        if (
            _arrow_after(ms, last)
            and (tagged or _is_name_word(ms[last + 2]))
            and _surname_head(ms, last + 2, lexicon) is not None
        ):
            return last, WEAK
        return None

    def _framing(self, ms: Sequence[Morpheme]) -> frozenset[int]:
        """Indices of the words that a context of ``_surname_in_context`` could frame —
        one pass over the scan's words, so that the rule's checks (and its dictionary
        look-ups) run only for these: the words after a label, a unit, a sentence or a
        line (up to two, a separator between), and the words before an honorific, a
        title, a particle of acting or naming, a memo's へ or an arrow (up to three: a
        split surname, a space)."""
        framed: set[int] = set()
        frames_next, frames_previous = self._frames_next, self._frames_previous
        honorifics, units = self.honorifics, words.UNIT_SUFFIXES
        for j, m in enumerate(ms):
            surface = m.surface
            if surface in frames_next or m.pos[0] == "接尾辞" or surface.endswith(units):
                framed.update((j + 1, j + 2))
            if surface in frames_previous or m.lemma in honorifics:
                framed.update((j - 1, j - 2, j - 3))
            elif "\n" in surface:
                framed.update((j - 3, j - 2, j - 1, j + 1, j + 2))
        return frozenset(framed)

    def _kanji_names_before_titles(
        self, text: str, ms: Sequence[Morpheme], lexicon: _Lexicon
    ) -> list[tuple[int, int, float]]:
        """Kanji names Sudachi cut into other words (中|野心様, 加藤 開|子委員, 担当は
        東輝|里です), found on the text: a run of kanji that ends in an honorific or a
        personal title, or follows 担当は / 担当の and precedes です, and that starts with
        a surname of the lexicon (1–3 kanji, the longest) followed by at most three
        kanji of a given name — and is not a run of common nouns (生活福祉課長: 生 is a
        surname too)."""
        found: list[tuple[int, int, float]] = []
        starts = [m.start for m in ms]
        for run in _KANJI_RUN.finditer(text):
            start, end = run.span()
            letters = run.group()
            title = None
            if letters[-1] in self._title_last_chars:
                suffix = self._title_suffix.search(letters, 1)
                title = suffix.group() if suffix else None
            if title is not None:
                end -= len(title)
                # A known word runs across: the "title" ends that word (多|様 in 多様,
                # 同|様); an unknown word (就様, Sudachi's guess) proves nothing.
                word = _inside_word(ms, starts, end)
                if word is not None and not word.oov:
                    continue
            elif not (
                text.startswith(("です", "と申します", "でございます"), end)
                and _SELF_INTRO_BEFORE.search(text, max(0, start - 4), start)
            ) and not self._self_reference(text, start, end, lexicon):
                continue
            name = text[start:end].rstrip(" ")
            # 王子様, 大家さん, 先生様: nouns that take honorifics, though also surnames.
            if name in words.PLACEHOLDERS or words.honored_common_noun(name):
                continue
            if _lexicon_name(name, lexicon) and not _common_nouns(ms, start, start + len(name)):
                found.append((start, start + len(name), STRONG))
        return found

    @staticmethod
    def _self_reference(text: str, start: int, end: int, lexicon: _Lexicon) -> bool:
        """A writer naming themself at the start of a sentence, as a letter or a
        voicemail opens (佐野です。息子の…; お世話になっております。金子です。): the run is
        a whole surname by the lexicon (not a surname plus guessed kanji, so that 本日
        or 今回 are not read as 本|日, 今|回) and です closes the clause."""
        opens = start == 0 or text[start - 1] in _SENTENCE_OPENERS
        # A phone call or a visit opens with a word first (もしもし、谷口です; あ、菅野
        # ですけど; はい、米田です): the same self-reference, after that word and 、.
        spoken = not opens and _SPOKEN_OPENING.search(text, max(0, start - 12), start)
        after = _SELF_REFERENCE_AFTER if not spoken else _SPOKEN_SELF_REFERENCE_AFTER
        return (
            (opens or bool(spoken))
            and after.match(text, end) is not None
            and lexicon.surname(text[start:end])
        )

    def _signature(self, ms: Sequence[Morpheme], i: int, last: int) -> bool:
        """A lone surname closing a message: after a sentence's 。 (or a line break)
        and before the end of the line (…お願いします。村上⏎, …。\n斉藤)."""
        before = ms[i - 1].surface if i > 0 else ""
        after = ms[last + 1].surface if last + 1 < len(ms) else "\n"
        return i > 0 and (before == "。" or before.endswith("\n")) and after.startswith("\n")

    def _split_surname_head(self, ms: Sequence[Morpheme], i: int) -> bool:
        """Sudachi cuts some rare surnames after their first kanji (鈴|村佐|豊美)."""
        head = ms[i - 1]
        return (
            _fragment(head)
            and head.surface not in self.roles_before
            and head.end == ms[i].start
            and (i < 2 or not _is_kanji(ms[i - 2].surface[-1:]))
        )

    @staticmethod
    def _not_person_after(ms: Sequence[Morpheme], last: int) -> bool:
        """A thing named after the name (山田商店, 小土のんのん保育園 — where Sudachi may
        cut one kana of the name off as a particle: のんの|ん|保育園)."""
        j = last + 1
        if j >= len(ms):
            return False
        if ms[j].surface in words.NOT_PERSON_AFTER:
            return True
        surface = ms[j].surface
        cut_off = len(surface) == 1 and _is_kana(surface) and surface not in _PARTICLES
        return cut_off and j + 1 < len(ms) and ms[j + 1].surface in words.NOT_PERSON_AFTER

    def _title_after(self, ms: Sequence[Morpheme], last: int, *, place_titles: bool = True) -> bool:
        """An honorific or title after ``ms[last]`` (a space allowed), or a verb of
        naming or acting. ``place_titles``: also titles a place takes (市長, 知事)."""
        j = last + 1
        if j < len(ms) and ms[j].surface == " ":
            j += 1
        if j >= len(ms):
            return False
        word = ms[j]
        following = ms[j + 1].surface if j + 1 < len(ms) else ""
        roles = self.roles_after if place_titles else self._personal_roles
        # Sudachi cuts some titles after a name in two (永田|課|長, 鶴田|課|長).
        if (
            (word.lemma in self.honorifics and not _honorific_of_a_thing(ms, j))
            or word.surface in roles
            or word.surface + following in roles
        ):
            return True
        two = following + (ms[j + 2].surface if j + 2 < len(ms) else "")
        # 佐藤と申します, キタジマと名乗る方; 坂が担当, 吉山が現地確認 (a person acts);
        # 小泉へ。 (memo to)
        return (
            (word.surface == "と" and j + 1 < len(ms) and ms[j + 1].lemma in ("申す", "名乗る"))
            # A household after its address (c/o): 鈴木方, 鈴木様方, 中川方です — 方
            # alone after a surname Sudachi tags, ending the word (not 田中方式).
            # (A surname Sudachi reads as a place, 松本方, is a proper noun too; the
            # lexicon confirms it in _surname_in_context.)
            or (
                word.surface == "方"
                and ms[last].pos[1] == "固有名詞"
                and not (_KANJI.match(following) or _KATAKANA.match(following))
            )
            or (word.surface in ("が", "は") and bool(words.PERSON_ACTIONS & {following, two}))
            or (word.surface == "へ" and following in ("。", "\n", ""))
        )

    @staticmethod
    def _alone_on_line(ms: Sequence[Morpheme], i: int, last: int) -> bool:
        """A signature: the name is the whole line (…お願いします。\n村上\n)."""
        before = ms[i - 1].surface if i > 0 else "\n"
        after = ms[last + 1].surface if last + 1 < len(ms) else "\n"
        return before.endswith("\n") and after.startswith("\n")

    @staticmethod
    def _label_before(
        ms: Sequence[Morpheme],
        i: int,
        labels: frozenset[str],
        *,
        strict: bool = False,
        joiner: str | None = None,
        glued: bool = False,
    ) -> bool:
        """A label word right before ``i``, joined by a separator. ``strict``: only a
        colon, a space or = (申請者の住所 does not make 住所 a name); ``joiner``: exactly
        that word; ``glued``: the label may also touch the word (氏名松崎, 名義林)."""
        j = i - 1
        allowed = {joiner} if joiner else (_FIELD_SEPARATORS if strict else _SEPARATORS)
        if j >= 0 and ms[j].surface in allowed:
            j -= 1
        elif (strict or joiner) and not glued:
            return False
        if j < 0:
            return False
        label = ms[j].surface
        if ms[j].pos[0] == "接尾辞" and j > 0:  # 対応|者, 記録|者
            label = ms[j - 1].surface + label
        # ごみ減量推進課 山田: a unit's name ends the label.
        return label in labels or (not strict and label.endswith(words.UNIT_SUFFIXES))

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.SUPPORTED_ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


_ADDRESS_ENDS = frozenset(["号", "番地", "番", "号室"])
_PHRASE_ENDS = frozenset(["、", "。", ",", ".", ")", "）", " ", "\u3000"])


def _names_a_branch(ms: Sequence[Morpheme], first: int, last: int) -> bool:
    """The words end in, or stand before, a branch office named after its place
    (法務局藤枝支局, 島田支局では) — not its head (支局長)."""
    return any(
        ms[k].surface in words.BRANCH_OFFICES
        and not (k + 1 < len(ms) and ms[k + 1].surface.startswith("長"))
        for k in range(first, min(last + 2, len(ms)))
    )


def _recipient_after_address(ms: Sequence[Morpheme], i: int, last: int) -> bool:
    """A name right after a street address and a space, ending the phrase: the person
    who lives there or receives the letter (窓口：焼津市栄町1-2-3 山田⏎) — a label
    before the address does not make the name an office's."""
    j = i - 1
    gap = j >= 0 and ms[j].surface in (" ", "\u3000")
    if gap:
        j -= 1
    if j < 0 or not (ms[j].pos[1] == "数詞" or ms[j].surface in _ADDRESS_ENDS):
        return False
    if not gap and ms[j].end == ms[i].start:
        return False  # glued to the number: 3号棟, 2番館
    after = ms[last + 1].surface if last + 1 < len(ms) else "\n"
    return after.startswith("\n") or after in _PHRASE_ENDS


def _kana_run_start(ms: Sequence[Morpheme], i: int) -> int:
    """Index of the first word of the run of hiragana words glued together that ends
    with ``ms[i]`` (申出人：たか|つ|か|もり|ひろ → たか)."""
    while i > 0 and ms[i - 1].end == ms[i].start and _HIRAGANA.fullmatch(ms[i - 1].surface):
        i -= 1
    return i


def _letters(surface: str) -> bool:
    return _LETTERS.fullmatch(surface) is not None


def _name_like(m: Morpheme) -> bool:
    """A noun of letters only (kanji and/or kana) that could be (part of) a name."""
    surface = m.surface
    if m.pos[0] not in ("名詞", "接頭辞") or not _letters(surface):
        return False
    if len(surface) == 1 and not _is_kanji(surface):
        return False  # イ, ホ: list items in laws
    return surface[-1] not in _NOT_LAST_IN_NAMES and not _NUMERALS.fullmatch(surface)


def _is_name_word(m: Morpheme) -> bool:
    return m.pos[1] == "固有名詞" and m.pos[2] == "人名" and _name_like(m)


def _fragment(word: Morpheme) -> bool:
    """One kanji that may be part of a rare given name (西澤|順|士, 野島|貴|瑞)."""
    return (
        len(word.surface) == 1
        and word.pos[0] in ("名詞", "接尾辞", "接頭辞")
        and word.surface not in words.NOT_GIVEN
        and _is_kanji(word.surface)
    )


def _inside_word(ms: Sequence[Morpheme], starts: list[int], at: int) -> Morpheme | None:
    """The word that runs across offset ``at`` (starts before it, ends after it)."""
    i = bisect_right(starts, at) - 1
    return ms[i] if i >= 0 and ms[i].start < at < ms[i].end else None


def _honorific_of_a_thing(ms: Sequence[Morpheme], j: int) -> bool:
    """The honorific ``ms[j]`` is part of a thing's name: doubled (さんさん, 燦々:
    塚口さんさんタウン) or followed by a facility word (もりのくまさん保育園)."""
    following = ms[j + 1].surface if j + 1 < len(ms) else ""
    return following == ms[j].surface or following.startswith(words.FACILITY_WORDS)


def _compound_word(ms: Sequence[Morpheme], first: int, last: int) -> bool:
    """``ms[first..last]`` are common nouns of which one at least is a word of two or
    more characters (選挙|管理): words, not a rare given name cut into single kanji
    (典|飛)."""
    run = ms[first : last + 1]
    return (
        len(run) >= 2
        and all(m.pos[1] == "普通名詞" for m in run)
        and any(len(m.surface) >= 2 for m in run)
    )


def _facility_own_name(ms: Sequence[Morpheme], i: int) -> bool:
    """A given name or a kana word right after a facility word and a space is the
    facility's own name (子育て支援センター みなみ, 保育園 さくら), not a person of it."""
    if i < 2 or ms[i - 1].surface != " " or not ms[i - 2].surface.endswith(words.FACILITY_WORDS):
        return False
    m = ms[i]
    given_only = len(m.pos) > 3 and m.pos[2] == "人名" and m.pos[3] == "名"
    return given_only or _is_kana(m.surface)


def _contact_in_brackets(text: str, lexicon: _Lexicon) -> list[tuple[int, int, float]]:
    """A surname opening a memo's line or field with its own phone number or address in
    brackets (木下（焼津市小土458-12）, TEL 宮下（090-8876-1203）): a whole surname by
    the lexicon, maybe with a given name after a space — the bracket says whose
    contact it is."""
    if "(" not in text:
        return []
    return [
        (m.start(1), m.end(1), STRONG)
        for m in _SURNAME_WITH_CONTACT.finditer(text)
        if _whole_surname(m.group(1), lexicon)
    ]


def _whole_surname(name: str, lexicon: _Lexicon) -> bool:
    surname, _, given = name.partition(" ")
    return lexicon.surname(surname) and len(given) <= 3


def _names_a_facility(ms: Sequence[Morpheme], starts: list[int], end: int) -> bool:
    """The name runs on, glued, into nouns that end in a facility word: it is the
    facility's own name (本町コミュニティ防災センター, 大富幼稚園) — a place or surname
    the lexicon knows, not a person. A title after the facility word (センター長) is a
    person's role, so the chain must end at the facility word."""
    j = bisect_right(starts, end - 1)
    for _ in range(4):
        if j >= len(ms) or ms[j].pos[0] != "名詞" or ms[j].start != end:
            return False
        end = ms[j].end
        ends_here = (
            j + 1 >= len(ms) or ms[j + 1].pos[0] not in _NOUNISH_OR_SUFFIX or ms[j + 1].start != end
        )
        if ends_here:
            return ms[j].surface in words.NOT_PERSON_AFTER
        j += 1
    return False


def _office_title_ahead(ms: Sequence[Morpheme], i: int) -> bool:
    """``ms[i]`` opens an office's title: kanji nouns up to a unit word or a title
    suffix (市|長, 総務部|長, 健康|福祉|部|長, 市民|課長)."""
    for j in range(i + 1, min(i + 5, len(ms))):
        word = ms[j]
        if (
            word.pos[0] == "接尾辞"
            or word.surface in _TITLE_HEADS
            or word.surface in _OFFICE_TITLES
        ):
            return True
        if word.pos[0] != "名詞" or word.pos[1] == "固有名詞" or not _is_kanji(word.surface):
            return False
    return False


def _may_be_name(ms: Sequence[Morpheme], i: int, lexicon: _Lexicon) -> bool:
    """Whether the word after a field label (出席者：, 申請者：) may be a name: not a
    place (申請者：兵庫県) or an organisation, not an office's title (出席者：市|長,
    市民|課|長), not a common word the lexicon knows no name for (欠席者：なし)."""
    m = ms[i]
    if _office_title_ahead(ms, i):
        return False  # a unit and its title: 市民課長, 教育部長, 健康|福祉|部|長
    if m.oov:
        return True
    if m.pos[1] == "固有名詞":
        return m.pos[2] not in ("地名", "組織")
    # A name the lexicon knows, or a surname it knows and a short given name (林|学).
    return bool(lexicon.names(m.surface).kinds) or (
        _is_kanji(m.surface) and _lexicon_name(m.surface, lexicon)
    )


def _has_numeral(ms: Sequence[Morpheme], i: int, last: int) -> bool:
    """六条, 四十四: article numbers cut out of a heading, not signatures."""
    return any(_NUMERALS.search(m.surface) for m in ms[i : last + 1])


def _glued(ms: Sequence[Morpheme], j: int) -> bool:
    """True when ``ms[j]`` exists and is a kanji or digit word."""
    return 0 <= j < len(ms) and (_is_kanji(ms[j].surface) or ms[j].surface.isdigit())


def _is_copula(ms: Sequence[Morpheme], j: int) -> bool:
    if j >= len(ms):
        return False
    if ms[j].surface in ("です", "でございます"):
        return True
    return ms[j].surface == "と" and j + 1 < len(ms) and ms[j + 1].lemma == "申す"


def _kanji_run_end(ms: Sequence[Morpheme], j: int, stops: frozenset[str]) -> int | None:
    """Last index of a run of kanji nouns of 1–4 characters starting at ``j``."""
    last, chars = None, 0
    while j < len(ms) and _is_kanji(ms[j].surface) and ms[j].pos[0] in ("名詞", "接尾辞"):
        if ms[j].surface in stops or ms[j].lemma in stops:
            break
        chars += len(ms[j].surface)
        last, j = j, j + 1
    return last if 1 <= chars <= 4 else None


def _extend_name(
    ms: Sequence[Morpheme], i: int, stops: frozenset[str], *, labelled: bool = False
) -> tuple[int, int, int]:
    """Grow a name from ``ms[i]``: (last index, parts, parts tagged 人名).

    Katakana names take further katakana words joined by ・, = or a space (ジョン・スミス).
    Other names take one given name: after a space (see _spaced_given_name), or
    directly: up to four kanji of name words or single kanji (柚木|毅|文), a name word
    in kana (加藤くみ子), or a short word right before an honorific (増山鉄人さん).
    """
    first = ms[i]
    n = len(ms)
    tagged = int(_is_name_word(first))
    if _KATAKANA.fullmatch(first.surface):
        last, parts, j = i, 1, i + 1
        while j + 1 < n and ms[j].surface in _NAME_JOINERS:
            following = ms[j + 1]
            if not (_KATAKANA.fullmatch(following.surface) and _name_like(following)):
                break
            last, parts, j = j + 1, parts + 1, j + 2
            tagged += int(_is_name_word(following))
        return last, parts, tagged
    if i + 2 < n and ms[i + 1].surface == " ":
        spaced = _spaced_given_name(ms, i + 2, first, stops)
        if spaced is not None:
            return spaced[0], 2, tagged + spaced[1]
    last, chars, j = i, 0, i + 1
    while j < n and chars < 4 and _letters(ms[j].surface):
        word = ms[j]
        named = _is_name_word(word)
        if word.surface in stops or word.lemma in stops:
            break
        if not _is_kanji(word.surface) or chars + len(word.surface) > 4:
            if named and chars == 0:
                return j, 2, tagged + 1
            break
        before_honorific = j + 1 < n and ms[j + 1].lemma in stops
        if not (named or _fragment(word) or before_honorific):
            break
        chars += len(word.surface)
        last, tagged, j = j, tagged + int(named), j + 1
    if labelled and last == i and _given_common_noun(ms, i + 1, stops):
        # 出席：板垣宗史、 — after a label, a short common noun ending the name is
        # its given name (宗史 is also a word).
        last = i + 1
    return last, (1 if last == i else 2), tagged


def _given_common_noun(ms: Sequence[Morpheme], j: int, stops: frozenset[str]) -> bool:
    if j >= len(ms):
        return False
    word = ms[j]
    return (
        _is_kanji(word.surface)
        and len(word.surface) <= 3
        and word.pos[0] == "名詞"
        and word.surface not in stops
        and not words.honored_common_noun(word.surface)
        and not _glued(ms, j + 1)
    )


def _spaced_given_name(
    ms: Sequence[Morpheme], j: int, surname: Morpheme, stops: frozenset[str]
) -> tuple[int, int] | None:
    """(last index, name words in it) of a given name at ``j``, after a space: a kanji
    run of 1–4 characters (野口 彩絵美) or one kana word (伊藤 さくら)."""
    word = ms[j]
    if _HIRAGANA.fullmatch(surname.surface) and _HIRAGANA.fullmatch(word.surface):
        # Sudachi reads some kana given names as grammar: やまだ たろう → だろう.
        if 2 <= len(word.surface) <= 6 and word.surface not in words.KANA_NOT_NAMES:
            return j, 0
        return None
    if not _name_like(word) or word.surface in stops:
        return None
    if not _is_kanji(word.surface):
        return (j, int(_is_name_word(word))) if len(word.surface) <= 6 else None
    last = _kanji_run_end(ms, j, stops)
    if last is None or ms[last].surface[-1] in words.NOT_GIVEN:
        return None
    return last, sum(_is_name_word(m) for m in ms[j : last + 1])


# Words after a surname that may frame it (see ``PersonRecognizer._framing``): particles
# of a person acting or being named (が, は, と申します), a memo's へ, arrows; and the
# first pieces of titles Sudachi cuts in two (課|長, 係|長).
_FRAMING_AFTER = frozenset(["が", "は", "と", "へ", "→", "⇒", "方"])
_TITLE_HEADS = frozenset(["課", "係", "部", "室", "局", "所", "班"])
# Titles of offices, written as one word after a unit's name (市民|課長).
_OFFICE_TITLES = frozenset(["課長", "係長", "部長", "室長", "局長", "所長", "班長"])
# Between the items of a list of names; what may end an item.
_ARROWS = frozenset(["→", "⇒"])
_LIST_SEPARATOR_CHARS = "、,→⇒"
_K = "\u3005\u4e00-\u9fff"
# One list item: kanji (a space allowed inside), maybe a kana given name, then a
# delimiter (or an honorific / title, which stays out of the span).
_LIST_ITEM = re.compile(
    rf" ?(([{_K}]{{1,3}} ?[{_K}]{{0,3}})((?<=[{_K}]) ?[\u3041-\u3096]{{2,4}})?)"
    rf"(?=[、,。.\n（）()「」【】・→⇒]|$|さん|様|氏|委員|課長|係長|主任|部長|室長)"
)
# A short bracketed aside after a list item: （高齢福祉課）.
_ASIDE = re.compile(r"[（(][^（()）\n]{1,15}[）)]")
# A kanji run, possibly with one space (加藤 開子委員), not preceded by kanji.
_KANJI_RUN = re.compile(
    r"(?<![\u3005\u4e00-\u9fff])[\u3005\u4e00-\u9fff]{2,9}(?: [\u3005\u4e00-\u9fff]{1,5})?"
)
# Before a self-introduction's name: 担当は東輝里です, 担当の東です.
_SELF_INTRO_BEFORE = re.compile(r"(?:担当|担当者)[はの]$")
# Where a sentence opens, and です closing a self-reference (not 佐野ですか, です が).
_SENTENCE_OPENERS = frozenset("\n。「『 ")
_SELF_REFERENCE_AFTER = re.compile(r"(?:です|でございます)(?:[。、,.!！\n」]|$)")
# The words a spoken self-reference opens with, then 、 (もしもし、 / あの、 / はい、).
_SPOKEN_OPENING = re.compile(
    r"(?:^|[\n。「『 、])(?:もしもし|あのー?|あのう|あっ?|はい|ええと|えっと|すみません|こんにちは"
    r"|こんばんは|お世話になります|お世話になっております|夜分すみません|お疲れ様です)[、,，　 ]\Z"
)
# … and what may close it: です, ですが, ですけど(も), と申します.
_SPOKEN_SELF_REFERENCE_AFTER = re.compile(
    r"(?:です|でございます|と申します)(?:が|けど|けども|けれども)?(?:[。、,.!！\n」]|$)"
)
# Single kanji that do not make a name when alone before a title (前委員, 各委員, 全委員).
_NOT_ALONE = frozenset("前元新旧現故各全同当本副総主正次諸両他某")
_ITEM_ENDS = frozenset("、,。.\n（）()「」【】・→⇒")
# A reading in brackets right after a name: 池田 修平（イケダシュウヘイ）, or the name
# in kanji after its reading: カタヤマ カノ（片山 佳乃）.
_BRACKETED = re.compile(
    r" ?[（(]((?:[\u30a1-\u30fa\u30fc]+|[\u3041-\u3096\u30fc]+)(?: [\u30a1-\u30fa\u3041-\u3096\u30fc]+)?"
    r"|[\u3005\u4e00-\u9fff]{1,4}(?: ?[\u3005\u4e00-\u9fff]{1,4})?)[）)]"
)


class _Lexicon:
    """Sudachi's lexicon entries for the words of one scan (looked up once each; the
    memo lives only as long as the scan), and ``framed``: the indices of the words that
    some context could frame as a surname (see ``PersonRecognizer._framing``)."""

    __slots__ = ("_lookup", "_memo", "framed")

    def __init__(self, lookup: Callable[[str], LexiconNames] | None) -> None:
        self._lookup = lookup
        self._memo: dict[str, LexiconNames] = {}
        self.framed: frozenset[int] = frozenset()

    def names(self, surface: str) -> LexiconNames:
        if self._lookup is None:
            return NO_NAMES
        found = self._memo.get(surface)
        if found is None:
            found = self._memo[surface] = self._lookup(surface)
        return found

    def surname(self, surface: str) -> bool:
        return "姓" in self.names(surface).kinds


def _surname_head(ms: Sequence[Morpheme], i: int, lexicon: _Lexicon) -> int | None:
    """Index of the last word of a kanji surname starting at ``i`` — ``i`` itself, or
    ``i + 1`` when Sudachi cut the surname in two (服|部) — or None. A surname is a word
    Sudachi tags 人名-姓 or one the lexicon lists as 姓; not a numeral, an era (令和)
    or a single kanji that ends names rather than starts them (中, 方, 内)."""
    if not _surname_shaped(ms, i):
        return None
    m = ms[i]
    surface = m.surface
    if i + 1 < len(ms) and len(surface) <= 2:
        nxt = ms[i + 1].surface
        if (
            len(nxt) == 1
            and _is_kanji(nxt)
            and not (len(m.pos) > 3 and m.pos[2] == "人名")
            and lexicon.surname(surface + nxt)
        ):
            return i + 1
    if (len(m.pos) > 3 and m.pos[2] == "人名" and m.pos[3] == "姓") or lexicon.surname(surface):
        return i
    return None


def _surname_shaped(ms: Sequence[Morpheme], i: int) -> bool:
    """The cheap part of ``_surname_head``: a noun of one to four kanji that is no
    numeral, era, placeholder or name-ending single kanji."""
    if i >= len(ms):
        return False
    m = ms[i]
    surface = m.surface
    # Glued to a numeral before it, the word ends a number: 第二|十条, 第三|十条.
    after_numeral = i > 0 and ms[i - 1].pos[1] == "数詞" and ms[i - 1].end == m.start
    return not (
        after_numeral
        or len(surface) > 4
        or m.pos[0] not in _NOUNISH
        or not _is_kanji(surface)
        or surface in words.NOT_NAMES
        or surface in words.PLACEHOLDERS
        or (len(surface) == 1 and surface in words.NOT_GIVEN)
        or _NUMERALS.fullmatch(surface)
    )


def _bracketed_readings(
    text: str, spans: list[tuple[int, int, float]], ms: Sequence[Morpheme], lexicon: _Lexicon
) -> list[tuple[int, int, float]]:
    """The other writing of a name, in brackets right after it: its kana reading after
    the kanji (池田 修平（イケダシュウヘイ）) or its kanji after the reading (カタヤマ
    カノ（片山 佳乃）). Taken only when the kanji name's surname has a lexicon reading
    that begins the kana — or the romanised name spells the kana (Mao Sakata
    （サカタマオ）): a role in brackets (山田太郎（オブザーバー）) is not a name."""
    found: list[tuple[int, int, float]] = []
    for start, end, score in spans:
        bracket = _BRACKETED.match(text, end)
        if bracket is None:
            continue
        inner_start, inner_end = bracket.span(1)
        inner = bracket.group(1)
        name = text[start:end]
        if name.isascii():
            # A romanised name and its reading: Mao Sakata（サカタマオ）.
            if _KATAKANA.fullmatch(inner.replace(" ", "")) and words.romaji_reads_as(name, inner):
                found.append((inner_start, inner_end, score))
            continue
        if _is_kanji(inner[:1]):
            kanji, kana = inner, name
        else:
            kanji, kana = name, inner
        if _reading_matches(kanji, kana, ms, lexicon):
            found.append((inner_start, inner_end, score))
    return found


def _reading_matches(kanji: str, kana: str, ms: Sequence[Morpheme], lexicon: _Lexicon) -> bool:
    """True when some leading part (1–3 kanji) of the kanji name is a lexicon surname
    whose reading begins the kana (in katakana, spaces ignored)."""
    reading = _to_katakana(kana.replace(" ", ""))
    if not _KATAKANA.fullmatch(reading):
        return False
    head = _KANJI.match(kanji)
    if head is None:
        return False
    letters = head.group()
    for size in range(min(3, len(letters)), 0, -1):
        for candidate in lexicon.names(letters[:size]).readings:
            if "姓" in lexicon.names(letters[:size]).kinds and reading.startswith(candidate):
                return len(reading) > len(candidate) or len(letters) == size
    return False


def _to_katakana(kana: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in kana)


def _one_common_word(ms: Sequence[Morpheme], start: int, end: int) -> bool:
    """True when ``[start, end)`` is exactly one known word that is not a name
    (オンライン, システム): a label followed by a thing, not a person."""
    for m in ms:
        if m.start == start:
            return m.end == end and not m.oov and not (len(m.pos) > 2 and m.pos[2] == "人名")
        if m.start > start:
            break
    return False


def _lexicon_name(name: str, lexicon: _Lexicon) -> bool:
    """``name`` (kanji, maybe one space) is a lexicon surname (the longest of its first
    1–3 kanji) plus at most three kanji of a given name; a lone surname only when it
    is no title prefix (前委員, 各委員)."""
    if " " in name:
        surname, _, given = name.partition(" ")
        return 1 <= len(given) <= 3 and len(surname) <= 3 and lexicon.surname(surname)
    for size in range(min(3, len(name)), 0, -1):
        if lexicon.surname(name[:size]):
            rest = name[size:]
            if not rest:
                return not (size == 1 and (name in _NOT_ALONE or name in words.NOT_GIVEN))
            return len(rest) <= 3 and rest[-1] not in words.NOT_GIVEN
    return False


def _list_items(
    text: str, end: int, ms: Sequence[Morpheme], lexicon: _Lexicon
) -> list[tuple[int, int]]:
    """Names that continue a list after a name ending at ``end``: each item after a 、
    (or the → of a hand-over: 馬渕→加藤) up to the next delimiter that is a lexicon
    name (see ``_lexicon_name``; a kana given name may follow the surname: 前田 さゆり)
    and not a run of common nouns — read on the text, as Sudachi cuts rare names of
    a list apart (村|田貫, 林学). A bracketed aside after an item is skipped
    (林美加子（高齢福祉課）、…); the list stops at the first item that is no name."""
    items: list[tuple[int, int]] = []
    pos = _skip_aside(text, end)
    while pos < len(text) and text[pos] in _LIST_SEPARATOR_CHARS:
        item = _LIST_ITEM.match(text, pos + 1)
        if item is None:
            break
        start, stop = item.span(1)
        if not _lexicon_name(item.group(2).rstrip(" "), lexicon):
            break
        name = item.group(2).rstrip(" ")
        if _common_nouns(ms, start, stop, words=2) or (
            # One common noun (生年月日: 生 is a surname too) only as a lone surname
            # (岩上) or a surname and a given name both in the lexicon (林|学).
            _common_nouns(ms, start, stop) and not _lexicon_full_name(name, lexicon)
        ):
            break
        items.append((start, stop))
        pos = _skip_aside(text, stop)
    return items


def _skip_aside(text: str, pos: int) -> int:
    aside = _ASIDE.match(text, pos)
    return aside.end() if aside else pos


def _common_nouns(ms: Sequence[Morpheme], start: int, end: int, *, words: int = 1) -> bool:
    """True when every Sudachi word overlapping ``[start, end)`` — at least ``words`` of
    them — is a common noun (生活|福祉課長, 納税): words, not a name the lexicon
    happens to allow. In a list of names one such word is still a name (岩上, 林学)."""
    seen = 0
    for m in ms:
        if m.end <= start:
            continue
        if m.start >= end:
            break
        if m.pos[1] != "普通名詞":
            return False
        seen += 1
    return seen >= words


def _lexicon_full_name(name: str, lexicon: _Lexicon) -> bool:
    """``name`` is a lexicon surname alone, or one followed by a lexicon given name."""
    if lexicon.surname(name):
        return True
    return any(
        lexicon.surname(name[:size]) and "名" in lexicon.names(name[size:]).kinds
        for size in range(1, min(3, len(name) - 1) + 1)
    )


def _arrow_after(ms: Sequence[Morpheme], last: int) -> bool:
    """An arrow and another word after ``ms[last]`` (a hand-over: 馬渕→加藤)."""
    return last + 2 < len(ms) and ms[last + 1].surface in _ARROWS
