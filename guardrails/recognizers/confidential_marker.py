"""Confidentiality markings on documents (秘, 極秘, 取扱注意, 庁内限り, 機密性２ …).

Municipal information-security policies (following the 政府機関等のサイバーセキュリティ
対策のための統一基準群: 機密性１〜３, and 秘文書 rules such as 「秘密文書等の取扱い
について」) have staff mark documents with a classification — in brackets at the top
(【秘】, (取扱注意)), alone on a line, at the end of a header line, or as a field
(取扱区分：庁内限り). Prompts pasted from such documents carry the marking along.

The same words are ordinary vocabulary elsewhere (会議は非公開とする, 秘密, 守秘義務,
秘書, 便秘, 機密性２情報とは何か), so a marker counts only in a *marking position*:

* in brackets: 【秘】 [極秘] (取扱注意) 〔部外秘〕 <機密性3> — or 「極秘」 standing alone;
* alone at the start of a line, or ending a line after a space;
* after a classification field label: 取扱区分：庁内限り, 格付：機密性2;
* ㊙ (NFKC-normalised to 秘), 極秘, 部外秘 … directly naming a document: ㊙資料;
* declared of the document at hand: 本資料は機密性2, この資料は㊙です, 以下は極秘の会議
  メモです, 関係資料は機密性2扱い — a document subject, は, the marker, then the end of
  the sentence, です/扱い or the document noun (not 本資料は秘密…, 以下は機密性2の例);
* words that are only ever markings (庁内限り, 部外秘, 取扱注意, 外部提供禁止 …) anywhere,
  unless a definition is asked for (部外秘とは); 機密性３情報 declared of the text
  (以下は機密性3情報の会議メモ), not asked about (機密性２情報とは何ですか).

Scores: 0.9 for marking positions, 0.7 for the other forms.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern

from guardrails.recognizers._base import JapanesePatternRecognizer

_MARKERS = (
    "取扱厳重注意",
    "取り扱い注意",
    "取扱い注意",
    "取扱注意",
    "外部非公開",
    "関係者外秘",
    "関係者限り",
    "庁内限り",
    "部内限り",
    "局内限り",
    "課内限り",
    "省内限り",
    "社内限り",
    "部外秘",
    "社外秘",
    "局外秘",
    "課外秘",
    "庁外秘",
    "対外秘",
    "外部提供禁止",
    "持出禁止",
    "複製禁止",
    "非公開",
    "極秘",
    "厳秘",
    "機密性3",
    "機密性2",
    "機密",
    "マル秘",
    "まる秘",
    "○秘",
    "秘",
    # Read out in kana (an evasion, or an IME left unconverted): 【ぶがいひ】.
    "とりあつかいちゅうい",
    "トリアツカイチュウイ",
    "ちょうないかぎり",
    "チョウナイカギリ",
    "かんけいしゃがいひ",
    "しゃがいひ",
    "ぶがいひ",
    "ブガイヒ",
    "ごくひ",
    "ゴクヒ",
    "まるひ",
    "マルヒ",
    "げんぴ",
)
# Every pattern contains one of these (spaced-out markers: their last character).
_ANY_MARKER_WORD = re.compile(
    r"秘|限|注[\W_]{0,2}意|機[\W_]{0,2}密|禁[\W_]{0,2}止|公[\W_]{0,2}開|がいひ|くひ|るひ|ガイヒ|クヒ|ルヒ|げんぴ|ちゅうい|チュウイ|かぎり|カギリ"
    r"|confidential|internal|secret|restricted|distribut",
    re.I,
)
_ENGLISH = (
    r"(?:private\sand\s|strictly\s|highly\s)?confidential|(?:for\s)?internal\suse\sonly"
    r"|internal\sonly|top\ssecret|secret|restricted|do\snot\s(?:distribute|forward|copy)"
    r"|not\sfor\s(?:distribution|circulation)"
)
# English markings as a document carries them: alone on a line (any case), opening a line
# as a label ("CONFIDENTIAL: …", "Confidential – do not forward"), in capitals opening a
# line ("INTERNAL USE ONLY Meeting notes"), or after a classification field.
_ENGLISH_LINE = rf"(?im:^[ \t*#>■□●※-]{{0,3}}(?:{_ENGLISH})[ \t.!*]*$)"
_ENGLISH_LABEL = rf"(?im:^[ \t*#>■□●※-]{{0,3}}(?:{_ENGLISH})(?=[ \t]*(?::|：|[-–—|/]{{1,2}}\s)))"
# (?-i:…): Presidio compiles every pattern case-insensitive.
_ENGLISH_CAPITALS = (
    r"(?-i:^[ \t*#>■□●※-]{0,3}(?:(?:PRIVATE AND |STRICTLY |HIGHLY )?CONFIDENTIAL"
    r"|(?:FOR )?INTERNAL USE ONLY|TOP SECRET|RESTRICTED)(?=[ \t]))"
)
_ENGLISH_FIELD = (
    rf"(?i:(?<=classification)|(?<=security)|(?<=sensitivity)|(?<=marking)|(?<=label)"
    rf"|(?<=handling))\s?[:：]\s?(?i:{_ENGLISH}|internal)"
)


def _spaced(word: str) -> str:
    # A letter-spaced heading (部 外 秘, 極　秘) is still the marking.
    return r"\s?".join(word)


# Spaced by punctuation instead (部・外・秘, 取_扱_注_意): only in brackets or alone on a
# line — a pattern of its own, as a wider spacing in every pattern doubled their cost.
_PUNCTUATION_SPACED = "(?:" + "|".join(r"[・._*\-]".join(w) for w in _MARKERS if len(w) > 1) + ")"


_MARKER = "(?:" + "|".join(_spaced(w) for w in _MARKERS) + ")"
# Only ever markings, whatever their position (この資料は庁内限りです, 取扱注意扱い) —
# unless a definition is asked for (部外秘とは).
_DISTINCTIVE = (
    "取扱厳重注意|取扱注意|外部提供禁止|関係者外秘|関係者限り|庁内限り|部内限り|局内限り"
    "|課内限り|省内限り|社内限り|部外秘|社外秘|局外秘|課外秘|庁外秘|対外秘"
)
_NOT_A_DEFINITION = r"(?!とは|って|の意味|の定義|について|(?!扱い)[\u4e00-\u9fff])"
# 機密性２情報 declared (以下は機密性3情報の会議メモ), not asked about (…とは何か).
_CLASSIFIED_INFO = (
    r"機密性[23](?:情報|文書|資料)"
    r"(?!とは|って|について|に該当|に当た|の定義|の取り?扱|の扱い|の例|の判断|かどうか|か否か|[?？]|か[?？]"
    r"|[をは](?:含|生成|入力|扱|取り?扱|利用|送|AI))"
)
# "<this document>は <marker>" and what may follow the marker (see the module doc).
_DOCUMENT_SUBJECTS = (
    "本資料 この資料 当資料 関係資料 添付資料 配布資料 本文書 この文書 本書 本メモ このメモ"
    " 本件 以下"
).split()
_DECLARED = (
    # Fixed-width look-behinds, one per subject.
    "(?:" + "|".join(f"(?<={subject}は)" for subject in _DOCUMENT_SUBJECTS) + ")"
    rf"{_MARKER}"
    r"(?=\s*(?:です|である|扱い|として|につき|の(?:会議|資料|文書|メモ)|[。.\n]|$))"
)
_BRACKETS = ("【】", "[]", "()", "〔〕", "〈〉", "《》", "<>", "≪≫", "〘〙")
_OPEN = "[" + "".join("\\" + b[0] for b in _BRACKETS) + "]"
_CLOSE = "[" + "".join("\\" + b[1] for b in _BRACKETS) + "]"
_FIELD_LABELS = ("区分", "制限", "分類", "格付", "格付け", "指定", "種別", "機密性", "秘区分")
# Fixed-width look-behinds, one per label and spacing: 取扱区分：庁内限り, 格付け: 秘.
_AFTER_FIELD = (
    "(?:"
    + "|".join(
        f"(?<={label}{colon}{space})"
        for label in _FIELD_LABELS
        for colon in (":", " ")
        for space in ("", " ")
        if colon != " " or space == ""
    )
    + ")"
)
# Line start, allowing up to two spaces or a bullet before the marker.
_LINE_START = r"(?:^|(?<=^[ \t■□●◆◇★☆※])|(?<=^[ \t]{2}))"
_ENDS_WORD = r"(?=[ \t]|$|" + _OPEN + ")"


class ConfidentialMarkerRecognizer(JapanesePatternRecognizer):
    """Recognise confidentiality markings in document-marking positions only."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "marker_bracketed",
            rf"{_OPEN}\s?※?\s?(?:{_MARKER}(?:情報|文書|資料)?|秘密文書|秘密|{_ENGLISH})\s?{_CLOSE}",
            0.9,
        ),
        Pattern(
            "marker_quoted_alone",
            rf"(?:^|(?<=\s))[「『]\s?{_MARKER}\s?[」』](?=\s|$)",
            0.9,
        ),
        Pattern("marker_line_start", rf"{_LINE_START}{_MARKER}{_ENDS_WORD}", 0.9),
        Pattern("marker_line_end", rf"(?<=[ \t]){_MARKER}(?=[ \t]*$)", 0.9),
        Pattern("marker_field", rf"{_AFTER_FIELD}{_MARKER}", 0.9),
        Pattern("marker_declared", _DECLARED, 0.9),
        Pattern("marker_distinctive", rf"(?:{_DISTINCTIVE}){_NOT_A_DEFINITION}", 0.7),
        Pattern("marker_classified_information", _CLASSIFIED_INFO, 0.7),
        Pattern(
            "marker_punctuation_spaced",
            rf"{_OPEN}\s?{_PUNCTUATION_SPACED}\s?{_CLOSE}|(?m:^){_PUNCTUATION_SPACED}(?=\s|$)",
            0.9,
        ),
        Pattern("marker_english_line", _ENGLISH_LINE, 0.9),
        Pattern("marker_english_label", _ENGLISH_LABEL, 0.9),
        Pattern("marker_english_capitals", _ENGLISH_CAPITALS, 0.9),
        Pattern("marker_english_field", _ENGLISH_FIELD, 0.9),
        Pattern(
            "marker_on_document",
            r"(?<![\u3005\u4e00-\u9fff])(?:秘|極秘|厳秘|部外秘|社外秘)(?=資料|文書)",
            0.7,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = []
    SUPPORTED_ENTITY: ClassVar[str] = "CONFIDENTIAL_MARKER"
    REQUIRED: ClassVar[re.Pattern[str] | None] = _ANY_MARKER_WORD  # most prompts have none
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"
