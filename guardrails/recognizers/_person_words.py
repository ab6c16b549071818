"""Vocabulary of the name recogniser, and its rules for kana-only given names.

Kept apart from ``person.py`` so that the rules there read as rules. Word lists hold
Sudachi surfaces or normalized forms (lemmas): くん → 君, さま → 様.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

# Right after a name.
HONORIFICS = frozenset("さん 様 氏 殿 君 ちゃん 夫人 女史 嬢".split())

# Titles after a name (田中係長). Place roles may also follow a place (横浜市長), so
# they count only after a word Sudachi tags as a personal name.
PLACE_ROLES = frozenset(
    "市長 副市長 町長 村長 区長 知事 副知事 議長 副議長 議員 首相 大統領 大使 領事".split()
)
ROLES_AFTER = PLACE_ROLES | frozenset(
    "先生 担当 担当者 係長 課長 課長補佐 課長代理 部長 部長代理 次長 局長 室長 所長"
    " 主任 主査 主事 主任主事 主幹 参事 参与 理事 技師 係員 職員 委員 委員長 会長"
    " 副会長 社長 院長 園長 校長 教頭 教諭 医師 看護師 保健師 相談員 支援員 指導員"
    " 調査員 教授 准教授 弁護士 税理士 司法書士 行政書士 社会福祉士 巡査 記者 選手"
    " 監督 投手 捕手 騎手 棋士 容疑者 被告 被告人 代表 代表取締役 審議官 事務長"
    " 学長 班長 補佐 統括".split()
)

# Right before a name, possibly joined by の / ： / は / a space (担当の鈴木, 世帯主 山田).
ROLES_BEFORE = frozenset(
    "申請者 申請人 相談者 世帯主 届出人 請求者 代理人 本人 氏名 名前 宛名 宛先 担当"
    " 担当者 職員 議員 委員 相手方 被保険者 受給者 利用者 対象者 保護者 患者 入居者"
    " 契約者 申出人 申立人 来庁者 通報者 相談員 父 母 夫 妻 長男 長女 次男 次女"
    " 祖父 祖母 息子 娘 配偶者 差出人 送信者 出席者 欠席者 発言者 作成者 記入者"
    " 連絡者 児童 生徒 被害者 加害者 同居人 親族 後見人 上司 同僚 担任 課長 係長"
    " 部長 主任 主査 主事 委員長 議長 会長 校長 フリガナ ふりがな 読み仮名"
    " 対応者 記録者 記録 出席 報告者 受付者 受付 確認者 承認者 起案者 作成 入力者 依頼者"
    # 市民課の田中, 子育て支援係の鈴木
    " 課 係 室 班 局 センター 支所 出張所".split()
)
# Labels after which a surname — a word Sudachi or its lexicon knows as one — is a
# name, after a colon, a space or = or even touching it (氏名松崎 嘉恭, 名義林, 担当上村,
# 委員：松本学). Unlike NAME_LABELS, other words after them are not names (委員：市民代表).
PERSON_FIELD_LABELS = frozenset(
    "氏名 名前 宛名 名義 名義人 口座名義 委員 参加 参加者 出席 出席者 欠席者 相手 相手方"
    " 相手先 対象者 世帯員 世帯主 申出人 申請者 相談者 来庁者 差出人 代表者 発言者 担当"
    " 担当者 対応 対応者 報告者 記録者 受付者 依頼者 同居人 届出人".split()
)
# Words Sudachi's lexicon also lists as given names that are not names here (令和 is
# a given name too): era names before a year.
NOT_NAMES = frozenset("令和 平成 昭和 大正 明治".split())
# Field labels after which any name-like word is a name (氏名：鷲見 亜喜央).
NAME_LABELS = frozenset(
    "氏名 名前 宛名 フリガナ ふりがな 読み仮名 カナ 申請者 相談者 世帯主 届出人 同居人"
    " 出席者 欠席者 出席 対応者 記録者 記録 報告者 受付者 担当者 依頼者".split()
)
# What a person does in a case note: 坂が担当, 吉山が現地確認, 田中は来庁.
PERSON_ACTIONS = frozenset(
    "担当 対応 確認 現地確認 訪問 出席 欠席 回答 説明 連絡 報告 記録 相談 申請 来庁"
    " 受付 電話 面談 同行 立会い 立ち会い 署名 押印 記入 持参 申し出 了承 承認 決裁".split()
)
# Organisation units whose name ends a label (ごみ減量推進課 山田).
UNIT_SUFFIXES = ("課", "係", "室", "班", "局", "部", "センター", "支所")
# Branch offices named after their place (法務局藤枝支局, 信用金庫焼津支店): the place
# before them is no surname.
BRANCH_OFFICES = frozenset("支局 支所 支店 出張所 営業所 分室 分館 支部 本店 本局".split())
# Common nouns that take an honorific without being names (母さん, 大家さん, 課長様).
HONORED_NOUNS = frozenset(
    "父 母 兄 姉 弟 妹 娘 息子 嫁 婿 婆 爺 坊 孫 大家 隣 客 医者 大工 先生 殿 店員 業者"
    " 家族 親 子 本人 相手 先方 皆 各位 神 仏 王 姫 奥 旦那 親方 女将 師匠".split()
)
_TRADE_ENDINGS = ("屋", "家", "者", "員", "師", "士", "官", "長", "様", "方")
# "<unit>の<name>です": 担当の堀です, 市民課の田中でございます.
SELF_INTRO_LABELS = frozenset("担当 担当者 課 係 室 班 局 センター 支所".split())

# Words that take an honorific but are not names (甲様, 皆様, 王子様).
PLACEHOLDERS = frozenset(
    "甲 乙 丙 丁 某 何 誰 皆 各 貴 方 者 人 客 奥 先方 相手 当方 御 王子 王 姫 神 仏".split()
)
# Form fields that follow a name after a space (氏名 山田 住所 …): not a given name.
FIELD_WORDS = frozenset(
    "住所 電話 電話番号 連絡先 生年月日 性別 年齢 職業 勤務先 備考 所属 役職 続柄 様 殿 宛".split()
)
# After these a name names a place, a business or a work, not a person to protect
# (山田太郎商店, スノウ・ヒル駅); an honorific or role still wins.
NOT_PERSON_AFTER = frozenset(
    "駅 線 通り 空港 港 社 店 商店 会社 工務店 事務所 病院 医院 大学 学校 記念館 賞 杯"
    " シリーズ 著作集 全集 橋 公園 ホテル".split()
) | frozenset(
    # Facilities named after a person or a word that is also one (小土のんのん保育園).
    "保育園 保育所 幼稚園 こども園 園 センター 館 会館 クリニック 歯科 薬局 教室 ホール"
    " 広場 タウン 荘 寮".split()
)
# Facility words that a facility's own name may follow or precede, written together
# (保育園たぁそびさん, もりのくまさん保育園, 子育て支援センター みなみ): a name there
# names the facility, not a person.
FACILITY_WORDS = (
    "保育園", "保育所", "幼稚園", "こども園", "子ども園", "センター", "児童館", "館", "学童",
    "クラブ", "教室", "広場", "タウン", "ホール",
)  # fmt: skip
# Single kanji that end a name rather than continue it (鈴木宅, 田中係, 山田家).
NOT_GIVEN = frozenset(
    "宅家方側係課班室局部邸宛様氏殿君等ら達内外中前後上下分用名組党派会社校署店町村市区県都府道郡駅線川山橋通院園館長第法条項号章節款"
)
# Kana words after a kana surname and a space that are grammar, not a given name.
KANA_NOT_NAMES = frozenset("です でした ます さん さま くん ちゃん から まで より など".split())


def honored_common_noun(surface: str) -> bool:
    """True for common nouns that take さん/様 without being a name (大家さん, 課長様)."""
    return (
        surface in HONORED_NOUNS
        or surface in ROLES_AFTER
        or surface in ROLES_BEFORE
        or surface.endswith(_TRADE_ENDINGS)
    )


# -- kana-only given names, found on the text ---------------------------------------
# Sudachi cuts hiragana given names into grammar (さよこ → さ|よこ, ひでろう → ひ|で|ろう),
# so these are matched on the text instead.
_HIRA = "\u3041-\u3096"
# A hiragana run before an honorific that a particle or a non-kana character follows.
_FACILITY = "|".join(FACILITY_WORDS)
_BEFORE_HONORIFIC = re.compile(
    rf"(?<![{_HIRA}ー])(?<!{_FACILITY.replace('|', ')(?<!')})[{_HIRA}]{{2,12}}"
    # 氏 and 殿 are left out: after kana they are mostly the noun (称していた氏を). An
    # honorific doubled (さんさん, 燦々) or followed by a facility word (もりのくまさん保育園)
    # is part of a name of a thing.
    rf"(?= ?(?:さん(?!さん)|さま|様|ちゃん(?!と)|くん|君)(?!{_FACILITY})"
    rf"(?:[^{_HIRA}]|$|が|は|の|に|を|へ|も|や|で|と|から|より))"
)
# Particles and endings that may glue a name to the words before it: 所有者のなおたろう様.
_GLUE = frozenset("のがはをにでとへもたてや")
# Kinship, courtesy and everyday words written in kana (みなさん, たくさん, あからさま).
_NOT_NAME_HEADS = (
    "お",
    "ご",
    "みな",
    "みんな",
    "だれ",
    "どなた",
    "あか",
    "とう",
    "かあ",
    "ばあ",
    "じい",
    "にい",
    "ねえ",
    "ぼっ",
    "かみ",
    "ほとけ",
    "これ",
    "それ",
    "この",
    "その",
    "あの",
    "どの",
    "あれ",
    "どれ",
    "こちら",
    "たく",
    "さか",
    "ひと",
    "あから",
    "いっ",
    "おつ",
)
_LABELLED = re.compile(
    r"(?:氏名|名前|申請者|相談者|世帯主|届出人|同居人|出席者|宛名|担当者?)"
    rf"(?:\s*[:：]\s*|\s+)([{_HIRA}]{{2,6}})(?=[\s、。,（(]|$)"
)
_SELF_INTRO = re.compile(
    rf"(?:担当|担当者|課|係|室|班)の([{_HIRA}]{{2,6}})(?=です|と申します|でございます)"
)
# Romanised names (Kyosuke Saito, FUJISAWA Koume): two or three capitalised words …
_ROMAN_WORD = r"(?:[A-Z][a-z]+|[A-Z]{2,})"
_ROMAN_RUN = rf"{_ROMAN_WORD}(?: {_ROMAN_WORD}){{1,2}}"
# … in a person's place: before an honorific (YAMADA Minoru さん), after a name label
# (名義 Maaya Fukuda, 申請者：WATANABE Ryohei), or as the display name of a mail
# address (From: Nanami Sato <sato_n@…>).
_ROMAN_NAME = re.compile(
    rf"(?<![A-Za-z])({_ROMAN_RUN})(?=\s?(?:さん|様|氏|殿))"
    rf"|(?:氏名|名前|名義人?|申請者|相談者|申出人|来庁者|世帯主|差出人|宛名|代表者|相手|From|Name)"
    rf"\s?[:：=]?\s?({_ROMAN_RUN})(?![A-Za-z])"
    rf"|(?<![A-Za-z])({_ROMAN_RUN}) ?<[^<>@\s]+@"
)
# Every word of a romanised Japanese name is a run of Japanese syllables (Hepburn or
# 訓令式, long vowels written out): moraic n, doubled consonants (Hattori, Kocchi,
# Matsumoto), m before b/p (Homma). English words fail (Project, Smith, New, Team).
_ROMAJI_WORD = re.compile(
    r"(?:(?:sh|ch|ts|[kgsztdnhbpmrfjwy])?y?[aiueo]|n|[kstpgdbcm](?=[kstpgdbcjm]))+"
)
# Label and colon, then a name in kana: 申出人：タテイシケイゾウ, 世帯員：ハラ カツヒコ,
# 来庁者：カタヤマ カノ（片山 佳乃）, 申出人：すざき こうた.
_KANA_FULL_NAME = re.compile(
    r"(?:氏名|名前|フリガナ|ふりがな|申請者|相談者|申出人|来庁者|世帯主|世帯員|届出人|同居人"
    r"|対象者|相手|相手方|相手先|差出人|宛名|代表者|名義人?|出席者|参加者)\s?[:：]\s?"
    r"([\u30a1-\u30f6]{2,8}(?: [\u30a1-\u30f6]{1,8})?|[\u3041-\u3096]{2,6} [\u3041-\u3096]{1,6})"
    r"(?=[\s、。,（(]|様|さん|$)"
)
# Loanwords are written with ー and small vowels; official name readings are not
# (コールセンター, ウェブ): such a run after a label is no name.
_LOANWORD_KANA = frozenset("ーァィゥェォヮヵヶヴ")


def roman_names(text: str) -> list[tuple[int, int]]:
    """Spans of romanised Japanese names in a person's place (see ``_ROMAN_NAME``)
    whose every word reads as Japanese syllables."""
    spans: list[tuple[int, int]] = []
    for found in _ROMAN_NAME.finditer(text):
        group = next(g for g in (1, 2, 3) if found.group(g) is not None)
        name = found.group(group)
        if all(_ROMAJI_WORD.fullmatch(word.lower()) for word in name.split()):
            spans.append(found.span(group))
    return spans


def kana_full_names(text: str) -> list[tuple[int, int]]:
    """Spans of kana names after a person label and a colon (see ``_KANA_FULL_NAME``),
    loanwords excepted. The caller drops single dictionary words (オンライン)."""
    return [
        found.span(1)
        for found in _KANA_FULL_NAME.finditer(text)
        if not _LOANWORD_KANA.intersection(found.group(1))
    ]


_LABEL_NOT_NAMES = frozenset("なし ほか ふめい みてい おなじ どうじょう".split())


def kana_given_names(
    text: str,
    grammar: Mapping[int, int],
    inside_word: Callable[[int], bool] = lambda _: False,
) -> list[tuple[int, int]]:
    """Spans of hiragana-only given names: before an honorific (さよこさん), after a
    field label (世帯主 たねこ) or in a self-introduction (担当のひでろうです); and
    romanised names before an honorific (Kyosuke Saito さん).

    ``grammar`` maps the start of each particle / auxiliary word (Sudachi) to its end:
    a run like のなおたろう (所有者のなおたろう様) starts with one, the name does not.
    ``inside_word(offset)``: whether a Sudachi word runs across the offset — a run
    starting there is the kana ending of a word (子|ども in 子どもさん), not a name.
    """
    spans: list[tuple[int, int]] = []
    for run in _BEFORE_HONORIFIC.finditer(text):
        start, end = run.span()
        if inside_word(start):
            continue
        # A particle glued to the word before the run (所有者|の|なおたろう様), not
        # a run after a space or punctuation (申請者 すがいさだつぐ 様).
        glued = (
            start > 0 and not text[start - 1].isspace() and text[start - 1] not in "、。:：「(（"
        )
        while glued and start in grammar and grammar[start] <= end - 2:
            start = grammar[start]
        name = _name_tail(text[start:end])
        # No name starts with ん or a small kana (…んとこのおばあちゃん), nor with the
        # honorific of the name before it (薬袋さんのおばあちゃん).
        if (
            name
            and name[0] not in "んっゃゅょぁぃぅぇぉー"
            and not name.startswith(("さんの", "さまの", "ちゃんの", "くんの"))
        ):
            spans.append((end - len(name), end))
    for pattern in (_LABELLED, _SELF_INTRO):
        for found in pattern.finditer(text):
            if found.group(1) not in _LABEL_NOT_NAMES:
                spans.append(found.span(1))
    spans += roman_names(text)
    return spans


def _name_tail(run: str) -> str:
    """``run`` itself when it is 2–8 characters, else its longest tail of 2–6 that
    follows a particle-like character; never a kinship or courtesy word."""
    name = run if len(run) <= 8 else ""  # a whole kana full name: すがいさだつぐ
    for length in range(min(6, len(run) - 1), 1, -1):
        if name:
            break
        if run[-length - 1] in _GLUE:
            name = run[-length:]
    return "" if len(name) < 2 or name.startswith(_NOT_NAME_HEADS) else name


# -- a romanised name and its katakana reading ----------------------------------------
# Hepburn syllables of the katakana rows; youon (キャ), ッ and ー are handled in code.
_KANA_ROWS = {
    "アイウエオ": ("a", "i", "u", "e", "o"),
    "カキクケコ": ("ka", "ki", "ku", "ke", "ko"),
    "ガギグゲゴ": ("ga", "gi", "gu", "ge", "go"),
    "サシスセソ": ("sa", "shi", "su", "se", "so"),
    "ザジズゼゾ": ("za", "ji", "zu", "ze", "zo"),
    "タチツテト": ("ta", "chi", "tsu", "te", "to"),
    "ダヂヅデド": ("da", "ji", "zu", "de", "do"),
    "ナニヌネノ": ("na", "ni", "nu", "ne", "no"),
    "ハヒフヘホ": ("ha", "hi", "fu", "he", "ho"),
    "バビブベボ": ("ba", "bi", "bu", "be", "bo"),
    "パピプペポ": ("pa", "pi", "pu", "pe", "po"),
    "マミムメモ": ("ma", "mi", "mu", "me", "mo"),
    "ラリルレロ": ("ra", "ri", "ru", "re", "ro"),
}
_KANA_ROMAJI = {
    k: r for row, sounds in _KANA_ROWS.items() for k, r in zip(row, sounds, strict=True)
}
_KANA_ROMAJI.update({"ヤ": "ya", "ユ": "yu", "ヨ": "yo", "ワ": "wa", "ヲ": "o", "ン": "n"})
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
# Spellings of one sound (訓令式 si/ti/tu/hu/zi/sya, long vowels written out or not, m for n
# before b/p, tch for cch) brought to one form before comparing.
_ROMAJI_FOLDS = (
    ("sy", "sh"), ("ty", "ch"), ("zy", "j"), ("jy", "j"),
    ("si", "shi"), ("ti", "chi"), ("tu", "tsu"), ("hu", "fu"), ("zi", "ji"), ("tch", "cch"),
    ("ou", "o"), ("oo", "o"), ("uu", "u"), ("oh", "o"), ("mb", "nb"), ("mp", "np"),
)  # fmt: skip


def kana_romaji(kana: str) -> str | None:
    """Hepburn romanisation of a katakana name (spaces dropped), or None when it holds
    a character outside the table."""
    out: list[str] = []
    double = False
    for ch in kana.replace(" ", ""):
        if ch == "ッ":
            double = True
            continue
        if ch == "ー":
            continue
        if ch in _SMALL_Y and out:
            last = out.pop()
            stem = last[:-1]  # キ → k, シ → sh, チ → ch, ジ → j
            out.append(
                stem + _SMALL_Y[ch]
                if stem.endswith(("sh", "ch", "j"))
                else stem + "y" + _SMALL_Y[ch]
            )
            continue
        sound = _KANA_ROMAJI.get(ch)
        if sound is None:
            return None
        if double:
            sound = sound[0] + sound
            double = False
        out.append(sound)
    return "".join(out)


def _fold_romaji(romaji: str) -> str:
    folded = "".join(c for c in romaji.lower() if c.isalpha())
    for spelling, form in _ROMAJI_FOLDS:
        folded = folded.replace(spelling, form)
    return folded


def romaji_reads_as(roman: str, kana: str) -> bool:
    """True when the romanised name (either word order: Mao Sakata, SAKATA Mao) spells
    the katakana reading (サカタマオ, サカタ マオ)."""
    reading = kana_romaji(kana)
    words = roman.split()
    if reading is None or not 2 <= len(words) <= 3:
        return False
    target = _fold_romaji(reading)
    return (
        _fold_romaji("".join(words)) == target or _fold_romaji("".join(reversed(words))) == target
    )
